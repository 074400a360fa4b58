package scoring

import (
	"bytes"
	"testing"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/doc"
)

// TestEvidenceFiles: the type of an evidence file comes from its content
// (a photograph, a PDF or an office file; anything else 415), and its
// name keeps its base, loses control characters and quotes, and takes
// the extension of its real type.
func TestEvidenceFiles(t *testing.T) {
	for _, tc := range []struct {
		name, filename string
		content        []byte
		media          string // "" : refused as unsupported
		saved          string
	}{
		{"jpeg", "Ảnh họp.jpg", []byte("\xFF\xD8\xFF\xE0JFIF"), MediaJPEG, "Ảnh họp.jpg"},
		{"jpeg named .jpeg", "anh.JPEG", []byte("\xFF\xD8\xFF\xE0JFIF"), MediaJPEG, "anh.JPEG"},
		{"png without extension", "bien-ban", []byte("\x89PNG\r\n\x1a\n...."), MediaPNG, "bien-ban.png"},
		{"pdf under a photo's name", "anh.jpg", []byte("%PDF-1.4\n"), doc.MediaPDF, "anh.jpg.pdf"},
		{"a path and a quote", `C:\tai lieu\"so".pdf`, []byte("%PDF-1.7\n"), doc.MediaPDF, "so.pdf"},
		{"no name", "", []byte("%PDF-1.7\n"), doc.MediaPDF, "minh-chung.pdf"},
		{"text", "ghi-chu.txt", []byte("chỉ là chữ"), "", ""},
		{"html", "a.html", []byte("<html><script>"), "", ""},
		{"empty", "a.pdf", nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			media, err := sniffEvidence(bytes.NewReader(tc.content), int64(len(tc.content)), tc.filename)
			if tc.media == "" {
				if !apperr.Is(err, apperr.Unsupported) {
					t.Fatalf("got %q %v, want unsupported", media, err)
				}
				return
			}
			if err != nil || media != tc.media {
				t.Fatalf("type: got %q %v, want %q", media, err, tc.media)
			}
			if got := evidenceName(tc.filename, media); got != tc.saved {
				t.Errorf("name: got %q, want %q", got, tc.saved)
			}
		})
	}
}
