package output

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// The body of a paper is the document's Markdown, read into blocks with
// goldmark's syntax tree: headings, paragraphs with bold and italic runs,
// bulleted and numbered lists (nested), tables and quotations. Links print
// their text; images their description; raw HTML nothing.
var mdParser = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough)).Parser()

// Blocks reads a Markdown body into blocks within the bounds of the
// printed form (Limits): a body too long, too many blocks or table cells,
// lists nested too deep or a table too wide is refused with a keyed 4xx
// error saying which bound.
func Blocks(md string) ([]Block, error) {
	m, err := loadFonts()
	if err != nil {
		return nil, err
	}
	if len(md) > MaxSource {
		return nil, errTooLarge(len(md))
	}
	if err := checkNesting(md); err != nil {
		return nil, err
	}
	src := []byte(md)
	root := mdParser.Parse(text.NewReader(src))
	c := &mdConv{m: m, src: src}
	out := c.children(root, 0)
	if c.err != nil {
		return nil, c.err
	}
	return out, nil
}

// checkNesting refuses, before parsing, a line that opens more nested
// quotations or lists than MaxDepth allows: the parser would build them
// all first.
func checkNesting(md string) error {
	for line := range bytes.Lines([]byte(md)) {
		depth, indent := 0, 0
	prefix:
		for i := 0; i < len(line); i++ {
			switch c := line[i]; c {
			case ' ':
				indent++
			case '\t':
				indent += 4
			case '>', '-', '*', '+':
				depth++
			default:
				if c >= '0' && c <= '9' {
					continue
				}
				if c == '.' || c == ')' {
					depth++
					continue
				}
				break prefix
			}
		}
		if depth+indent/2 > 4*MaxDepth {
			return errTooDeep()
		}
	}
	return nil
}

type mdConv struct {
	m      *metrics
	src    []byte
	blocks int
	cells  int
	err    error
}

// count adds n blocks and reports whether the body is still within
// bounds.
func (c *mdConv) count(n int) bool {
	c.blocks += n
	if c.err == nil && c.blocks > MaxBlocks {
		c.err = errTooManyBlocks()
	}
	return c.err == nil
}

func (c *mdConv) children(n ast.Node, depth int) []Block {
	var out []Block
	for k := n.FirstChild(); k != nil && c.err == nil; k = k.NextSibling() {
		out = append(out, c.block(k, depth)...)
	}
	return out
}

func (c *mdConv) block(n ast.Node, depth int) []Block {
	if depth > MaxDepth {
		c.err = errTooDeep()
		return nil
	}
	switch v := n.(type) {
	case *ast.Heading:
		if !c.count(1) {
			return nil
		}
		return []Block{{Kind: Heading, Level: v.Level, Runs: c.inline(v)}}
	case *ast.Paragraph, *ast.TextBlock:
		if !c.count(1) {
			return nil
		}
		runs := c.inline(v)
		if len(runs) == 0 {
			return nil
		}
		return []Block{{Kind: Paragraph, Runs: runs, Align: AlignJustify}}
	case *ast.List:
		if !c.count(1) {
			return nil
		}
		b := Block{Kind: List, Ordered: v.IsOrdered(), Start: v.Start}
		for it := v.FirstChild(); it != nil && c.err == nil; it = it.NextSibling() {
			if !c.count(1) {
				return nil
			}
			b.Items = append(b.Items, c.children(it, depth+1))
		}
		return []Block{b}
	case *ast.Blockquote:
		inner := c.children(v, depth+1)
		for i := range inner {
			inner[i].Indent++
		}
		return inner
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		// Each line of code counts as a block: it is one on paper.
		lines := v.Lines()
		if !c.count(1 + lines.Len()) {
			return nil
		}
		var runs []Run
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			if i > 0 {
				runs = append(runs, Run{Text: "\n"})
			}
			runs = append(runs, Run{Text: clean(c.m, string(bytes.TrimRight(seg.Value(c.src), "\r\n")))})
		}
		return []Block{{Kind: Paragraph, Runs: runs}}
	case *east.Table:
		return c.table(v)
	}
	// Thematic breaks, HTML blocks and anything else print nothing.
	return nil
}

func (c *mdConv) table(t *east.Table) []Block {
	b := Block{Kind: Table}
	for _, a := range t.Alignments {
		switch a {
		case east.AlignCenter:
			b.Aligns = append(b.Aligns, AlignCenter)
		case east.AlignRight:
			b.Aligns = append(b.Aligns, AlignRight)
		default:
			b.Aligns = append(b.Aligns, AlignLeft)
		}
	}
	if len(b.Aligns) > MaxColumns {
		c.err = errTooWide(len(b.Aligns))
		return nil
	}
	for row := t.FirstChild(); row != nil && c.err == nil; row = row.NextSibling() {
		if _, ok := row.(*east.TableHeader); ok {
			b.Head = true
		}
		if !c.count(1) {
			return nil
		}
		var cells [][]Run
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			c.cells++
			if c.cells > MaxCells {
				c.err = errTooManyCells()
				return nil
			}
			cells = append(cells, c.inline(cell))
		}
		b.Rows = append(b.Rows, cells)
	}
	return []Block{b}
}

// inline flattens the inline children of n into runs: emphasis is italic,
// strong emphasis bold; links, code and struck text keep their text.
func (c *mdConv) inline(n ast.Node) []Run {
	var runs []Run
	add := func(s string, st Style) {
		if s == "" {
			return
		}
		if k := len(runs) - 1; k >= 0 && runs[k].Style == st && runs[k].Text != "\n" && s != "\n" {
			runs[k].Text += s
			return
		}
		runs = append(runs, Run{Text: s, Style: st})
	}
	var walk func(n ast.Node, st Style)
	walk = func(n ast.Node, st Style) {
		for k := n.FirstChild(); k != nil; k = k.NextSibling() {
			switch v := k.(type) {
			case *ast.Text:
				add(clean(c.m, string(v.Segment.Value(c.src))), st)
				switch {
				case v.HardLineBreak():
					add("\n", st)
				case v.SoftLineBreak():
					add(" ", st)
				}
			case *ast.String:
				add(clean(c.m, string(v.Value)), st)
			case *ast.Emphasis:
				s := st | Italic
				if v.Level >= 2 {
					s = st | Bold
				}
				walk(v, s)
			case *ast.RawHTML:
			case *ast.AutoLink:
				add(clean(c.m, string(v.Label(c.src))), st)
			default:
				walk(k, st)
			}
		}
	}
	walk(n, 0)
	// Trim the spaces that open and close the block.
	for len(runs) > 0 && trimSpace(runs[0].Text, true) == "" {
		runs = runs[1:]
	}
	for len(runs) > 0 && trimSpace(runs[len(runs)-1].Text, false) == "" {
		runs = runs[:len(runs)-1]
	}
	if len(runs) > 0 {
		runs[0].Text = trimSpace(runs[0].Text, true)
		runs[len(runs)-1].Text = trimSpace(runs[len(runs)-1].Text, false)
	}
	return runs
}

func trimSpace(s string, left bool) string {
	if left {
		return string(bytes.TrimLeft([]byte(s), " "))
	}
	return string(bytes.TrimRight([]byte(s), " "))
}
