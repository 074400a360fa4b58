package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// readCSV decodes a text file and parses it as delimiter-separated values.
func readCSV(data []byte, raw *rawSheet) error {
	text, err := decodeBytes(data)
	if err != nil {
		return err
	}
	// Old Mac line endings.
	if !strings.Contains(text, "\n") && strings.Contains(text, "\r") {
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	firstLine := 1
	delim := rune(0)
	// Excel's "sep=;" directive on the first line.
	if len(text) >= 5 && strings.EqualFold(text[:4], "sep=") {
		end := strings.IndexByte(text, '\n')
		if end < 0 {
			end = len(text)
		}
		line := strings.TrimRight(text[4:end], "\r")
		if r, size := utf8.DecodeRuneInString(line); size == len(line) && validDelim(r) {
			delim = r
			text = text[min(end+1, len(text)):]
			firstLine = 2
		}
	}
	if delim == 0 {
		delim = detectDelimiter(text)
	}
	if line := longLine(text); line > 0 {
		return &ValueError{Row: line + firstLine - 1, Limit: maxLineBytes, What: "the line"}
	}

	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return keyed(ErrUnsupported, "sheet.csv_damaged", nil, fmt.Sprintf("damaged CSV: %v", err))
		}
		line, _ := cr.FieldPos(0)
		row := rawRow{num: line + firstLine - 1}
		for i, v := range rec {
			if i >= maxColumns {
				break
			}
			if len(v) > maxValueBytes {
				return &ValueError{Row: line + firstLine - 1, Column: i + 1, Limit: maxValueBytes}
			}
			if strings.TrimSpace(v) == "" {
				continue
			}
			row.cells = append(row.cells, rawCell{col: i, cell: Cell{Value: v}})
		}
		if err := raw.add(row); err != nil {
			return err
		}
	}
}

// longLine returns the 1-based number of the first line of text longer
// than maxLineBytes, or 0.
func longLine(text string) int {
	for n := 1; text != ""; n++ {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			i = len(text)
		}
		if i > maxLineBytes {
			return n
		}
		text = text[min(i+1, len(text)):]
	}
	return 0
}

func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && r != utf8.RuneError
}

// detectDelimiter picks comma, semicolon or tab: the one that splits the
// most of the first records into the same number (>1) of fields.
func detectDelimiter(text string) rune {
	sample := text
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
		if i := strings.LastIndexByte(sample, '\n'); i > 0 {
			sample = sample[:i]
		}
	}
	best, bestScore := ',', 0
	for _, d := range []rune{',', ';', '\t', '|'} {
		if !strings.ContainsRune(sample, d) {
			continue
		}
		cr := csv.NewReader(strings.NewReader(sample))
		cr.Comma = d
		cr.LazyQuotes = true
		cr.FieldsPerRecord = -1
		counts := map[int]int{}
		for n := 0; n < 60; n++ {
			rec, err := cr.Read()
			if err != nil {
				break
			}
			if len(rec) > 1 {
				counts[len(rec)]++
			}
		}
		score := 0
		for fields, lines := range counts {
			if s := lines * (fields - 1); s > score {
				score = s
			}
		}
		if d == '|' {
			score /= 2 // only when clearly better
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

// decodeBytes turns the bytes of a text file into UTF-8: UTF-8 (with or
// without BOM), UTF-16 with a BOM or recognisable zero bytes, else a Windows
// code page: 1252 when the text is in a legacy Vietnamese font encoding
// (TCVN3/VNI were typed as Western bytes) or has no Vietnamese letter in
// 1258, Windows-1258 otherwise.
func decodeBytes(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(data[3:]), "\uFFFD"), nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data, unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data, unicode.BigEndian, unicode.ExpectBOM)
	}
	switch utf16Order(data) {
	case 1:
		return decodeUTF16(data, unicode.LittleEndian, unicode.IgnoreBOM)
	case 2:
		return decodeUTF16(data, unicode.BigEndian, unicode.IgnoreBOM)
	}
	if mostlyUTF8(data) {
		return strings.ToValidUTF8(string(data), "\uFFFD"), nil
	}
	w1252, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("%w: cannot decode text: %v", ErrUnsupported, err)
	}
	if detectLegacy(sampleLines(string(w1252))) != "" || !hasVietnamese1258(data) {
		return string(w1252), nil
	}
	w1258, err := charmap.Windows1258.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("%w: cannot decode text: %v", ErrUnsupported, err)
	}
	return string(w1258), nil
}

func decodeUTF16(data []byte, e unicode.Endianness, bom unicode.BOMPolicy) (string, error) {
	if len(data)%2 == 1 {
		data = data[:len(data)-1]
	}
	out, err := unicode.UTF16(e, bom).NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("%w: cannot decode UTF-16 text: %v", ErrUnsupported, err)
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), nil
}

// utf16Order guesses UTF-16 without BOM from zero bytes: 1 little endian, 2
// big endian, 0 neither.
func utf16Order(data []byte) int {
	n := min(len(data), 4096) &^ 1
	if n < 8 {
		return 0
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*3 && even*50 <= pairs:
		return 1
	case even*10 >= pairs*3 && odd*50 <= pairs:
		return 2
	}
	return 0
}

// mostlyUTF8 reports whether data is UTF-8, allowing a few stray invalid
// bytes among many valid multi-byte characters.
func mostlyUTF8(data []byte) bool {
	if utf8.Valid(data) {
		return true
	}
	multi, bad := 0, 0
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			bad++
			i++
			continue
		}
		multi++
		i += size
	}
	return multi > 0 && bad*20 <= multi
}

// hasVietnamese1258 reports whether the bytes contain the letters Windows-1258
// has and Windows-1252 has not (Ă ă Đ đ Ơ ơ Ư ư and the combining tone marks).
func hasVietnamese1258(data []byte) bool {
	for _, c := range data {
		switch c {
		case 0xC3, 0xE3, 0xD0, 0xF0, 0xD5, 0xF5, 0xDD, 0xFD, 0xCC, 0xEC, 0xD2, 0xDE, 0xF2:
			return true
		}
	}
	return false
}

func sampleLines(s string) []string {
	if len(s) > 256<<10 {
		s = s[:256<<10]
	}
	return strings.Split(s, "\n")
}

// Formula-injection guard for CSV: a value that Excel would run as a formula
// is written with a leading apostrophe, which Read removes again.
func needsFormulaEscape(v string) bool {
	if len(v) < 2 {
		return false
	}
	switch v[0] {
	case '=', '@':
		return true
	case '+', '-':
		for _, r := range v[1:] {
			if !(r >= '0' && r <= '9' || r == ' ' || r == '.' || r == ',' || r == '(' || r == ')') {
				return true
			}
		}
	}
	return false
}

// escapeFormula prefixes an apostrophe to a value that Excel would run as a
// formula, and to such a value that already starts with apostrophes, so that
// unescapeFormula is its exact inverse.
func escapeFormula(v string) string {
	if needsFormulaEscape(strings.TrimLeft(v, "'")) {
		return "'" + v
	}
	return v
}

func unescapeFormula(v string) string {
	if len(v) > 1 && v[0] == '\'' && needsFormulaEscape(strings.TrimLeft(v, "'")) {
		return v[1:]
	}
	return v
}
