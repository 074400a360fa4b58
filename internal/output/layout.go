package output

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The layout sets a Document on A4 pages: it breaks lines with the fonts'
// widths, breaks pages, and places every piece of text and every rule. The
// PDF draws exactly what it placed; the DOCX leaves line and page breaking
// to the word processor but takes the same model, sizes and styles, so the
// two papers say the same thing in the same form.

// ItemKind tells what an Item draws.
type ItemKind uint8

const (
	// TextItem is Text at X (left) and Y (baseline), in Style and Size.
	TextItem ItemKind = iota
	// RuleItem is a line from (X, Y) to (X2, Y2), 0.2 mm wide.
	RuleItem
)

// Item is one thing placed on a page; positions in millimetres from the
// top left corner, sizes in points.
type Item struct {
	Kind   ItemKind
	X, Y   float64
	X2, Y2 float64
	Text   string
	Style  Style
	Size   float64
}

// Page is one laid-out page.
type Page struct{ Items []Item }

// Sizes of the parts of the form, in points (Hướng dẫn 36-HD/VPTW).
const (
	partySize     = 15.0
	headerSize    = 14.0
	typeSize      = 16.0
	recipientSize = 12.0
	// leading is the line height as a multiple of the type size;
	// ascent where the baseline sits below the top of a line.
	leading = 1.25
	ascent  = 0.9
	// Columns of the header and the signature block.
	leftColWidth  = 75.0
	rightColLeft  = MarginLeft + 80
	rightColWidth = PageWidth - MarginRight - rightColLeft
	textWidth     = PageWidth - MarginLeft - MarginRight
	bottom        = PageHeight - MarginBottom
	firstIndent   = 10.0
	listIndent    = 7.0
	cellPad       = 1.5
)

// Layout sets d on pages.
func (d *Document) Layout() ([]Page, error) {
	m, err := loadFonts()
	if err != nil {
		return nil, err
	}
	return d.prepared(m).layout(m)
}

// layout sets a prepared document.
func (d *Document) layout(m *metrics) ([]Page, error) {
	l := &layouter{m: m}
	l.newPage()
	l.header(d)
	l.blocks(d.Body, MarginLeft, textWidth, 0)
	l.closing(d)
	if l.err != nil {
		return nil, l.err
	}
	// Page numbers, from the second page, centred at the top.
	for i := 1; i < len(l.pages); i++ {
		s := strconv.Itoa(i + 1)
		w := m.width(s, 0, 13)
		l.pages[i].Items = append(l.pages[i].Items, Item{Kind: TextItem, X: (PageWidth-w)/2 + (MarginLeft-MarginRight)/2, Y: 12, Text: s, Size: 13})
	}
	return l.pages, nil
}

type layouter struct {
	m     *metrics
	pages []Page
	y     float64
	err   error
	// label is a list item's bullet or number, set with the first line of
	// the item's first paragraph.
	label *Item
	// repeat is the header row of the table being set, drawn again at the
	// top of each new page.
	repeat func()
}

func (l *layouter) page() *Page { return &l.pages[len(l.pages)-1] }

func (l *layouter) newPage() {
	if len(l.pages) >= MaxPages {
		if l.err == nil {
			l.err = errTooManyPages()
		}
		// Keep setting on the last page: the result is discarded.
		l.y = MarginTop
		return
	}
	l.pages = append(l.pages, Page{})
	l.y = MarginTop
}

// room starts a new page unless h millimetres fit below y.
func (l *layouter) room(h float64) {
	if l.y+h > bottom {
		l.newPage()
	}
}

func (l *layouter) text(x, y float64, s string, st Style, size float64) {
	if s == "" {
		return
	}
	p := l.page()
	p.Items = append(p.Items, Item{Kind: TextItem, X: x, Y: y, Text: s, Style: st, Size: size})
	if st&Underline != 0 {
		w := l.m.width(s, st, size)
		p.Items = append(p.Items, Item{Kind: RuleItem, X: x, Y: y + 1, X2: x + w, Y2: y + 1})
	}
}

func (l *layouter) rule(x, y, x2, y2 float64) {
	p := l.page()
	p.Items = append(p.Items, Item{Kind: RuleItem, X: x, Y: y, X2: x2, Y2: y2})
}

func lineHeight(size float64) float64 { return size * leading * ptMM }

// piece is a run of one style within a line, with its width.
type piece struct {
	text  string
	style Style
	w     float64
}

