// Package sheet reads and writes tabular office files (.xlsx and .csv) as
// found in Vietnamese offices: a title above the header, merged cells, dates
// stored as spreadsheet serials, card numbers stored as numbers, CSV in
// UTF-8, UTF-16 or Windows-1258, and text typed in the legacy TCVN3 or VNI
// encodings. It knows nothing about the meaning of the columns: the caller
// names the fields it expects and the header texts that mean them.
//
// Reading never trusts the file name or media type: the content decides.
// Worksheets are parsed as a stream with bounded memory, so hostile files
// (zip bombs, sheets claiming millions of columns) fail with an error.
package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/sotay-vn/sotay/internal/viet"
)

// Sentinel errors. Read wraps them with context; use errors.Is.
var (
	// ErrTooLarge: the file, its unpacked content or its row count is over
	// the limits (HTTP 413).
	ErrTooLarge = errors.New("file too large")
	// ErrUnsupported: not an .xlsx or text (CSV) file, or a damaged one
	// (HTTP 415).
	ErrUnsupported = errors.New("unsupported file format")
	// ErrNoHeader: no row in the first rows of the first sheet looks like
	// the expected header (HTTP 422).
	ErrNoHeader = errors.New("no recognisable header row")
)

// Default limits.
const (
	DefaultMaxBytes = 20 << 20
	DefaultMaxRows  = 100000
)

const (
	// headerScanRows is how many non-empty rows from the top are considered
	// as the header.
	headerScanRows = 30
	// maxColumns bounds the header width; columns beyond are ignored.
	maxColumns = 512
	// maxSharedStrings bounds the shared string table.
	maxSharedStrings = 4 << 20
	// cellsPerRowBudget: the total number of non-empty cells kept is at most
	// MaxRows times this.
	cellsPerRowBudget = 50
)

// Variables so that tests can lower them.
var (
	// unzipSizeLimit bounds the total unpacked size of the parts of an
	// .xlsx that are read (the same role as excelize.Options.UnzipSizeLimit);
	// unzipXMLSizeLimit bounds each part that is held in memory (workbook,
	// relationships, styles, shared strings). Worksheets are streamed.
	unzipSizeLimit    int64 = 200 << 20
	unzipXMLSizeLimit int64 = 50 << 20
	// recoverPanics turns a panic inside Read into an error; fuzz tests
	// switch it off to see the panic.
	recoverPanics = true
)

// Cell is one value as read from the file.
type Cell struct {
	// Value is the normalised text: NFC, trimmed, whitespace collapsed;
	// dates as YYYY-MM-DD when the cell is a spreadsheet date; numbers in
	// plain decimal without exponent or trailing ".0".
	Value string
	// Numeric: the cell was stored as a number (so a card number may have
	// lost leading zeros). Date cells are not Numeric.
	Numeric bool
	// Date: the cell was a spreadsheet date (serial number with a date
	// format, or an ISO date cell) and Value is YYYY-MM-DD.
	Date bool
}

// Row is one data row.
type Row struct {
	// Number is the 1-based row number as the user sees it in Excel (or the
	// line number where the record starts in CSV).
	Number int
	// Cells is aligned to Table.Columns.
	Cells []Cell
}

// Table is the content of the first visible sheet below its header.
type Table struct {
	HeaderRow int      // 1-based row number of the header
	Columns   []string // per column: the canonical field name matched, or ""
	Headers   []string // the original header texts (normalised)
	Rows      []Row    // non-empty data rows after the header
	// Encoding names the legacy encodings converted, decided per column
	// (and per cell from its font): "", "tcvn3", "vni" or "tcvn3,vni".
	Encoding string
}

// Index returns the column index of field name, or -1.
func (t *Table) Index(name string) int {
	for i, c := range t.Columns {
		if c == name && c != "" {
			return i
		}
	}
	return -1
}

// Missing returns the names of the required fields that no column matched.
func (t *Table) Missing(fields []Field) []string {
	var out []string
	for _, f := range fields {
		if f.Required && t.Index(f.Name) < 0 {
			out = append(out, f.Name)
		}
	}
	return out
}

// Field describes one expected column: its canonical name and the header
// texts that mean it. The name itself is also accepted as a header text.
// Matching ignores case, diacritics (đ→d), spaces, punctuation, line breaks
// and a trailing note in brackets such as "(*)" or "(dd/mm/yyyy)".
type Field struct {
	Name     string
	Aliases  []string
	Required bool
}

// Limits bounds what Read accepts. Zero values mean the defaults.
type Limits struct {
	MaxBytes int64 // default 20 MiB
	MaxRows  int   // data rows; default 100000
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultMaxRows
	}
	return l
}

// rawCell is a non-empty cell before legacy decoding and normalisation.
type rawCell struct {
	col  int // 0-based
	cell Cell
	// font is the legacy encoding the cell's font implies (.xlsx only):
	// text typed in .VnTime is TCVN3 whatever its neighbours are.
	font viet.Encoding
}

type rawRow struct {
	num   int
	cells []rawCell // ascending col, non-empty values only
}

// rawSheet is what the format readers produce.
type rawSheet struct {
	rows   []rawRow
	isCSV  bool
	ncells int
	nbytes int // text kept, all cells together
	lim    Limits
}

