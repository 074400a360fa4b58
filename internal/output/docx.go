package output

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// WriteDOCX prints d as a WordprocessingML package (.docx): the same
// model as the PDF — header block, type and summary, body, signature and
// recipients — with A4 pages and the form's margins, in Times New Roman;
// the word processor breaks the lines and pages. Table columns take the
// widths the layout gives them. A minimal valid package: content types,
// relationships, the document and its styles.
func WriteDOCX(w io.Writer, d *Document) error {
	return rendering("docx", d, func(m *metrics, d *Document) error {
		x := &docxWriter{m: m}
		if err := x.document(d); err != nil {
			return err
		}
		z := zip.NewWriter(w)
		// Fixed times: the same paper gives the same bytes.
		mod := time.Date(max(d.Header.Date.Year, 1980), max(d.Header.Date.Month, 1), max(d.Header.Date.Day, 1), 0, 0, 0, 0, time.UTC)
		for _, f := range []struct{ name, body string }{
			{"[Content_Types].xml", docxContentTypes},
			{"_rels/.rels", docxRels},
			{"word/_rels/document.xml.rels", docxDocRels},
			{"word/styles.xml", docxStyles},
			{"word/header1.xml", docxPageNumber},
			{"word/document.xml", x.b.String()},
		} {
			fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: mod})
			if err != nil {
				return err
			}
			if _, err := io.WriteString(fw, f.body); err != nil {
				return err
			}
		}
		return z.Close()
	})
}

const (
	docxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>`
	docxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`
	docxDocRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>`
	// docxPageNumber is the header of every page but the first (the
	// section has a title page with no header of its own): the page
	// number, centred at the top, as the PDF prints it.
	docxPageNumber = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>`
	docxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>`
)

// twips converts millimetres to twentieths of a point.
func twips(mm float64) int { return int(math.Round(mm / ptMM * 20)) }

type docxWriter struct {
	m *metrics
	b strings.Builder
}

func (x *docxWriter) document(d *Document) error {
	x.b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`)
	x.header(d)
	if err := x.blocks(d.Body, 0, 0); err != nil {
		return err
	}
	x.closing(d)
	fmt.Fprintf(&x.b, `<w:sectPr><w:headerReference w:type="default" r:id="rId2"/><w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="567" w:footer="567" w:gutter="0"/><w:titlePg/></w:sectPr>`,
		twips(PageWidth), twips(PageHeight), twips(MarginTop), twips(MarginRight), twips(MarginBottom), twips(MarginLeft))
	x.b.WriteString(`</w:body></w:document>`)
	return nil
}

// para writes one paragraph of runs.
type pPr struct {
	align        Align
	left, first  float64 // millimetres
	hanging      float64
	after        float64 // points
	before       float64
	keepNext     bool
	defaultStyle Style
	size         float64
}

func (x *docxWriter) para(runs []Run, p pPr) {
	b := &x.b
	b.WriteString(`<w:p><w:pPr>`)
	if p.keepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	fmt.Fprintf(b, `<w:spacing w:before="%d" w:after="%d"/>`, int(p.before*20), int(p.after*20))
	if p.left != 0 || p.first != 0 || p.hanging != 0 {
		b.WriteString(`<w:ind`)
		if p.left != 0 {
			fmt.Fprintf(b, ` w:left="%d"`, twips(p.left))
		}
		if p.first != 0 {
			fmt.Fprintf(b, ` w:firstLine="%d"`, twips(p.first))
		}
		if p.hanging != 0 {
			fmt.Fprintf(b, ` w:hanging="%d"`, twips(p.hanging))
		}
		b.WriteString(`/>`)
	}
	fmt.Fprintf(b, `<w:jc w:val="%s"/>`, [...]string{"left", "center", "right", "both"}[p.align])
	b.WriteString(`</w:pPr>`)
	for _, r := range runs {
		x.run(r.Text, r.Style|p.defaultStyle, p.size)
	}
	b.WriteString(`</w:p>`)
}

