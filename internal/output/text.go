package output

import (
	"strings"
	"unicode"

	"github.com/sotay-vn/sotay/internal/viet"
)

// Replacement stands for a character the printed form cannot show: an
// emoji, a letter of a script the font lacks, a symbol. The paper never
// shows an empty box; the reader sees that something was there.
const Replacement = "?"

// clean prepares text for the printed form: NFC (Vietnamese letters
// precomposed, so the PDF's text extracts as it was typed); tabs and line
// breaks become spaces; control characters, bidirectional controls and
// invisible format characters (zero-width joiners, variation selectors,
// the byte order mark) are dropped; any other character the fonts lack
// becomes Replacement (an emoji with its modifiers once).
func clean(m *metrics, s string) string {
	s = viet.NFC(s)
	var b strings.Builder
	b.Grow(len(s))
	replaced := false
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
			replaced = false
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || viet.IsBidiControl(r) || unicode.Is(unicode.Cf, r) ||
			unicode.Is(unicode.Variation_Selector, r) || (r >= 0x1F3FB && r <= 0x1F3FF):
			// Dropped: nothing to see (skin tones modify the emoji before
			// them, already replaced).
		case m.covered[r]:
			b.WriteRune(r)
			replaced = false
		default:
			if !replaced {
				b.WriteString(Replacement)
			}
			replaced = true
		}
	}
	return b.String()
}