// line is one set line: its pieces and width.
type line struct {
	pieces []piece
	w      float64
	// broken is a line ended by a hard break (or the paragraph's end):
	// a justified paragraph leaves it ragged.
	broken bool
}

// word is text between spaces, possibly in several styles.
type word struct {
	pieces []piece
	w      float64
	space  bool // a space comes before it
	brk    bool // a forced line break
}

// words splits runs at spaces.
func (l *layouter) words(runs []Run, size float64) []word {
	var out []word
	space := false
	var cur *word
	for _, r := range runs {
		if r.Text == "\n" {
			out = append(out, word{brk: true})
			cur, space = nil, false
			continue
		}
		s := r.Text
		for len(s) > 0 {
			if s[0] == ' ' {
				space, cur = true, nil
				s = s[1:]
				continue
			}
			end := strings.IndexByte(s, ' ')
			if end < 0 {
				end = len(s)
			}
			t := s[:end]
			s = s[end:]
			if cur == nil {
				out = append(out, word{space: space})
				cur = &out[len(out)-1]
				space = false
			}
			w := l.m.width(t, r.Style, size)
			cur.pieces = append(cur.pieces, piece{text: t, style: r.Style, w: w})
			cur.w += w
		}
	}
	return out
}

// wrap breaks runs into lines of at most width (the first line first
// less, for its indent).
func (l *layouter) wrap(runs []Run, size, width, first float64) []line {
	var lines []line
	cur := line{}
	avail := width - first
	flush := func() {
		lines = append(lines, cur)
		cur = line{}
		avail = width
	}
	for _, w := range l.words(runs, size) {
		if w.brk {
			cur.broken = true
			flush()
			continue
		}
		sp := 0.0
		if w.space && len(cur.pieces) > 0 {
			sp = l.m.width(" ", w.pieces[0].style, size)
		}
		if len(cur.pieces) > 0 && cur.w+sp+w.w > avail {
			flush()
			sp = 0
		}
		if w.w > avail {
			// A word longer than the line: cut it where it overflows.
			for _, p := range w.pieces {
				for p.text != "" {
					n, pw := l.fit(p.text, p.style, size, avail-cur.w)
					if n == 0 && len(cur.pieces) == 0 {
						_, n = utf8.DecodeRuneInString(p.text)
						pw = l.m.width(p.text[:n], p.style, size)
					}
					if n == 0 {
						flush()
						continue
					}
					cur.add(piece{text: p.text[:n], style: p.style, w: pw}, "", 0)
					p.text = p.text[n:]
					if p.text != "" {
						flush()
					}
				}
			}
			continue
		}
		for i, p := range w.pieces {
			if i == 0 && sp > 0 {
				cur.add(p, " ", sp)
				continue
			}
			cur.add(p, "", 0)
		}
	}
	if len(cur.pieces) > 0 || len(lines) == 0 {
		cur.broken = true
		lines = append(lines, cur)
	}
	return lines
}

// add appends p to the line after sep, merging it with the last piece
// when the style is the same.
func (ln *line) add(p piece, sep string, sepW float64) {
	ln.w += sepW + p.w
	if k := len(ln.pieces) - 1; k >= 0 && ln.pieces[k].style == p.style {
		ln.pieces[k].text += sep + p.text
		ln.pieces[k].w += sepW + p.w
		return
	}
	if k := len(ln.pieces) - 1; k >= 0 && sep != "" {
		ln.pieces[k].text += sep
		ln.pieces[k].w += sepW
	}
	ln.pieces = append(ln.pieces, p)
}

// fit is how many bytes of s fit in width.
func (l *layouter) fit(s string, st Style, size, width float64) (int, float64) {
	w := 0.0
	for i, r := range s {
		rw := l.m.width(string(r), st, size)
		if w+rw > width {
			return i, w
		}
		w += rw
	}
	return len(s), w
}