func (x *docxWriter) run(text string, st Style, size float64) {
	b := &x.b
	b.WriteString(`<w:r>`)
	if st != 0 || (size != 0 && size != BodySize) {
		b.WriteString(`<w:rPr>`)
		if st&Bold != 0 {
			b.WriteString(`<w:b/><w:bCs/>`)
		}
		if st&Italic != 0 {
			b.WriteString(`<w:i/><w:iCs/>`)
		}
		if st&Underline != 0 {
			b.WriteString(`<w:u w:val="single"/>`)
		}
		if size != 0 && size != BodySize {
			fmt.Fprintf(b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, int(size*2), int(size*2))
		}
		b.WriteString(`</w:rPr>`)
	}
	for i, part := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		if part == "" {
			continue
		}
		parts := strings.Split(part, "\t")
		for j, t := range parts {
			if j > 0 {
				b.WriteString(`<w:tab/>`)
			}
			if t == "" {
				continue
			}
			b.WriteString(`<w:t xml:space="preserve">`)
			xml.EscapeText(b, []byte(t))
			b.WriteString(`</w:t>`)
		}
	}
	b.WriteString(`</w:r>`)
}

// twoColumns writes a table without borders: the header block and the
// closing block, left and right.
func (x *docxWriter) twoColumns(left, right func()) {
	lw, rw := twips(rightColLeft-MarginLeft), twips(PageWidth-MarginRight-rightColLeft)
	fmt.Fprintf(&x.b, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="%d"/><w:gridCol w:w="%d"/></w:tblGrid><w:tr>`, lw+rw, lw, rw)
	for i, f := range []func(){left, right} {
		fmt.Fprintf(&x.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, []int{lw, rw}[i])
		n := x.b.Len()
		f()
		if x.b.Len() == n {
			x.b.WriteString(`<w:p/>`)
		}
		x.b.WriteString(`</w:tc>`)
	}
	x.b.WriteString(`</w:tr></w:tbl>`)
}

func (x *docxWriter) header(d *Document) {
	h := d.Header
	center := pPr{align: AlignCenter, size: headerSize}
	x.twoColumns(func() {
		if h.Upper != "" {
			x.para([]Run{{Text: Upper(h.Upper)}}, center)
		}
		if h.Issuer != "" {
			x.para([]Run{{Text: Upper(h.Issuer), Style: Bold}}, center)
		}
		x.para([]Run{{Text: "*"}}, center)
		if h.Number != "" {
			x.para([]Run{{Text: "Số " + h.Number}}, center)
		}
		if h.Subject != "" {
			x.para([]Run{{Text: h.Subject, Style: Italic}}, pPr{align: AlignCenter, size: recipientSize})
		}
	}, func() {
		x.para([]Run{{Text: Party, Style: Bold | Underline}}, pPr{align: AlignCenter, size: partySize})
		x.para(nil, center)
		x.para([]Run{{Text: DateLine(h.Place, h.Date), Style: Italic}}, center)
	})
	if d.Type != "" {
		x.para([]Run{{Text: Upper(d.Type), Style: Bold}}, pPr{align: AlignCenter, size: typeSize, before: 24, keepNext: true})
		if d.Summary != "" {
			x.para([]Run{{Text: d.Summary, Style: Bold}}, pPr{align: AlignCenter, size: headerSize, after: 18, keepNext: true})
		}
	} else {
		x.para(nil, pPr{after: 12})
	}
}

// headingLook is how a heading of a level is set, in Word and in the PDF
// alike: level 1 bold and centred, 2 bold, 3 bold italic, deeper italic.
func headingLook(level int) (Style, Align) {
	switch level {
	case 1:
		return Bold, AlignCenter
	case 2:
		return Bold, AlignLeft
	case 3:
		return Bold | Italic, AlignLeft
	}
	return Italic, AlignLeft
}

func (x *docxWriter) blocks(bs []Block, left float64, depth int) error {
	for _, b := range bs {
		bl := left + float64(b.Indent)*firstIndent
		switch b.Kind {
		case Heading:
			st, align := headingLook(b.Level)
			x.para(b.Runs, pPr{align: align, left: bl, before: 6, after: 3, keepNext: true, defaultStyle: st})
		case Paragraph:
			p := pPr{align: b.Align, left: bl, after: 4}
			if depth == 0 && b.Indent == 0 && b.Align == AlignJustify {
				p.first = firstIndent
			}
			if b.Indent > 0 {
				p.defaultStyle = Italic
			}
			x.para(b.Runs, p)
		case List:
			for i, item := range b.Items {
				lab := bullets[depth%len(bullets)]
				if b.Ordered {
					lab = fmt.Sprintf("%d.", b.Start+i)
				}
				x.listItem(lab, item, bl+listIndent, depth)
			}
		case Table:
			x.table(b, textWidth-bl)
		}
	}
	return nil
}

// listItem writes a list item: its label and a tab before its first
// paragraph, hanging, and the rest of its blocks indented under it.
func (x *docxWriter) listItem(label string, item []Block, left float64, depth int) {
	if len(item) == 0 || item[0].Kind != Paragraph {
		x.para([]Run{{Text: label}}, pPr{left: left, hanging: listIndent, after: 2})
		x.blocks(item, left, depth+1)
		return
	}
	runs := append([]Run{{Text: label + "\t"}}, item[0].Runs...)
	x.para(runs, pPr{align: AlignJustify, left: left, hanging: listIndent, after: 2})
	x.blocks(item[1:], left, depth+1)
}

func (x *docxWriter) table(b Block, width float64) {
	n := b.columnCount()
	if n == 0 {
		return
	}
	size := tableSize(n)
	l := &layouter{m: x.m}
	cols := l.columns(b, width, size)
	tw := make([]int, n)
	total := 0
	for j, c := range cols {
		tw[j] = twips(c)
		total += tw[j]
	}
	bd := func(side string) string {
		return `<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`
	}
	fmt.Fprintf(&x.b, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblBorders>%s%s%s%s%s%s</w:tblBorders></w:tblPr><w:tblGrid>`,
		total, bd("top"), bd("left"), bd("bottom"), bd("right"), bd("insideH"), bd("insideV"))
	for _, w := range tw {
		fmt.Fprintf(&x.b, `<w:gridCol w:w="%d"/>`, w)
	}
	x.b.WriteString(`</w:tblGrid>`)
	for i, row := range b.Rows {
		head := i == 0 && b.Head
		x.b.WriteString(`<w:tr>`)
		if head {
			x.b.WriteString(`<w:trPr><w:tblHeader/></w:trPr>`)
		}
		for j := 0; j < n; j++ {
			fmt.Fprintf(&x.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, tw[j])
			var cell []Run
			if j < len(row) {
				cell = row[j]
			}
			p := pPr{size: size}
			if j < len(b.Aligns) {
				p.align = b.Aligns[j]
			}
			if head {
				p.align, p.defaultStyle = AlignCenter, Bold
			}
			x.para(cell, p)
			x.b.WriteString(`</w:tc>`)
		}
		x.b.WriteString(`</w:tr>`)
	}
	x.b.WriteString(`</w:tbl>`)
	x.para(nil, pPr{after: 4})
}

