package doc

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
)

// Bodies are stored as Markdown source and rendered on read. Rendering is
// safe in two layers: goldmark runs without raw HTML (html.WithUnsafe is
// off, so raw HTML becomes an omitted comment) and with a transformer that
// unlinks every link whose scheme is not http, https or mailto and turns
// images into plain links (nothing loads by itself); then the HTML goldmark
// wrote passes an allow-list of tags and attributes.

var markdown = goldmark.New(
	goldmark.WithExtensions(
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
		extension.Strikethrough,
		extension.Linkify,
	),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(linkPolicy{}, 999))),
)

// Render returns the sanitised HTML of a Markdown body.
func Render(md string) string {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(md), &buf); err != nil {
		return "<p>" + html.EscapeString(md) + "</p>"
	}
	return Sanitize(buf.String())
}

// PlainText returns the text of a Markdown body without its markup, for
// the search index and for snippets.
func PlainText(md string) string {
	z := html.NewTokenizer(strings.NewReader(Render(md)))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			if blockTags[string(name)] {
				b.WriteByte('\n')
			}
		}
	}
}

// AllowedURL reports whether a link may point at u: http, https and mailto
// only (no javascript:, data:, relative or protocol-less links).
func AllowedURL(u string) bool {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return p.Host != ""
	case "mailto":
		return p.Opaque != ""
	}
	return false
}

// linkPolicy rewrites links before rendering: a link with a scheme that is
// not allowed keeps only its text; an image becomes a link to its source
// (or its alt text alone).
type linkPolicy struct{}

func (linkPolicy) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var unlink, images []ast.Node
	var autos []*ast.AutoLink
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Link:
			if !AllowedURL(string(v.Destination)) {
				unlink = append(unlink, v)
			}
		case *ast.Image:
			images = append(images, v)
		case *ast.AutoLink:
			if !AllowedURL(string(v.URL(src))) {
				autos = append(autos, v)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		im := img.(*ast.Image)
		if AllowedURL(string(im.Destination)) && !insideLink(im) {
			l := ast.NewLink()
			l.Destination, l.Title = im.Destination, im.Title
			moveChildren(im, l)
			im.Parent().ReplaceChild(im.Parent(), im, l)
			continue
		}
		unlink = append(unlink, im)
	}
	for _, n := range unlink {
		parent := n.Parent()
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
	for _, a := range autos {
		a.Parent().ReplaceChild(a.Parent(), a, ast.NewString(a.Label(src)))
	}
}

func insideLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.Link); ok {
			return true
		}
	}
	return false
}

func moveChildren(from, to ast.Node) {
	for c := from.FirstChild(); c != nil; {
		next := c.NextSibling()
		to.AppendChild(to, c)
		c = next
	}
}

// allowedTags are the elements a rendered body may hold, with the
// attributes each may keep.
var allowedTags = map[string][]string{
	"p": nil, "br": nil, "hr": nil, "h1": nil, "h2": nil, "h3": nil, "h4": nil, "h5": nil, "h6": nil,
	"strong": nil, "em": nil, "del": nil, "code": nil, "pre": nil, "blockquote": nil,
	"ul": nil, "ol": {"start"}, "li": nil, "a": {"href", "title"},
	"table": nil, "thead": nil, "tbody": nil, "tr": nil, "th": {"align"}, "td": {"align"},
}

// dropWithContent are elements whose content is never text to show.
var dropWithContent = map[string]bool{"script": true, "style": true, "iframe": true, "object": true, "embed": true,
	"template": true, "noscript": true, "textarea": true, "title": true, "svg": true, "math": true, "select": true}

var blockTags = map[string]bool{"p": true, "br": true, "hr": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "pre": true, "blockquote": true, "li": true, "tr": true, "td": true, "th": true, "ul": true, "ol": true, "table": true}

// Sanitize keeps only allowed tags and attributes of an HTML fragment:
// other tags are dropped (their text kept, escaped), script-like elements
// are dropped with their content, comments disappear, links keep only
// allowed URLs and get rel="nofollow noopener noreferrer".
func Sanitize(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var b strings.Builder
	skip := 0 // depth inside a dropped element
	var skipTag string
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.WriteString(html.EscapeString(string(z.Text())))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			if skip > 0 {
				if t.Data == skipTag && tt == html.StartTagToken {
					skip++
				}
				continue
			}
			if dropWithContent[t.Data] {
				if tt == html.StartTagToken {
					skip, skipTag = 1, t.Data
				}
				continue
			}
			attrs, ok := allowedTags[t.Data]
			if !ok {
				continue
			}
			b.WriteByte('<')
			b.WriteString(t.Data)
			for _, a := range t.Attr {
				if a.Namespace != "" || !contains(attrs, a.Key) {
					continue
				}
				if a.Key == "href" && !AllowedURL(a.Val) {
					continue
				}
				if a.Key == "align" && a.Val != "left" && a.Val != "right" && a.Val != "center" {
					continue
				}
				if a.Key == "start" && !isDigits(a.Val) {
					continue
				}
				b.WriteString(" " + a.Key + `="` + html.EscapeString(a.Val) + `"`)
			}
			if t.Data == "a" {
				b.WriteString(` rel="nofollow noopener noreferrer"`)
			}
			b.WriteByte('>')
		case html.EndTagToken:
			t := z.Token()
			if skip > 0 {
				if t.Data == skipTag {
					skip--
				}
				continue
			}
			if _, ok := allowedTags[t.Data]; ok && t.Data != "br" && t.Data != "hr" {
				b.WriteString("</" + t.Data + ">")
			}
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
