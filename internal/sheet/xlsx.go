package sheet

// The .xlsx reader. It streams the worksheet XML itself instead of using
// excelize's cell getters: excelize.GetCellType/GetCellStyle/GetCellValue
// unmarshal the whole worksheet and pad every row up to its last cell
// reference, so an 8 KB file whose rows each hold one empty cell at column
// XFD makes it allocate over a gigabyte per 400 rows. Here memory is bounded
// by what is kept: non-empty cells of at most MaxRows rows.

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/viet"
)

// maxZipEntries bounds the parts of a ZIP file: an .xlsx has a few dozen,
// and archive/zip allocates a few hundred bytes per entry of the central
// directory, so a file of tiny entries would multiply its size in memory.
const maxZipEntries = 10000

// zipEntries returns the number of entries that the end-of-central-
// directory record of data announces (0 when it cannot be found; a ZIP64
// count of 0xFFFF counts as many).
func zipEntries(data []byte) int {
	const eocdLen = 22
	start := max(0, len(data)-eocdLen-0xFFFF)
	i := bytes.LastIndex(data[start:], []byte("PK\x05\x06"))
	if i < 0 || start+i+eocdLen > len(data) {
		return 0
	}
	rec := data[start+i:]
	return int(rec[10]) | int(rec[11])<<8
}

// sniffZip tells an .xlsx from other ZIP-based files by the part names.
func sniffZip(data []byte) kind {
	if zipEntries(data) > maxZipEntries {
		return kindXLSX // readXLSX refuses it
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return kindXLSX // damaged; readXLSX reports it
	}
	for _, f := range zr.File {
		switch f.Name {
		case "xl/workbook.xml", "_rels/.rels":
			return kindXLSX
		case "mimetype":
			return kindODS
		}
	}
	return kindZip
}

type pkg struct {
	files  map[string]*zip.File
	budget int64 // unpacked bytes left
}

func errDamaged(format string, args ...any) error {
	return keyed(ErrUnsupported, "sheet.xlsx_damaged", nil,
		fmt.Sprintf("damaged or unreadable .xlsx file (%s); open it in Excel and save it again as .xlsx", fmt.Sprintf(format, args...)))
}

// budgetReader counts unpacked bytes against the package budget and a
// per-part limit.
type budgetReader struct {
	r    io.Reader
	p    *pkg
	left int64 // for this part
	name string
}

func (b *budgetReader) Read(buf []byte) (int, error) {
	if b.left <= 0 || b.p.budget <= 0 {
		// Probe for one more byte: only an error if there is more data.
		var one [1]byte
		if n, _ := b.r.Read(one[:]); n > 0 {
			return 0, fmt.Errorf("%w: %s unpacks to more than the allowed size (possible zip bomb)", ErrTooLarge, b.name)
		}
		return 0, io.EOF
	}
	if int64(len(buf)) > b.left {
		buf = buf[:b.left]
	}
	if int64(len(buf)) > b.p.budget {
		buf = buf[:b.p.budget]
	}
	n, err := b.r.Read(buf)
	b.left -= int64(n)
	b.p.budget -= int64(n)
	return n, err
}