func (x *docxWriter) closing(d *Document) {
	x.para(nil, pPr{after: 6})
	s := d.Signature
	if d.Cosigner != nil {
		x.twoColumns(func() { x.signature(*d.Cosigner) }, func() { x.signature(s) })
		if len(d.Recipients) > 0 {
			x.para(nil, pPr{after: 6})
			x.recipients(d.Recipients)
		}
		return
	}
	x.twoColumns(func() {
		if len(d.Recipients) > 0 {
			x.recipients(d.Recipients)
		}
	}, func() { x.signature(s) })
}

// recipients writes the "Nơi nhận" list (recipientLines).
func (x *docxWriter) recipients(rs []string) {
	x.para([]Run{{Text: recipientsHeading, Style: Bold | Italic}}, pPr{size: recipientSize})
	for _, line := range recipientLines(rs) {
		x.para([]Run{{Text: line}}, pPr{size: recipientSize - 1})
	}
}

// signature writes a signer's block, centred in its column.
func (x *docxWriter) signature(s Signature) {
	c := pPr{align: AlignCenter, size: headerSize, defaultStyle: Bold}
	if s.Capacity != "" {
		x.para([]Run{{Text: Upper(s.Capacity)}}, c)
	}
	if s.OnBehalf != "" {
		x.para([]Run{{Text: Upper(s.OnBehalf)}}, c)
	}
	if s.Title != "" {
		x.para([]Run{{Text: Upper(s.Title)}}, c)
	}
	if s.Capacity != "" || s.Title != "" || s.Name != "" {
		x.para(nil, pPr{after: 60})
	}
	if s.Name != "" {
		x.para([]Run{{Text: s.Name}}, c)
	}
}
