package sheet

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/viet"
)

// matcher maps folded header texts to field names.
type matcher struct {
	keys     map[string]string // folded alias → field name
	required map[string]bool
	nfields  int
}

func newMatcher(fields []Field) *matcher {
	m := &matcher{keys: map[string]string{}, required: map[string]bool{}}
	for _, f := range fields {
		if f.Name == "" {
			continue
		}
		m.nfields++
		if f.Required {
			m.required[f.Name] = true
		}
		for _, a := range append([]string{f.Name}, f.Aliases...) {
			for _, k := range []string{fold(clean(a)), fold(stripTrailingNote(clean(a)))} {
				if k == "" {
					continue
				}
				if _, dup := m.keys[k]; !dup { // the first field claiming an alias keeps it
					m.keys[k] = f.Name
				}
			}
		}
	}
	return m
}

// match returns the field a header text means, or "".
func (m *matcher) match(header string) string {
	if header == "" {
		return ""
	}
	if name, ok := m.keys[fold(header)]; ok {
		return name
	}
	if s := stripTrailingNote(header); s != header {
		return m.keys[fold(s)]
	}
	return ""
}

// buildTable decodes legacy text, normalises every cell, finds the header and
// assembles the table.
func buildTable(raw *rawSheet, fields []Field) (*Table, error) {
	enc := decodeRaw(raw)
	m := newMatcher(fields)
	if m.nfields == 0 {
		return nil, fmt.Errorf("%w: no fields to look for", ErrNoHeader)
	}
	best := findHeader(raw.rows, m)
	if best < 0 {
		return nil, noHeaderError(fields)
	}
	hdr := raw.rows[best]
	t := headerTable(hdr, m)
	t.Encoding = enc

	rest := raw.rows[best+1:]
	// Official forms often number the columns on the row under the header:
	// "(1) (2) (3) …" or "1 2 3 …". That is not a member.
	if len(rest) > 0 && rest[0].num == hdr.num+1 && isNumberingRow(rest[0], len(t.Columns)) {
		rest = rest[1:]
	}
	if err := t.addRows(rest, raw.lim.MaxRows); err != nil {
		return nil, err
	}
	return t, nil
}

// findHeader returns the index of the header row among the first
// headerScanRows rows, or -1: a row naming at least two fields (one when
// only one is looked for), preferring one with all the required fields,
// then the one with the most fields, then the earliest. Numbers and dates
// are never column names.
func findHeader(rows []rawRow, m *matcher) int {
	need := min(2, m.nfields)
	best, bestScore, bestAll := -1, 0, false
	for i := 0; i < len(rows) && i < headerScanRows; i++ {
		seen := map[string]bool{}
		req := 0
		for _, c := range rows[i].cells {
			if c.col >= maxColumns || c.cell.Numeric || c.cell.Date {
				continue
			}
			name := m.match(c.cell.Value)
			if name == "" || seen[name] {
				continue
			}
			seen[name] = true
			if m.required[name] {
				req++
			}
		}
		score := len(seen)
		if score < need {
			continue
		}
		all := req == len(m.required)
		if best < 0 || (all && !bestAll) || (all == bestAll && score > bestScore) {
			best, bestScore, bestAll = i, score, all
		}
	}
	return best
}

// noHeaderError says no header was found, naming the required columns so
// the person importing knows what to look for.
func noHeaderError(fields []Field) error {
	var names []string
	for _, f := range fields {
		if f.Required {
			names = append(names, fmt.Sprintf("%q", firstAlias(f)))
		}
	}
	hint := ""
	if len(names) > 0 {
		hint = " (expected columns such as " + strings.Join(names, ", ") + ")"
	}
	return &keyedError{kind: ErrNoHeader, msg: fmt.Sprintf("%s in the first %d rows%s", ErrNoHeader, headerScanRows, hint),
		key: "sheet.no_header", args: []any{headerScanRows, strings.Join(names, ", ")}}
}

// headerTable starts the table from its header row: as wide as the last
// non-empty header cell, each column named by the first field its header
// matches (a field names one column only).
func headerTable(hdr rawRow, m *matcher) *Table {
	width := 0
	for _, c := range hdr.cells {
		if c.col < maxColumns && c.cell.Value != "" {
			width = c.col + 1
		}
	}
	t := &Table{
		HeaderRow: hdr.num,
		Columns:   make([]string, width),
		Headers:   make([]string, width),
	}
	used := map[string]bool{}
	for _, c := range hdr.cells {
		if c.col >= width {
			break
		}
		t.Headers[c.col] = c.cell.Value
		if c.cell.Numeric || c.cell.Date {
			continue
		}
		if name := m.match(c.cell.Value); name != "" && !used[name] {
			used[name] = true
			t.Columns[c.col] = name
		}
	}
	return t
}