func (p *pkg) open(name string, limit int64) (io.ReadCloser, error) {
	f := p.files[name]
	if f == nil {
		return nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, errDamaged("%s: %v", name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{&budgetReader{r: rc, p: p, left: limit, name: name}, rc}, nil
}

// maxXMLDepth bounds element nesting: SpreadsheetML needs about a dozen
// levels, and encoding/xml keeps a stack entry per open element.
const maxXMLDepth = 128

// xmlStream reads the tokens of one part.
type xmlStream struct {
	d     *xml.Decoder
	c     io.Closer
	lim   *tokenLimitReader
	part  string
	raw   bool // RawToken: no namespace translation (faster)
	depth int
}

// stream opens an XML part, or returns nil if the part is absent.
func (p *pkg) stream(name string, limit int64, raw bool) (*xmlStream, error) {
	rc, err := p.open(name, limit)
	if err != nil || rc == nil {
		return nil, err
	}
	lim := &tokenLimitReader{r: rc, limit: maxTokenBytes}
	d := xml.NewDecoder(lim)
	d.Strict = true
	return &xmlStream{d: d, c: rc, lim: lim, part: name, raw: raw}, nil
}

func (s *xmlStream) Close() error { return s.c.Close() }

// next returns the next token, io.EOF at the end, or a classified error.
func (s *xmlStream) next() (xml.Token, error) {
	var (
		tok xml.Token
		err error
	)
	s.lim.n = 0
	if s.raw {
		tok, err = s.d.RawToken()
	} else {
		tok, err = s.d.Token()
	}
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, xmlErr(s.part, err)
	}
	switch tok.(type) {
	case xml.StartElement:
		s.depth++
		if s.depth > maxXMLDepth {
			return nil, errDamaged("%s: elements nested too deeply", s.part)
		}
	case xml.EndElement:
		s.depth--
	}
	return tok, nil
}

// xmlErr classifies an error from an XML decoder: budget errors pass through,
// anything else means a damaged part.
func xmlErr(part string, err error) error {
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	return errDamaged("%s: %v", part, err)
}

func attr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

type rel struct{ typ, target string }

// readRels reads the relationships of a part: Id → (type, absolute target).
func (p *pkg) readRels(source string) (map[string]rel, error) {
	dir, file := path.Split(source)
	name := dir + "_rels/" + file + ".rels"
	d, err := p.stream(name, unzipXMLSizeLimit, false)
	if err != nil || d == nil {
		return nil, err
	}
	defer d.Close()
	out := map[string]rel{}
	for {
		tok, err := d.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		if mode, _ := attr(se, "TargetMode"); strings.EqualFold(mode, "External") {
			continue
		}
		id, _ := attr(se, "Id")
		typ, _ := attr(se, "Type")
		target, _ := attr(se, "Target")
		if id == "" || target == "" {
			continue
		}
		target = strings.ReplaceAll(target, `\`, "/")
		if strings.HasPrefix(target, "/") {
			target = path.Clean(target[1:])
		} else {
			target = path.Clean(path.Join(dir, target))
		}
		out[id] = rel{typ: typ, target: target}
	}
}

type xlsxSheetRef struct {
	name, rid string
	hidden    bool
}

// readXLSX reads the first visible worksheet into raw.
func readXLSX(data []byte, raw *rawSheet) error {
	if n := zipEntries(data); n > maxZipEntries {
		return fmt.Errorf("%w: the ZIP file has %d parts; an Excel workbook has a few dozen", ErrTooLarge, n)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return errDamaged("%v", err)
	}
	p := &pkg{files: make(map[string]*zip.File, len(zr.File)), budget: unzipSizeLimit}
	for _, f := range zr.File {
		name := strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/")
		if _, dup := p.files[name]; !dup {
			p.files[name] = f
		}
	}

	// Workbook part: from the package relationships, else the usual name.
	wbName := "xl/workbook.xml"
	rootRels, err := p.readRels("")
	if err != nil {
		return err
	}
	for _, r := range rootRels {
		if strings.HasSuffix(r.typ, "/officeDocument") && p.files[r.target] != nil {
			wbName = r.target
			break
		}
	}
	if p.files[wbName] == nil {
		return keyed(ErrUnsupported, "sheet.zip_no_workbook", nil, "the ZIP file has no Excel workbook; open it in Excel and save it as .xlsx")
	}
	if strings.HasSuffix(strings.ToLower(wbName), ".bin") {
		return keyed(ErrUnsupported, "sheet.xlsb", nil, "this is an Excel binary workbook (.xlsb); open it in Excel and save it as .xlsx (Excel Workbook)")
	}

	sheets, date1904, err := p.readWorkbook(wbName)
	if err != nil {
		return err
	}
	wbRels, err := p.readRels(wbName)
	if err != nil {
		return err
	}
	sheetPart := ""
	for pass := 0; pass < 2 && sheetPart == ""; pass++ {
		for _, s := range sheets {
			r, ok := wbRels[s.rid]
			if !ok || !strings.HasSuffix(r.typ, "/worksheet") || (pass == 0 && s.hidden) {
				continue
			}
			sheetPart = r.target
			break
		}
	}
	if sheetPart == "" {
		return fmt.Errorf("%w: the workbook has no worksheet", ErrNoHeader)
	}
	if p.files[sheetPart] == nil {
		return errDamaged("missing %s", sheetPart)
	}

	x := &xlsxReader{pkg: p, date1904: date1904, raw: raw, sstCut: -1}
	stylesName, sstName := path.Join(path.Dir(wbName), "styles.xml"), path.Join(path.Dir(wbName), "sharedStrings.xml")
	for _, r := range wbRels {
		switch {
		case strings.HasSuffix(r.typ, "/styles"):
			stylesName = r.target
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			sstName = r.target
		}
	}
	if err := x.readStyles(stylesName); err != nil {
		return err
	}
	if err := x.readSST(sstName); err != nil {
		return err
	}
	return x.readSheet(sheetPart)
}

func (p *pkg) readWorkbook(name string) (sheets []xlsxSheetRef, date1904 bool, err error) {
	d, err := p.stream(name, unzipXMLSizeLimit, false)
	if err != nil || d == nil {
		return nil, false, err
	}
	defer d.Close()
	root := true
	for {
		tok, err := d.next()
		if err == io.EOF {
			return sheets, date1904, nil
		}
		if err != nil {
			return nil, false, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root {
			// A Word or PowerPoint file has the same package layout.
			if se.Name.Local != "workbook" {
				return nil, false, keyed(ErrUnsupported, "sheet.office_not_excel", nil, "the file is an Office document but not an Excel workbook; save the list as .xlsx")
			}
			root = false
		}
		switch se.Name.Local {
		case "workbookPr":
			v, _ := attr(se, "date1904")
			date1904 = v == "1" || strings.EqualFold(v, "true")
		case "sheet":
			s := xlsxSheetRef{}
			for _, a := range se.Attr {
				switch {
				case a.Name.Local == "name":
					s.name = a.Value
				case a.Name.Local == "state":
					s.hidden = a.Value == "hidden" || a.Value == "veryHidden"
				case a.Name.Local == "id" && a.Name.Space != "":
					s.rid = a.Value
				}
			}
			if len(sheets) < 10000 {
				sheets = append(sheets, s)
			}
		}
	}
}

type xlsxReader struct {
	pkg      *pkg
	date1904 bool
	raw      *rawSheet
	dateXF   []bool          // per cellXfs index: number format shows a date
	xfFont   []viet.Encoding // per cellXfs index: what the cell's font implies
	sst      []string
	// sstFont: the legacy encoding of a shared string's rich-text runs
	// (rFont), by index; only strings with such a run are in it.
	sstFont map[int]viet.Encoding
	// sstCut is the index of the first shared string that was over
	// maxValueBytes (reading the table stopped there), or -1.
	sstCut int
}

// readStyles records which cell formats display dates.
func (x *xlsxReader) readStyles(name string) error {
	d, err := x.pkg.stream(name, unzipXMLSizeLimit, false)
	if err != nil || d == nil {
		return err
	}
	defer d.Close()
	st, err := parseStyles(d)
	if err != nil {
		return err
	}
	custom, xfFmt, xfFont, fonts := st.custom, st.xfFmt, st.xfFont, st.fonts
	cache := map[int]bool{}
	x.dateXF = make([]bool, len(xfFmt))
	for i, id := range xfFmt {
		isDate, ok := cache[id]
		if !ok {
			if code, has := custom[id]; has {
				isDate = isDateFormat(code)
			} else {
				isDate = builtinDate(id)
			}
			cache[id] = isDate
		}
		x.dateXF[i] = isDate
	}
	x.xfFont = make([]viet.Encoding, len(xfFont))
	for i, id := range xfFont {
		if id >= 0 && id < len(fonts) {
			x.xfFont[i] = FontEncoding(fonts[id])
		}
	}
	return nil
}

// styles is what readStyles takes from styles.xml: the custom number
// formats by id, each cell format's number format and font, the fonts'
// names by id.
type styles struct {
	custom        map[int]string
	xfFmt, xfFont []int
	fonts         []string
}

// parseStyles reads styles.xml (bounded: at most 100,000 custom formats,
// 2^16 fonts, 2^20 cell formats).
func parseStyles(d *xmlStream) (*styles, error) {
	st := &styles{custom: map[int]string{}}
	inXfs, inFonts, inFont := false, false, false
	for {
		tok, err := d.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				id, err1 := strconv.Atoi(attrOr(t, "numFmtId"))
				code, ok := attr(t, "formatCode")
				if err1 == nil && ok && len(st.custom) < 100000 {
					st.custom[id] = code
				}
			case "cellXfs":
				inXfs = true
			case "fonts":
				inFonts = true
			case "font":
				if inFonts && len(st.fonts) < 1<<16 {
					inFont = true
					st.fonts = append(st.fonts, "")
				}
			case "name":
				if inFont {
					st.fonts[len(st.fonts)-1] = attrOr(t, "val")
				}
			case "xf":
				if inXfs && len(st.xfFmt) < 1<<20 {
					id, err := strconv.Atoi(attrOr(t, "numFmtId"))
					if err != nil {
						id = 0
					}
					st.xfFmt = append(st.xfFmt, id)
					font, err := strconv.Atoi(attrOr(t, "fontId"))
					if err != nil {
						font = -1
					}
					st.xfFont = append(st.xfFont, font)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "cellXfs":
				inXfs = false
			case "fonts":
				inFonts = false
			case "font":
				inFont = false
			}
		}
	}
	return st, nil
}

// FontEncoding returns the legacy encoding a font name implies: the TCVN3
// (ABC) fonts are named .VnTime, .VnArial, .VnTimeH …; the VNI fonts
// VNI-Times, VNI-Helve …. Any other font is taken to be Unicode (None).
func FontEncoding(name string) viet.Encoding {
	n := strings.ToLower(strings.TrimSpace(name))
	switch {
	case strings.HasPrefix(n, ".vn"):
		return viet.TCVN3
	case strings.HasPrefix(n, "vni-"), strings.HasPrefix(n, "vni "):
		return viet.VNI
	}
	return viet.None
}

func attrOr(se xml.StartElement, local string) string {
	v, _ := attr(se, local)
	return v
}

// builtinDate reports whether a built-in number format shows a date: 14-17
// and 22 (m/d/yyyy, d-mmm-yy, d-mmm, mmm-yy, m/d/yyyy h:mm). The built-in
// time-only formats 18-21 and 45-47 (h:mm AM/PM … [h]:mm:ss) show no date:
// such cells are kept as numbers.
func builtinDate(id int) bool {
	return (id >= 14 && id <= 17) || id == 22
}

// isDateFormat reports whether a custom number format code shows a date:
// its first section has a day or year token, or a month token without hour
// or second (mm next to h or s is minutes). Quoted text, escaped characters
// and [bracketed] modifiers are ignored.
func isDateFormat(code string) bool {
	var d, y, m, h, s bool
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch c {
		case ';':
			i = len(code)
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				i = len(code)
				break
			}
			inner := strings.ToLower(code[i+1 : i+j])
			switch {
			case inner == "h" || inner == "hh":
				h = true
			case inner == "s" || inner == "ss":
				s = true
			}
			i += j
		case 'd', 'D':
			d = true
		case 'y', 'Y':
			y = true
		case 'm', 'M':
			m = true
		case 'h', 'H':
			h = true
		case 's', 'S':
			s = true
		}
	}
	return d || y || (m && !h && !s)
}

// readSST reads the shared string table.
func (x *xlsxReader) readSST(name string) error {
	d, err := x.pkg.stream(name, unzipXMLSizeLimit, false)
	if err != nil || d == nil {
		return err
	}
	defer d.Close()
	var (
		buf        []byte
		inSI, inT  bool
		phonetic   int
		count      int
		countKnown bool
	)
	for {
		tok, err := d.next()
		if err == io.EOF {
			return nil
		}
		var long *ValueError
		if errors.As(err, &long) {
			// A text over the bound: stop here, and refuse the file only
			// if a cell uses this text or a later one (readSheet names it).
			x.sstCut = len(x.sst)
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sst":
				if n, err := strconv.Atoi(attrOr(t, "uniqueCount")); err == nil && n > 0 {
					count, countKnown = n, true
				}
				if countKnown {
					x.sst = make([]string, 0, min(count, 1<<16))
				}
			case "si":
				inSI, buf = true, buf[:0]
			case "rPh":
				phonetic++
			case "t":
				inT = inSI && phonetic == 0
			case "rFont":
				if enc := FontEncoding(attrOr(t, "val")); inSI && enc != viet.None {
					if x.sstFont == nil {
						x.sstFont = map[int]viet.Encoding{}
					}
					x.sstFont[len(x.sst)] = enc
				}
			}
		case xml.CharData:
			if inT {
				if len(buf)+len(t) > maxValueBytes {
					x.sstCut = len(x.sst)
					return nil
				}
				buf = append(buf, t...)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if len(x.sst) >= maxSharedStrings {
					return fmt.Errorf("%w: too many distinct texts", ErrTooLarge)
				}
				x.sst = append(x.sst, unescapeXString(string(buf)))
				inSI = false
			case "rPh":
				phonetic--
			case "t":
				inT = false
			}
		}
	}
}

// unescapeXString decodes the _xHHHH_ escapes of OOXML strings
// (ST_Xstring): "_x000D_" is a carriage return, "_x005F_" an underscore.
func unescapeXString(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '_' && i+7 <= len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			if v, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(v))
				i += 7
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// readSheet streams the worksheet. The state of the parse lives in a
// sheetScan, whose methods handle one kind of token each.
func (x *xlsxReader) readSheet(name string) error {
	d, err := x.pkg.stream(name, unzipSizeLimit, true)
	if err != nil {
		return err
	}
	if d == nil {
		return errDamaged("missing %s", name)
	}
	defer d.Close()

	s := &sheetScan{x: x}
	for {
		tok, err := d.next()
		if err == io.EOF {
			break
		}
		var long *ValueError
		if errors.As(err, &long) {
			return s.tooLong(long)
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			s.start(t)
		case xml.CharData:
			err = s.text(t)
		case xml.EndElement:
			err = s.end(t)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// sheetScan is where readSheet is in the worksheet XML: inside sheetData,
// a row, a cell, its value or inline string, and what is read of the cell
// so far. Only elements inside sheetData/row/c count, so stray ones
// elsewhere are ignored.
type sheetScan struct {
	x             *xlsxReader
	inData        bool
	rowNum        int
	row           rawRow
	inRow         bool
	col           int
	cellType      string
	cellStyle     int
	inCell        bool
	inV, inIS     bool
	inT           bool
	phonetic      int
	vBuf, isBuf   []byte
	hasIS, sorted bool
	runFont       viet.Encoding // rFont of an inline rich string
}

// tooLong names the cell being read in a ValueError.
func (s *sheetScan) tooLong(e *ValueError) error {
	if s.inRow {
		e.Row = s.rowNum
		if s.inCell {
			e.Column = s.col
		}
	}
	return e
}

// start handles an opening element.
func (s *sheetScan) start(t xml.StartElement) {
	switch t.Name.Local {
	case "sheetData":
		s.inData = true
	case "row":
		if !s.inData {
			return
		}
		n, err := strconv.Atoi(attrOr(t, "r"))
		if err != nil || n < 1 || n > 1<<20 {
			n = s.rowNum + 1
		}
		s.rowNum = n
		s.row = rawRow{num: n}
		s.inRow, s.col, s.sorted = true, 0, true
	case "c":
		if s.inRow {
			s.startCell(t)
		}
	case "v":
		s.inV = s.inCell
	case "is":
		s.inIS, s.hasIS = s.inCell, s.inCell
	case "rPh":
		s.phonetic++
	case "t":
		s.inT = s.inIS && s.phonetic == 0
	case "rFont":
		if enc := FontEncoding(attrOr(t, "val")); s.inIS && enc != viet.None {
			s.runFont = enc
		}
	}
}

// startCell begins a cell: its type, style and column (the next one when
// it has no reference; cells out of order make the row be sorted).
func (s *sheetScan) startCell(t xml.StartElement) {
	s.inCell, s.hasIS, s.runFont = true, false, viet.None
	s.vBuf, s.isBuf = s.vBuf[:0], s.isBuf[:0]
	s.cellType, s.cellStyle = "", 0
	next := s.col + 1
	for _, a := range t.Attr {
		switch a.Name.Local {
		case "r":
			if c := refColumn(a.Value); c > 0 {
				next = c
			}
		case "t":
			s.cellType = a.Value
		case "s":
			if st, err := strconv.Atoi(a.Value); err == nil && st >= 0 {
				s.cellStyle = st
			}
		}
	}
	if next <= s.col {
		s.sorted = false
	}
	s.col = next
}

// text keeps the text of a value or of an inline string (not its
// phonetic runs), at most maxValueBytes.
func (s *sheetScan) text(t xml.CharData) error {
	switch {
	case s.inV:
		if len(s.vBuf)+len(t) > maxValueBytes {
			return s.tooLong(&ValueError{Limit: maxValueBytes})
		}
		s.vBuf = append(s.vBuf, t...)
	case s.inT:
		if len(s.isBuf)+len(t) > maxValueBytes {
			return s.tooLong(&ValueError{Limit: maxValueBytes})
		}
		s.isBuf = append(s.isBuf, t...)
	}
	return nil
}

// end handles a closing element: a cell or row ends there.
func (s *sheetScan) end(t xml.EndElement) error {
	switch t.Name.Local {
	case "sheetData":
		s.inData = false
	case "v":
		s.inV = false
	case "t":
		s.inT = false
	case "rPh":
		s.phonetic--
	case "is":
		s.inIS = false
	case "c":
		if s.inCell {
			return s.endCell()
		}
	case "row":
		if s.inRow {
			return s.endRow()
		}
	}
	return nil
}

// endCell keeps the cell's value in the row, with the legacy font
// encoding its text implies (the run's, the shared string's, or the
// style's). Columns past maxColumns are dropped; a shared string past
// where the table was cut is too long.
func (s *sheetScan) endCell() error {
	x := s.x
	s.inCell = false
	if s.col > maxColumns {
		return nil
	}
	if s.cellType == "s" && x.sstCut >= 0 {
		if i, err := strconv.Atoi(string(bytes.TrimSpace(s.vBuf))); err == nil && i >= x.sstCut {
			s.inCell = true // name the column
			return s.tooLong(&ValueError{Limit: maxValueBytes})
		}
	}
	cell := x.cellValue(s.cellType, s.cellStyle, s.vBuf, s.isBuf, s.hasIS)
	if cell.Value == "" {
		return nil
	}
	rc := rawCell{col: s.col - 1, cell: cell, font: s.runFont}
	if rc.font == viet.None && s.cellType == "s" {
		if i, err := strconv.Atoi(string(bytes.TrimSpace(s.vBuf))); err == nil {
			rc.font = x.sstFont[i]
		}
	}
	if rc.font == viet.None && s.cellStyle < len(x.xfFont) {
		rc.font = x.xfFont[s.cellStyle]
	}
	s.row.cells = append(s.row.cells, rc)
	return nil
}

// endRow hands the row, its cells in column order, to the raw sheet.
func (s *sheetScan) endRow() error {
	s.inRow = false
	if !s.sorted {
		sort.SliceStable(s.row.cells, func(i, j int) bool { return s.row.cells[i].col < s.row.cells[j].col })
	}
	if err := s.x.raw.add(s.row); err != nil {
		return err
	}
	s.row = rawRow{}
	return nil
}

// refColumn returns the 1-based column of a cell reference like "AB12", or 0.
func refColumn(ref string) int {
	col := 0
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A'+1)
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a'+1)
		case c == '$' && i == 0:
			continue
		default:
			if i == 0 || col > 16384 {
				return 0
			}
			return col
		}
		if col > 16384 {
			return 0
		}
	}
	return col
}

// cellValue turns one cell's stored type, style and value into a Cell. Text
// is returned raw (legacy decoding and normalisation come later).
func (x *xlsxReader) cellValue(typ string, style int, v, is []byte, hasIS bool) Cell {
	switch typ {
	case "s":
		i, err := strconv.Atoi(string(bytes.TrimSpace(v)))
		if err != nil || i < 0 || i >= len(x.sst) {
			return Cell{}
		}
		return Cell{Value: x.sst[i]}
	case "inlineStr":
		if hasIS {
			return Cell{Value: unescapeXString(string(is))}
		}
		return Cell{Value: unescapeXString(string(v))}
	case "str", "e":
		return Cell{Value: unescapeXString(string(v))}
	case "b":
		switch strings.TrimSpace(string(v)) {
		case "1", "true":
			return Cell{Value: "TRUE"}
		case "0", "false":
			return Cell{Value: "FALSE"}
		}
		return Cell{Value: string(v)}
	case "d":
		s := strings.TrimSpace(string(v))
		if y, m, dd, ok := ParseDate(s); ok {
			return Cell{Value: fmt.Sprintf("%04d-%02d-%02d", y, m, dd), Date: true}
		}
		return Cell{Value: s}
	}
	// Number (t="n" or absent), possibly a date serial.
	s := string(v)
	num, ok := formatNumber(s)
	if !ok {
		return Cell{Value: s}
	}
	if style < len(x.dateXF) && x.dateXF[style] {
		f, _ := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if date, ok := serialDate(f, x.date1904); ok {
			return Cell{Value: date, Date: true}
		}
	}
	return Cell{Value: num, Numeric: true}
}

// serialDate converts a spreadsheet date serial to YYYY-MM-DD, ignoring the
// time of day. In the 1900 system serial 1 is 1900-01-01 and 60 is Excel's
// phantom 1900-02-29 (rejected); in the 1904 system serial 0 is 1904-01-01.
func serialDate(v float64, date1904 bool) (string, bool) {
	if math.IsNaN(v) || v < 0 || v >= 2958466 {
		return "", false
	}
	days := int(math.Floor(v))
	var t time.Time
	switch {
	case date1904:
		t = time.Date(1904, 1, 1+days, 0, 0, 0, 0, time.UTC)
	case days == 0 || days == 60:
		return "", false
	case days < 60:
		t = time.Date(1899, 12, 31+days, 0, 0, 0, 0, time.UTC)
	default:
		t = time.Date(1899, 12, 30+days, 0, 0, 0, 0, time.UTC)
	}
	if t.Year() > 9999 {
		return "", false
	}
	return t.Format("2006-01-02"), true
}
