package qr

import (
	"strings"
	"testing"
)

func TestSVG(t *testing.T) {
	svg, err := SVG("otpauth://totp/S%E1%BB%95%20tay:vanphong?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=S%E1%BB%95%20tay")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(svg, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `) || !strings.HasSuffix(svg, "</svg>") || strings.Count(svg, "h1v1h-1z") < 200 {
		t.Errorf("not a QR code drawing: %.200s", svg)
	}
}