// add appends a row, enforcing the row and cell budgets. It drops rows with
// no value.
func (s *rawSheet) add(r rawRow) error {
	if len(r.cells) == 0 {
		return nil
	}
	s.rows = append(s.rows, r)
	if len(s.rows) > s.lim.MaxRows+headerScanRows {
		return fmt.Errorf("%w: more than %d rows", ErrTooLarge, s.lim.MaxRows)
	}
	s.ncells += len(r.cells)
	if s.ncells > (s.lim.MaxRows+headerScanRows)*cellsPerRowBudget {
		return fmt.Errorf("%w: too many cells", ErrTooLarge)
	}
	for _, c := range r.cells {
		s.nbytes += len(c.cell.Value)
	}
	if s.nbytes > maxKeptBytes {
		return fmt.Errorf("%w: more than %s of text", ErrTooLarge, humanBytes(int64(maxKeptBytes)))
	}
	return nil
}

// Read reads the first visible sheet of an .xlsx file, or a CSV file, finds
// the header row among the first rows by matching fields' aliases, and
// returns the rows below it. The format is sniffed from the content:
// filename only names the file in error messages, and mediaType (what the
// browser claimed) is ignored. Legacy .xls and other
// binary formats give ErrUnsupported; over-limit input gives ErrTooLarge; a
// file with no row matching at least two fields (one if only one is given)
// gives ErrNoHeader. Read never panics.
func Read(r io.Reader, filename, mediaType string, fields []Field, lim Limits) (t *Table, err error) {
	defer func() {
		if !recoverPanics {
			return
		}
		if p := recover(); p != nil {
			t, err = nil, fmt.Errorf("%w: cannot read %s: internal error: %v", ErrUnsupported, describe(filename), p)
		}
	}()
	lim = lim.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		// An HTTP body over its limit stays wrapped here; the web layer
		// recognises it and answers 413.
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: %s is over %s", ErrTooLarge, describe(filename), humanBytes(lim.MaxBytes))
	}
	raw := &rawSheet{lim: lim}
	switch kind := sniff(data); kind {
	case kindXLSX:
		if err := readXLSX(data, raw); err != nil {
			return nil, fmt.Errorf("%s: %w", describe(filename), err)
		}
	case kindText:
		raw.isCSV = true
		if err := readCSV(data, raw); err != nil {
			return nil, fmt.Errorf("%s: %w", describe(filename), err)
		}
	default:
		return nil, keyed(ErrUnsupported, kind.key(), nil,
			fmt.Sprintf("%s is %s; open it in Excel and save it as .xlsx (Excel Workbook)", describe(filename), kind.String()))
	}
	return buildTable(raw, fields)
}

func describe(filename string) string {
	if filename == "" {
		return "the file"
	}
	return fmt.Sprintf("%q", path.Base(strings.ReplaceAll(filename, `\`, "/")))
}

func humanBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

type kind int

const (
	kindBinary kind = iota
	kindXLSX
	kindText
	kindXLS
	kindZip
	kindODS
	kindHTML
	kindXML
)

func (k kind) String() string {
	switch k {
	case kindXLS:
		return "a legacy .xls workbook or a password-protected file"
	case kindZip:
		return "a ZIP archive but not an Excel workbook"
	case kindODS:
		return "an OpenDocument spreadsheet (.ods)"
	case kindHTML:
		return "a web page (HTML), not a real spreadsheet"
	case kindXML:
		return "an XML spreadsheet (Excel 2003 XML), not an .xlsx workbook"
	case kindXLSX:
		return "an .xlsx workbook"
	case kindText:
		return "a text (CSV) file"
	}
	return "not a spreadsheet or text file"
}

// sniff decides the format from the first bytes.
func sniff(data []byte) kind {
	switch {
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return kindXLS
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return sniffZip(data)
	case bytes.HasPrefix(data, []byte{0x09, 0x08}) || bytes.HasPrefix(data, []byte{0x09, 0x04}):
		// BIFF without an OLE container (very old Excel).
		return kindXLS
	}
	if !looksText(data) {
		return kindBinary
	}
	head := strings.ToLower(string(data[:min(len(data), 1024)]))
	head = strings.TrimLeft(strings.TrimPrefix(head, "\ufeff"), " \t\r\n")
	if strings.HasPrefix(head, "<") {
		// Web pages and XML spreadsheets saved with an .xls name.
		switch {
		case strings.HasPrefix(head, "<?xml") && !strings.Contains(head, "<html"):
			return kindXML
		case strings.Contains(head, "<html"), strings.Contains(head, "<table"), strings.HasPrefix(head, "<!doctype html"):
			return kindHTML
		}
	}
	return kindText
}

// looksText reports whether data is plausibly text: UTF-16 with a BOM (or
// the zero-byte pattern of UTF-16), or bytes with no NUL and few control
// characters.
func looksText(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return true
	}
	if utf16Order(data) != 0 {
		return true
	}
	sample := data[:min(len(data), 64<<10)]
	ctrl := 0
	for _, c := range sample {
		switch {
		case c == 0:
			return false
		case c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x1A:
		case c < 0x20 || c == 0x7F:
			ctrl++
		}
	}
	return ctrl*200 <= len(sample)
}
