package output

import (
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"codeberg.org/go-pdf/fpdf"
)

// The printed form is set in Liberation Serif 2 (SIL Open Font License
// 1.1, fonts/LICENSE), metric-compatible with Times New Roman: the PDF
// embeds it, and a .docx names Times New Roman, which Word finds on the
// clerk's machine (LibreOffice substitutes Liberation Serif with the same
// widths).
//
//go:embed fonts/LiberationSerif-Regular.ttf fonts/LiberationSerif-Bold.ttf fonts/LiberationSerif-Italic.ttf fonts/LiberationSerif-BoldItalic.ttf
var fontFiles embed.FS

// fontFamily is the family name inside the PDF; docxFont the font a .docx
// asks for.
const (
	fontFamily = "LiberationSerif"
	docxFont   = "Times New Roman"
)

// Style is the look of a run of text.
type Style uint8

const (
	Bold Style = 1 << iota
	Italic
	Underline
)

// face is one of the four font files: the style without Underline.
func (s Style) face() Style { return s & (Bold | Italic) }

// fpdfStyle is the style string fpdf expects for a face.
func (s Style) fpdfStyle() string {
	switch s.face() {
	case Bold:
		return "B"
	case Italic:
		return "I"
	case Bold | Italic:
		return "BI"
	}
	return ""
}

// faces are the four faces in the order a PDF embeds them.
var faces = []Style{0, Bold, Italic, Bold | Italic}

var faceFiles = map[Style]string{
	0:             "fonts/LiberationSerif-Regular.ttf",
	Bold:          "fonts/LiberationSerif-Bold.ttf",
	Italic:        "fonts/LiberationSerif-Italic.ttf",
	Bold | Italic: "fonts/LiberationSerif-BoldItalic.ttf",
}

// metrics are what the layout needs of the fonts: which characters each
// face has, and their advance widths in thousandths of the type size
// (the same numbers fpdf uses to place text, so what the layout measures is
// what the PDF draws).
type metrics struct {
	files  map[Style][]byte
	widths map[Style]map[rune]int
	// covered holds the characters all four faces have.
	covered map[rune]bool
}

var (
	fontOnce sync.Once
	fonts    *metrics
	fontErr  error
)

// rendering runs write with the fonts' metrics and d prepared for them; a
// panic inside a writer is an error (errRender, named by what), never a
// crash. The PDF and DOCX writers share it.
func rendering(what string, d *Document, write func(m *metrics, d *Document) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errRender(fmt.Sprint(what, ": ", r))
		}
	}()
	m, err := loadFonts()
	if err != nil {
		return err
	}
	return write(m, d.prepared(m))
}

// loadFonts reads the embedded fonts once.
func loadFonts() (*metrics, error) {
	fontOnce.Do(func() { fonts, fontErr = readFonts() })
	return fonts, fontErr
}

func readFonts() (*metrics, error) {
	m := &metrics{files: map[Style][]byte{}, widths: map[Style]map[rune]int{}}
	pdf := fpdf.New("P", "mm", "A4", "")
	for face, name := range faceFiles {
		b, err := fontFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		m.files[face] = b
		pdf.AddUTF8FontFromBytes(fontFamily, face.fpdfStyle(), b)
	}
	if err := pdf.Error(); err != nil {
		return nil, err
	}
	for face, b := range m.files {
		runes, err := cmapRunes(b)
		if err != nil {
			return nil, err
		}
		pdf.SetFont(fontFamily, face.fpdfStyle(), 10)
		w := make(map[rune]int, len(runes))
		for _, r := range runes {
			w[r] = pdf.GetStringSymbolWidth(string(r))
		}
		m.widths[face] = w
	}
	m.covered = map[rune]bool{}
	for r := range m.widths[0] {
		all := true
		for _, face := range []Style{Bold, Italic, Bold | Italic} {
			if _, ok := m.widths[face][r]; !ok {
				all = false
			}
		}
		if all {
			m.covered[r] = true
		}
	}
	return m, pdf.Error()
}

// width is the advance of s set in style at size points, in millimetres.
func (m *metrics) width(s string, style Style, size float64) float64 {
	w := m.widths[style.face()]
	n := 0
	for _, r := range s {
		n += w[r]
	}
	return float64(n) * size / 1000 * ptMM
}

// cmapRunes lists the characters a TrueType font maps to a glyph (its
// Unicode cmap subtable, format 4 or 12).
func cmapRunes(font []byte) ([]rune, error) {
	bad := errors.New("output: cannot read the font's character map")
	if len(font) < 12 {
		return nil, bad
	}
	u16 := func(o int) int {
		if o < 0 || o+2 > len(font) {
			return 0
		}
		return int(binary.BigEndian.Uint16(font[o:]))
	}
	u32 := func(o int) int {
		if o < 0 || o+4 > len(font) {
			return 0
		}
		return int(binary.BigEndian.Uint32(font[o:]))
	}
	cmap := 0
	for i, n := 0, u16(4); i < n; i++ {
		rec := 12 + 16*i
		if string(font[rec:rec+4]) == "cmap" {
			cmap = u32(rec + 8)
		}
	}
	if cmap == 0 {
		return nil, bad
	}
	best, bestFormat := 0, 0
	for i, n := 0, u16(cmap+2); i < n; i++ {
		rec := cmap + 4 + 8*i
		platform, encoding, off := u16(rec), u16(rec+2), u32(rec+4)
		format := u16(cmap + off)
		unicode := platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10))
		if unicode && (format == 12 || (format == 4 && bestFormat != 12)) {
			best, bestFormat = cmap+off, format
		}
	}
	var out []rune
	switch bestFormat {
	case 12:
		for i, n := 0, u32(best+12); i < n; i++ {
			g := best + 16 + 12*i
			for c := u32(g); c <= u32(g+4); c++ {
				out = append(out, rune(c))
			}
		}
	case 4:
		segs := u16(best+6) / 2
		ends, starts := best+14, best+16+2*segs
		deltas, ranges := starts+2*segs, starts+4*segs
		for i := 0; i < segs; i++ {
			end, start := u16(ends+2*i), u16(starts+2*i)
			delta, ro := u16(deltas+2*i), u16(ranges+2*i)
			for c := start; c <= end && c != 0xFFFF; c++ {
				glyph := (c + delta) & 0xFFFF
				if ro != 0 {
					glyph = u16(ranges + 2*i + ro + 2*(c-start))
					if glyph != 0 {
						glyph = (glyph + delta) & 0xFFFF
					}
				}
				if glyph != 0 {
					out = append(out, rune(c))
				}
			}
		}
	default:
		return nil, bad
	}
	return out, nil
}