// para sets runs from x over width, aligned, the first line indented by
// first; it breaks pages between lines.
func (l *layouter) para(runs []Run, size, x, width, first float64, align Align) {
	if l.err != nil {
		return
	}
	lh := lineHeight(size)
	for i, ln := range l.wrap(runs, size, width, first) {
		l.room(lh)
		if l.err != nil {
			return
		}
		base := l.y + size*ascent*ptMM
		lx := x
		if i == 0 {
			lx += first
		}
		switch align {
		case AlignCenter:
			lx = x + (width-ln.w)/2
		case AlignRight:
			lx = x + width - ln.w
		}
		if l.label != nil {
			lab := *l.label
			l.label = nil
			l.text(lab.X, base, lab.Text, lab.Style, size)
		}
		gap := 0.0 // what each space gains in a justified line
		if align == AlignJustify && !ln.broken {
			lw := width
			if i == 0 {
				lw -= first
			}
			if n := ln.spaces(); n > 0 && lw > ln.w {
				gap = (lw - ln.w) / float64(n)
			}
		}
		for _, p := range ln.pieces {
			if gap == 0 {
				l.text(lx, base, p.text, p.style, size)
				lx += p.w
				continue
			}
			// Word by word, each space widened by gap.
			space := l.m.width(" ", p.style, size) + gap
			for j, wd := range strings.Split(p.text, " ") {
				if j > 0 {
					lx += space
				}
				l.text(lx, base, wd, p.style, size)
				lx += l.m.width(wd, p.style, size)
			}
		}
		l.y += lh
	}
}

// spaces counts the spaces between the words of a line.
func (ln *line) spaces() int {
	n := 0
	for _, p := range ln.pieces {
		n += strings.Count(p.text, " ")
	}
	return n
}

// header sets the top of the first page: the issuing body over its star
// and number on the left, the party heading and the date line on the
// right, then the type and the summary.
func (l *layouter) header(d *Document) {
	h := d.Header
	top := l.y
	var numberY float64
	if h.Upper != "" {
		l.para([]Run{{Text: Upper(h.Upper)}}, headerSize, MarginLeft, leftColWidth, 0, AlignCenter)
	}
	if h.Issuer != "" {
		l.para([]Run{{Text: Upper(h.Issuer), Style: Bold}}, headerSize, MarginLeft, leftColWidth, 0, AlignCenter)
	}
	l.para([]Run{{Text: "*"}}, headerSize, MarginLeft, leftColWidth, 0, AlignCenter)
	numberY = l.y
	if h.Number != "" {
		l.para([]Run{{Text: "Số " + h.Number}}, headerSize, MarginLeft, leftColWidth, 0, AlignCenter)
	}
	if h.Subject != "" {
		l.para([]Run{{Text: h.Subject, Style: Italic}}, recipientSize, MarginLeft, leftColWidth, 0, AlignCenter)
	}
	left := l.y

	l.y = top
	l.para([]Run{{Text: Party, Style: Bold | Underline}}, partySize, rightColLeft, rightColWidth, 0, AlignCenter)
	if l.y < numberY {
		l.y = numberY
	}
	l.para([]Run{{Text: DateLine(h.Place, h.Date), Style: Italic}}, headerSize, rightColLeft, rightColWidth, 0, AlignCenter)
	l.y = max(l.y, left) + 10

	if d.Type != "" {
		l.para([]Run{{Text: Upper(d.Type), Style: Bold}}, typeSize, MarginLeft, textWidth, 0, AlignCenter)
	}
	if d.Summary != "" && d.Type != "" {
		l.para([]Run{{Text: d.Summary, Style: Bold}}, headerSize, MarginLeft, textWidth, 0, AlignCenter)
	}
	if d.Type != "" || d.Summary != "" {
		// The short rule under the summary.
		l.rule(PageWidth/2+(MarginLeft-MarginRight)/2-15, l.y+1, PageWidth/2+(MarginLeft-MarginRight)/2+15, l.y+1)
	}
	l.y += 6
}

var bullets = []string{"-", "+", "•"}

// blocks sets body blocks from x over width; depth is the list level.
func (l *layouter) blocks(bs []Block, x, width float64, depth int) {
	for _, b := range bs {
		if l.err != nil {
			return
		}
		bx, bw := x+float64(b.Indent)*firstIndent, width-float64(b.Indent)*firstIndent
		switch b.Kind {
		case Heading:
			l.y += 2
			st, align := headingLook(b.Level)
			l.room(5 * lineHeight(BodySize))
			l.para(styled(b.Runs, st), BodySize, bx, bw, 0, align)
			l.y += 1
		case Paragraph:
			first := 0.0
			if depth == 0 && b.Indent == 0 && b.Align == AlignJustify {
				first = firstIndent
			}
			st := Style(0)
			if b.Indent > 0 {
				st = Italic
			}
			l.para(styled(b.Runs, st), BodySize, bx, bw, first, b.Align)
			l.y += 1.5
		case List:
			for i, item := range b.Items {
				lab := bullets[depth%len(bullets)]
				if b.Ordered {
					lab = strconv.Itoa(b.Start+i) + "."
				}
				l.label = &Item{X: bx, Text: lab}
				l.blocks(item, bx+listIndent, bw-listIndent, depth+1)
				if l.label != nil {
					// An empty item: its label alone.
					l.para(nil, BodySize, bx+listIndent, bw-listIndent, 0, AlignLeft)
				}
			}
		case Table:
			l.table(b, bx, bw)
			l.y += 3
		}
	}
}

