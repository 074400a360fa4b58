package output

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Party is the heading of every party paper, top right.
const Party = "ĐẢNG CỘNG SẢN VIỆT NAM"

// DateInWords is the date of the date line (Hướng dẫn 36-HD/VPTW): the
// day on two digits, January and February on two digits and the other
// months on one, as the printed example "ngày 08 tháng 9 năm 2023" — so
// "ngày 15 tháng 02 năm 2026". A zero date leaves the blanks a clerk fills
// in by hand.
func DateInWords(d date.Date) string {
	if d.IsZero() {
		return "ngày     tháng     năm     "
	}
	month := fmt.Sprint(int(d.Month))
	if d.Month <= time.February {
		month = "0" + month
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", d.Day, month, d.Year)
}

// DateLine is the line in italics under the party heading: "Phú Xuyên,
// ngày 08 tháng 9 năm 2023".
func DateLine(place string, d date.Date) string {
	if place == "" {
		return DateInWords(d)
	}
	return place + ", " + DateInWords(d)
}

// placePrefixes are the words a unit's name starts with before its
// locality, longest first.
var placePrefixes = []string{"Đảng ủy thành phố ", "Đảng bộ thành phố ", "Đảng ủy xã ", "Đảng bộ xã ", "Đảng ủy phường ", "Đảng bộ phường ",
	"Đảng ủy thị trấn ", "Đảng bộ thị trấn ", "Chi bộ thôn ", "Chi bộ tổ dân phố ", "Chi bộ khu ", "Thành ủy ", "Tỉnh ủy ", "Huyện ủy ",
	"Quận ủy ", "Thị ủy ", "Đảng ủy ", "Đảng bộ ", "Chi bộ "}

// PlaceOf is the place written on the date line: the locality of the
// issuing unit, which its name ends with ("Huyện ủy Phú Xuyên" → "Phú
// Xuyên", "Đảng bộ xã Phú Túc" → "Phú Túc").
func PlaceOf(unit string) string {
	for _, p := range placePrefixes {
		if rest, ok := strings.CutPrefix(unit, p); ok && rest != "" {
			return rest
		}
	}
	return unit
}

// Upper is a name in capitals as the header prints it ("Huyện ủy Phú
// Xuyên" → "HUYỆN ỦY PHÚ XUYÊN").
func Upper(s string) string { return strings.ToUpper(s) }

// SignatureFor is the usual signer's block of a paper of typ issued by the
// unit named issuer: a resolution of a committee is signed for its
// executive committee (T/M BAN CHẤP HÀNH), the other papers of a
// committee for its standing committee (T/M BAN THƯỜNG VỤ), a cell's for
// the cell (T/M CHI BỘ); the signer is the secretary (BÍ THƯ).
func SignatureFor(issuer, typ string) Signature {
	low := strings.ToLower(issuer)
	switch {
	case strings.HasPrefix(low, "chi bộ"):
		return Signature{Capacity: "T/M CHI BỘ", Title: "BÍ THƯ"}
	case typ == "NQ":
		return Signature{Capacity: "T/M BAN CHẤP HÀNH", Title: "BÍ THƯ"}
	case strings.HasPrefix(low, "đảng ủy xã") || strings.HasPrefix(low, "đảng bộ xã") || strings.HasPrefix(low, "đảng ủy phường") ||
		strings.HasPrefix(low, "đảng bộ phường") || strings.HasPrefix(low, "đảng ủy thị trấn") || strings.HasPrefix(low, "đảng bộ thị trấn"):
		return Signature{Capacity: "T/M ĐẢNG ỦY", Title: "BÍ THƯ"}
	}
	return Signature{Capacity: "T/M BAN THƯỜNG VỤ", Title: "BÍ THƯ"}
}

// FileName is an ASCII file name for a number and symbol: "24-CT/TU" →
// "24-CT-TU", "4529-QĐ/TU" → "4529-QD-TU"; fallback when nothing is left.
func FileName(number, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range foldASCII(number) {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" || len(s) > 80 {
		return fallback
	}
	return s
}

// foldASCII writes Vietnamese letters without their marks, keeping case
// ("QĐ" → "QD").
func foldASCII(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		f := viet.Fold(string(r))
		if unicode.IsUpper(r) {
			f = strings.ToUpper(f)
		}
		b.WriteString(f)
	}
	return b.String()
}

// reportHeader is the header of a report (Báo cáo): issued by the last
// unit of chain (issuer when chain is empty) under the first, dated on,
// its number "Số    -BC/…" left for registration (no-break spaces, so
// that the room stays).
func reportHeader(chain []doc.UnitRef, issuer string, on date.Date) Header {
	var h Header
	if len(chain) > 0 {
		issuer = chain[len(chain)-1].Name
		if len(chain) > 1 {
			h.Upper = chain[0].Name
		}
	}
	h.Issuer, h.Place, h.Date = issuer, PlaceOf(issuer), on
	if code := doc.SuggestIssuerCode(issuer); code != "" {
		h.Number = strings.Repeat("\u00a0", 8) + "-BC/" + code
	}
	return h
}
