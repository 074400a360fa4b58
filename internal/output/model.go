// Package output prints the handbook's papers in the party format
// (Hướng dẫn 36-HD/VPTW): one layout model, a Document (page setup,
// header block, type and summary, body blocks, signature, recipients),
// and two renderers driven by it, DOCX (WriteDOCX) and PDF (WritePDF).
// A party document, a meeting's minutes or a report is only another way of
// filling a Document (FromDoc, Accountability, …).
package output

import (
	"github.com/sotay-vn/sotay/internal/date"
)

// Document is one paper in the party format.
type Document struct {
	Header Header
	// Type is the kind of paper printed in bold capitals, centred ("CHỈ
	// THỊ"); empty for an official letter (công văn), whose Subject
	// stands under the number instead.
	Type string
	// Summary is the line under the type (trích yếu), bold.
	Summary string
	Body    []Block
	// Signature is the block bottom right; Recipients the list bottom
	// left under "Nơi nhận:".
	Signature  Signature
	Recipients []string
	// Cosigner, when set, is a second signature printed bottom left beside
	// Signature (minutes: "THƯ KÝ" left, "CHỦ TRÌ" right); the recipients
	// then follow under both.
	Cosigner *Signature
	// Name is the file name without extension ("24-CT-TU"), ASCII.
	Name string
}

// Header is the top of the first page.
type Header struct {
	// Upper is the body above the issuer ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI"),
	// Issuer the issuing body ("HUYỆN ỦY PHÚ XUYÊN"); both printed in
	// capitals.
	Upper, Issuer string
	// Number is the number and symbol ("24-CT/TU"), printed "Số 24-CT/TU";
	// a symbol alone ("-BC/HU") leaves room for the number written at
	// registration.
	Number string
	// Subject is an official letter's "V/v …" under the number.
	Subject string
	// Place and Date make the date line in italics ("Phú Xuyên, ngày 08
	// tháng 9 năm 2023").
	Place string
	Date  date.Date
}

// Signature is the signer's block: "T/M BAN THƯỜNG VỤ" over "BÍ THƯ",
// room for the signature and seal, then the signer's name.
type Signature struct {
	Capacity string // "T/M BAN THƯỜNG VỤ"
	OnBehalf string // "K/T BÍ THƯ" when a deputy signs for the secretary
	Title    string // "BÍ THƯ"
	Name     string
}

// Deputy is s signed by a deputy secretary for the secretary (Hướng dẫn
// 36-HD/VPTW: "K/T" before the head's title, the deputy's own title
// below it).
func (s Signature) Deputy() Signature {
	s.OnBehalf, s.Title = "K/T BÍ THƯ", "PHÓ BÍ THƯ"
	return s
}

// Run is a piece of text in one style.
type Run struct {
	Text  string
	Style Style
}

// Align places the lines of a paragraph.
type Align uint8

const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
	AlignJustify
)

// BlockKind tells what a Block is.
type BlockKind uint8

const (
	// Paragraph: Runs; Indent (levels of 5 mm) for quotations.
	Paragraph BlockKind = iota
	// Heading: Runs at Level 1–6.
	Heading
	// List: Items, each a list of blocks, numbered from Start when
	// Ordered.
	List
	// Table: Rows of cells, each cell a list of runs; the first row is the
	// header when Head is set.
	Table
)

// Block is one block of the body.
type Block struct {
	Kind   BlockKind
	Level  int
	Runs   []Run
	Align  Align
	Indent int
	// Lists.
	Ordered bool
	Start   int
	Items   [][]Block
	// Tables.
	Rows   [][][]Run
	Head   bool
	Aligns []Align
}

// Page setup (DOMAIN.md "Minutes and the printed form"): A4, margins 20 mm
// top and bottom, 30 mm left, 15 mm right; the body in 14 pt.
const (
	PageWidth    = 210.0
	PageHeight   = 297.0
	MarginTop    = 20.0
	MarginBottom = 20.0
	MarginLeft   = 30.0
	MarginRight  = 15.0
	BodySize     = 14.0
	// ptMM is one point in millimetres.
	ptMM = 25.4 / 72
)