// styled adds st to every run.
func styled(runs []Run, st Style) []Run {
	if st == 0 {
		return runs
	}
	out := make([]Run, len(runs))
	for i, r := range runs {
		out[i] = Run{Text: r.Text, Style: r.Style | st}
	}
	return out
}

// columnCount is the number of columns of a table block: its longest row's
// cells (both writers lay a table out on that many).
func (b Block) columnCount() int {
	n := 0
	for _, row := range b.Rows {
		n = max(n, len(row))
	}
	return n
}

// tableSize is the type size of a table with n columns: smaller as it
// widens.
func tableSize(n int) float64 {
	switch {
	case n <= 4:
		return 13
	case n <= 8:
		return 11
	case n <= 12:
		return 9
	}
	return 7.5
}

// columns shares width between the columns of a table by the width of
// their text, each column at least wide enough for its longest word (as
// far as the page allows).
func (l *layouter) columns(b Block, width, size float64) []float64 {
	n := 0
	for _, row := range b.Rows {
		n = max(n, len(row))
	}
	natural, least := make([]float64, n), make([]float64, n)
	for i, row := range b.Rows {
		for j, cell := range row {
			st := Style(0)
			if i == 0 && b.Head {
				cell, st = styled(cell, Bold), Bold
			}
			w := 0.0
			for _, wd := range l.words(cell, size) {
				w += wd.w + l.m.width(" ", st, size)
				least[j] = max(least[j], min(wd.w+2*cellPad+0.5, 40))
			}
			// A header may wrap: only the rows below give the natural
			// width.
			if i > 0 || !b.Head || len(b.Rows) == 1 {
				natural[j] = max(natural[j], min(w, width)+2*cellPad)
			}
		}
	}
	sum, sumLeast := 0.0, 0.0
	for j := range natural {
		natural[j] = max(natural[j], 8)
		sum += natural[j]
		sumLeast += least[j]
	}
	out := make([]float64, n)
	if sumLeast >= width {
		for j := range out {
			out[j] = width / float64(n)
		}
		return out
	}
	// The least widths first, the rest of the line shared by the remaining
	// natural width.
	rest, want := width-sumLeast, 0.0
	for j := range natural {
		want += max(natural[j]-least[j], 0)
	}
	for j := range out {
		out[j] = least[j]
		if want > 0 {
			out[j] += rest * max(natural[j]-least[j], 0) / want
		} else {
			out[j] += rest / float64(n)
		}
	}
	_ = sum
	return out
}

func (l *layouter) table(b Block, x, width float64) {
	n := b.columnCount()
	if n == 0 {
		return
	}
	size := tableSize(n)
	cols := l.columns(b, width, size)
	lh := lineHeight(size)
	g := &tableGrid{b: b, x: x, width: width, size: size, lh: lh, cols: cols, n: n}
	drawRow := func(row [][]Run, head bool) { l.tableRow(g, row, head) }
	rows := b.Rows
	if b.Head && len(rows) > 0 {
		head := rows[0]
		l.repeat = func() { drawRow(head, true) }
		if l.y+3*lh > bottom {
			l.newPage()
		}
		drawRow(head, true)
		rows = rows[1:]
	}
	for _, row := range rows {
		if l.err != nil {
			break
		}
		drawRow(row, false)
	}
	l.repeat = nil
}

// tableGrid is a table being laid out: its block, place, type size,
// line height and column widths.
type tableGrid struct {
	b                  Block
	x, width, size, lh float64
	cols               []float64
	n                  int
}

