package sheet

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/viet"
	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes one worksheet: the title on row 1 (bold, merged across the
// header width) and a blank row 2 when title is not empty, then the header
// row (bold, frozen pane below it) and the data rows. Every cell is written
// as text with the Text number format, so card numbers keep their leading
// zeros and dates stay as typed. Column widths follow the content.
func WriteXLSX(w io.Writer, sheetName, title string, headers []string, rows [][]string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write xlsx: internal error: %v", p)
		}
	}()
	f := excelize.NewFile()
	defer f.Close()
	name := safeSheetName(sheetName)
	if name != "Sheet1" {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	ncols := len(headers)
	for _, r := range rows {
		ncols = max(ncols, len(r))
	}
	ncols = max(ncols, 1)
	st, err := newXLSXStyles(f)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	headerRow, err := writeXLSXLayout(sw, st, title, headers, rows, ncols)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	cells := make([]any, 0, ncols)
	line := func(vals []string, style int) []any {
		cells = cells[:0]
		for _, v := range vals {
			cells = append(cells, excelize.Cell{StyleID: style, Value: viet.Printable(v)})
		}
		return cells
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", headerRow), line(headers, st.head)); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	for i, r := range rows {
		if err := sw.SetRow(fmt.Sprintf("A%d", headerRow+1+i), line(r, st.text)); err != nil {
			return fmt.Errorf("write xlsx: row %d: %w", i+1, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// xlsxStyles are the three cell styles of a written sheet, all with the
// Text number format (49) so that nothing typed is reinterpreted.
type xlsxStyles struct{ title, head, text int }

// newXLSXStyles registers the styles in f: a large bold title, bold
// bordered headers, and bordered text cells.
func newXLSXStyles(f *excelize.File) (st xlsxStyles, err error) {
	if st.title, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 14},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		NumFmt:    49,
	}); err != nil {
		return st, err
	}
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	if st.head, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    border,
		NumFmt:    49,
	}); err != nil {
		return st, err
	}
	st.text, err = f.NewStyle(&excelize.Style{NumFmt: 49, Border: border})
	return st, err
}

// writeXLSXLayout writes what comes before the header row, in the order
// the stream writer requires (columns, panes, then rows): the column
// widths and style, the pane frozen under the header, and the title row
// merged across the columns. It returns the header's row number.
func writeXLSXLayout(sw *excelize.StreamWriter, st xlsxStyles, title string, headers []string, rows [][]string, ncols int) (int, error) {
	for c, width := range columnWidths(headers, rows, ncols) {
		if err := sw.SetColWidth(c+1, c+1, width); err != nil {
			return 0, err
		}
	}
	if err := sw.SetColStyle(1, ncols, st.text); err != nil {
		return 0, err
	}
	headerRow := 1
	if title != "" {
		headerRow = 3
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft",
	}); err != nil {
		return 0, err
	}
	if title == "" {
		return headerRow, nil
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.title, Value: viet.Printable(title)}},
		excelize.RowOpts{Height: 24}); err != nil {
		return 0, err
	}
	if ncols > 1 {
		last, _ := excelize.CoordinatesToCellName(ncols, 1)
		if err := sw.MergeCell("A1", last); err != nil {
			return 0, err
		}
	}
	return headerRow, nil
}

// safeSheetName makes a valid worksheet name: no []:*?/\, no surrounding
// apostrophes, at most 31 characters, "Sheet1" when empty.
func safeSheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '[', ']', ':', '*', '?', '/', '\\':
			return '-'
		}
		if r < 0x20 {
			return -1
		}
		return r
	}, clean(s))
	s = strings.Trim(s, "' ")
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
		s = strings.Trim(s, "' ")
	}
	if s == "" || strings.EqualFold(s, "history") {
		return "Sheet1"
	}
	return s
}

// columnWidths estimates column widths (in characters) from the header and
// the first rows.
func columnWidths(headers []string, rows [][]string, ncols int) []float64 {
	longest := make([]int, ncols)
	measure := func(vals []string) {
		for i, v := range vals {
			// Wrapped header lines count separately.
			for _, part := range strings.Split(v, "\n") {
				longest[i] = max(longest[i], utf8.RuneCountInString(part))
			}
		}
	}
	measure(headers)
	for i, r := range rows {
		if i == 2000 {
			break
		}
		measure(r)
	}
	out := make([]float64, ncols)
	for i, n := range longest {
		out[i] = min(max(float64(n)*1.15+2, 8), 60)
	}
	return out
}

// WriteCSV writes UTF-8 with a byte order mark (so Excel opens Vietnamese
// text correctly), comma-separated, CRLF line ends. A value Excel would run
// as a formula (starting with =, @, or + / - followed by something other
// than a number) gets a leading apostrophe, which Read removes again.
func WriteCSV(w io.Writer, headers []string, rows [][]string) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	rec := make([]string, 0, len(headers))
	write := func(vals []string) error {
		rec = rec[:0]
		for _, v := range vals {
			rec = append(rec, escapeFormula(viet.Printable(v)))
		}
		return cw.Write(rec)
	}
	if err := write(headers); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, r := range rows {
		if err := write(r); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