// addRows adds the data rows under the header, cut to the table's width;
// rows with no value are skipped, and more than maxRows is an error.
func (t *Table) addRows(rest []rawRow, maxRows int) error {
	width := len(t.Columns)
	t.Rows = make([]Row, 0, len(rest))
	for _, rr := range rest {
		var cells []Cell
		for _, c := range rr.cells {
			if c.col >= width {
				break
			}
			if c.cell.Value == "" {
				continue
			}
			if cells == nil {
				cells = make([]Cell, width)
			}
			cells[c.col] = c.cell
		}
		if cells == nil {
			continue
		}
		if len(t.Rows) >= maxRows {
			return fmt.Errorf("%w: more than %d data rows", ErrTooLarge, maxRows)
		}
		t.Rows = append(t.Rows, Row{Number: rr.num, Cells: cells})
	}
	return nil
}

func firstAlias(f Field) string {
	if len(f.Aliases) > 0 {
		return f.Aliases[0]
	}
	return f.Name
}

// decodeRaw decodes legacy text, normalises every cell and drops cells that
// became empty. The encoding is decided per cell from its font when the
// font is a legacy one (.VnTime is TCVN3, VNI-Times is VNI), else per
// column from the evidence of the column's cells: offices retype headers
// and some columns in Unicode and keep others in a legacy font, so one
// decision for the whole file would garble one or the other. It returns the
// encodings converted, comma-separated ("" when none).
func decodeRaw(raw *rawSheet) string {
	samples := map[int][]string{}
	for _, r := range raw.rows {
		for _, c := range r.cells {
			if !c.cell.Numeric && !c.cell.Date && c.font == viet.None {
				samples[c.col] = append(samples[c.col], c.cell.Value)
			}
		}
	}
	colEnc := map[int]viet.Encoding{}
	for col, ss := range samples {
		if e := viet.DetectLegacy(ss); e != viet.None {
			colEnc[col] = e
		}
	}
	used := map[viet.Encoding]bool{}
	for i := range raw.rows {
		r := &raw.rows[i]
		out := r.cells[:0]
		for _, c := range r.cells {
			if !c.cell.Numeric && !c.cell.Date {
				v := c.cell.Value
				enc := c.font
				if enc == viet.None {
					enc = colEnc[c.col]
				}
				if enc != viet.None {
					if d := viet.DecodeWith(v, enc); d != v {
						v = d
						used[enc] = true
					}
				}
				v = clean(v)
				if raw.isCSV {
					v = unescapeFormula(v)
				}
				c.cell.Value = v
			}
			if c.cell.Value != "" {
				out = append(out, c)
			}
		}
		r.cells = out
	}
	// Rows may have become empty; drop them. Keep rows ordered by number
	// (CSV and well-formed sheets already are).
	rows := raw.rows[:0]
	for _, r := range raw.rows {
		if len(r.cells) > 0 {
			rows = append(rows, r)
		}
	}
	raw.rows = rows
	if !sort.SliceIsSorted(raw.rows, func(i, j int) bool { return raw.rows[i].num < raw.rows[j].num }) {
		sort.SliceStable(raw.rows, func(i, j int) bool { return raw.rows[i].num < raw.rows[j].num })
	}
	var names []string
	for _, e := range []viet.Encoding{viet.TCVN3, viet.VNI} {
		if used[e] {
			names = append(names, string(e))
		}
	}
	return strings.Join(names, ",")
}

// isNumberingRow reports whether a row only numbers the columns: at least
// three cells (within the header width), each "n" or "(n)", counting up by
// one from left to right in adjacent columns.
func isNumberingRow(r rawRow, width int) bool {
	n, prevCol, prevVal := 0, -1, 0
	for _, c := range r.cells {
		if c.col >= width {
			break
		}
		if c.cell.Date {
			return false
		}
		v := c.cell.Value
		if strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")") {
			v = strings.TrimSpace(v[1 : len(v)-1])
		}
		k, err := strconv.Atoi(v)
		if err != nil || k < 0 || len(v) > 3 {
			return false
		}
		if n > 0 && (c.col != prevCol+1 || k != prevVal+1) {
			return false
		}
		n, prevCol, prevVal = n+1, c.col, k
	}
	return n >= 3
}