// tableRow draws one row of g (a head row bold and centred), moving to a
// new page (and repeating the head there) when it does not fit.
func (l *layouter) tableRow(g *tableGrid, row [][]Run, head bool) {
	wrapped := make([][]line, g.n)
	rows := 1
	for j := 0; j < g.n; j++ {
		var cell []Run
		if j < len(row) {
			cell = row[j]
		}
		if head {
			cell = styled(cell, Bold)
		}
		wrapped[j] = l.wrap(cell, g.size, g.cols[j]-2*cellPad, 0)
		rows = max(rows, len(wrapped[j]))
	}
	h := float64(rows)*g.lh + 2*cellPad
	if h > bottom-MarginTop-g.lh {
		if l.err == nil {
			l.err = errRowTooTall()
		}
		return
	}
	if l.y+h > bottom {
		l.newPage()
		if !head && l.repeat != nil {
			l.repeat()
		}
	}
	top := l.y
	cx := g.x
	for j := 0; j < g.n; j++ {
		align := AlignLeft
		if j < len(g.b.Aligns) {
			align = g.b.Aligns[j]
		}
		if head {
			align = AlignCenter
		}
		for i, ln := range wrapped[j] {
			base := top + cellPad + float64(i)*g.lh + g.size*ascent*ptMM
			lx := cx + cellPad
			switch align {
			case AlignCenter:
				lx = cx + (g.cols[j]-ln.w)/2
			case AlignRight:
				lx = cx + g.cols[j] - cellPad - ln.w
			}
			for _, p := range ln.pieces {
				l.text(lx, base, p.text, p.style, g.size)
				lx += p.w
			}
		}
		cx += g.cols[j]
	}
	// The grid: the top and bottom of the row, and its verticals.
	l.rule(g.x, top, g.x+g.width, top)
	l.rule(g.x, top+h, g.x+g.width, top+h)
	cx = g.x
	for j := 0; j <= g.n; j++ {
		l.rule(cx, top, cx, top+h)
		if j < g.n {
			cx += g.cols[j]
		}
	}
	l.y = top + h
}

// closing sets the recipients bottom left and the signature block bottom
// right, side by side, on one page.
func (l *layouter) closing(d *Document) {
	l.y += 4
	if d.Cosigner != nil {
		l.room(4*lineHeight(headerSize) + 25)
		top := l.y
		l.signature(*d.Cosigner, MarginLeft, leftColWidth)
		left := l.y
		l.y = top
		l.signature(d.Signature, rightColLeft, rightColWidth)
		l.y = max(l.y, left) + 4
		if len(d.Recipients) > 0 {
			l.room(float64(len(d.Recipients)+1) * lineHeight(recipientSize))
			l.recipients(d.Recipients)
		}
		return
	}
	recipients := 0.0
	if len(d.Recipients) > 0 {
		recipients = float64(len(d.Recipients)+1) * lineHeight(recipientSize)
	}
	l.room(max(recipients, 4*lineHeight(headerSize)+25))
	top := l.y
	if len(d.Recipients) > 0 {
		l.recipients(d.Recipients)
	}
	left := l.y
	l.y = top
	l.signature(d.Signature, rightColLeft, rightColWidth)
	l.y = max(l.y, left)
}

// recipientsHeading heads the list of recipients, bottom left.
const recipientsHeading = "Nơi nhận:"

// recipientLines are the lines of the list of recipients: "- " before each,
// a comma after all but the last, which ends with a full stop.
func recipientLines(rs []string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		end := ","
		if i == len(rs)-1 {
			end = "."
		}
		out[i] = "- " + r + end
	}
	return out
}

// recipients sets the list of recipients in the left column (recipientLines).
func (l *layouter) recipients(rs []string) {
	l.para([]Run{{Text: recipientsHeading, Style: Bold | Italic}}, recipientSize, MarginLeft, leftColWidth, 0, AlignLeft)
	for _, line := range recipientLines(rs) {
		l.para([]Run{{Text: line}}, recipientSize-1, MarginLeft, leftColWidth, 0, AlignLeft)
	}
}

// signature sets a signer's block in the column at x of width w.
func (l *layouter) signature(s Signature, x, w float64) {
	if s.Capacity != "" {
		l.para([]Run{{Text: Upper(s.Capacity), Style: Bold}}, headerSize, x, w, 0, AlignCenter)
	}
	if s.OnBehalf != "" {
		l.para([]Run{{Text: Upper(s.OnBehalf), Style: Bold}}, headerSize, x, w, 0, AlignCenter)
	}
	if s.Title != "" {
		l.para([]Run{{Text: Upper(s.Title), Style: Bold}}, headerSize, x, w, 0, AlignCenter)
	}
	if s.Capacity != "" || s.Title != "" || s.Name != "" {
		l.y += 25
	}
	if s.Name != "" {
		l.para([]Run{{Text: s.Name, Style: Bold}}, headerSize, x, w, 0, AlignCenter)
	}
}
