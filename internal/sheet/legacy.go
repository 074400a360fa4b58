package sheet

import "github.com/sotay-vn/sotay/internal/viet"

// detectLegacy returns the legacy Vietnamese encoding ("tcvn3", "vni") that
// the text samples of one file are written in, or "" for Unicode.
func detectLegacy(samples []string) string {
	return string(viet.DetectLegacy(samples))
}

// decodeLegacy decodes one text from the encoding detectLegacy found.
func decodeLegacy(s, enc string) string {
	return viet.DecodeWith(s, viet.Encoding(enc))
}
