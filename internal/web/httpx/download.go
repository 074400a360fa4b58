package httpx

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/sotay-vn/sotay/internal/member"

	"golang.org/x/text/unicode/norm"
)

// ContentDisposition names a download: a plain ASCII filename (diacritics
// dropped, đ → d) for old clients and the exact name in RFC 5987
// filename* (UTF-8, percent-encoded) for the others.
func ContentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case r == 'đ':
			ascii.WriteByte('d')
		case r == 'Đ':
			ascii.WriteByte('D')
		case unicode.Is(unicode.Mn, r):
		case r < 0x20 || r == 0x7f || r == '"' || r == '\\' || r == '%' || r == ';':
			ascii.WriteByte('_')
		case r < 0x80:
			ascii.WriteRune(r)
		default:
			ascii.WriteByte('_')
		}
	}
	var enc strings.Builder
	for _, b := range []byte(name) {
		if b < 0x80 && (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0) {
			enc.WriteByte(b)
		} else {
			enc.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(b)|0x100, 16)[1:]))
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + enc.String()
}

// Download answers a file to save: its type, its name (ContentDisposition)
// and no caching, since downloads hold personal records.
func Download(w http.ResponseWriter, name, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", ContentDisposition(name))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// ExportMembers answers the export of a member list as a file named after
// the unit and today's date in Vietnam (the API and the member list page
// both serve it).
func (s *Services) ExportMembers(w http.ResponseWriter, r *http.Request, in member.ExportInput) error {
	var buf bytes.Buffer
	u, err := s.Members.Export(r.Context(), ActorFrom(r), in, &buf)
	if err != nil {
		return err
	}
	ct := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if in.Format == "csv" {
		ct = "text/csv; charset=utf-8"
	}
	Download(w, member.ExportFilename(u.Name, s.Today(), in.Format), ct, buf.Bytes())
	return nil
}
