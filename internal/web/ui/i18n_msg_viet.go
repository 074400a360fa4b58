package ui

// Messages of text checks (internal/viet), by key: {Vietnamese, English}.
// The English text is the one the API shows (apperr.Keyed and friends).
func init() { mergeCatalog(msgVietCatalog) }

var msgVietCatalog = map[string][2]string{
	"viet.bidi_control":      {"Có ký tự đảo chiều văn bản %s ở vị trí %d: hãy xóa ký tự này", "bidirectional control %s at character %d"},
	"viet.control_character": {"Có ký tự điều khiển %s ở vị trí %d: hãy xóa ký tự này", "control character %s at character %d"},
	"viet.invalid_utf8":      {"Văn bản không đúng mã UTF-8 ở vị trí %d", "invalid UTF-8 at character %d"},
}
