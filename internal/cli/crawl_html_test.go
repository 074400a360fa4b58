package cli

import (
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// crawlDoc is what the crawl reads of a page over plain HTTP, without a
// browser (see crawlHTML).
type crawlDoc struct {
	Lang string
	// Links are the targets of the page's links (absolute), but for those
	// marked download; Downloads are the paths of those on the page's own
	// site.
	Links, Downloads []string
	// Crumbs: the page shows the tree above its unit (nav ol.crumbs li a).
	Crumbs bool
	// ErrorPage: the page is the error page (error.html).
	ErrorPage bool
	// Page is the name of the page's template (<body data-page>);
	// Elements counts the page's elements, a measure of how much of the
	// template the page shows.
	Page     string
	Elements int
	// Text is the page's text as a browser's innerText lays it out, one
	// line per block (the cells of a table row on one line), but for
	// scripts, styles, templates and what a closed details hides; then
	// the page's placeholders, titles
	// and labels, one per line (what crawlRead reads in the browser).
	Text string
}

// crawlBlocks are the elements that begin and end a line of a page's text
// (innerText breaks the line there); the cells of a row share one.
var crawlBlocks = setOf("address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog",
	"div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
	"hr", "html", "legend", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "tfoot",
	"thead", "title", "tr", "ul")

// crawlErrorPage matches the body of the error page (error.html): the
// notice and the button home.
var crawlErrorPage = regexp.MustCompile(`<p class="notice error">[^<]*</p>\s*<p><a class="button secondary" href="/">`)

// crawlVoid are the HTML elements that have no end tag.
var crawlVoid = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// crawlHTML reads the page at page (its URL, to resolve links) from body.
// It returns an error naming the line when the page is not well-formed:
// no doctype first, an element closed out of order or never closed, an end
// tag without its start, or what the tokenizer refuses. The program's
// templates close every element but the void ones, so this is stricter
// than an HTML parser, which repairs all of that silently.
func crawlHTML(page *url.URL, body string) (crawlDoc, error) {
	var d crawlDoc
	type open struct{ name, class string }
	var stack []open
	var text, attrs strings.Builder
	hidden := 0        // inside script, style, template, or a closed details but for its summary
	pre := 0           // inside pre: the line breaks are the text's
	var details []bool // the details elements open around: closed ones
	z := html.NewTokenizer(strings.NewReader(body))
	line, first := 1, true
	// inCrumbs: the open elements hold nav, then ol.crumbs, then li.
	inCrumbs := func() bool {
		want := []func(open) bool{
			func(o open) bool { return o.name == "nav" },
			func(o open) bool { return o.name == "ol" && slices.Contains(strings.Fields(o.class), "crumbs") },
			func(o open) bool { return o.name == "li" },
		}
		for _, o := range stack {
			if len(want) > 0 && want[0](o) {
				want = want[1:]
			}
		}
		return len(want) == 0
	}
	for {
		tt := z.Next()
		raw := z.Raw()
		at := line
		line += strings.Count(string(raw), "\n")
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				return d, fmt.Errorf("line %d: %v", at, z.Err())
			}
			break
		}
		if first && tt != html.TextToken {
			if tt != html.DoctypeToken {
				return d, fmt.Errorf("line %d: no doctype before %.40q", at, raw)
			}
			first = false
		}
		switch tt {
		case html.TextToken:
			if hidden == 0 && pre > 0 {
				text.Write(z.Text())
			} else if hidden == 0 {
				text.WriteString(strings.ReplaceAll(string(z.Text()), "\n", " "))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			n := string(name)
			var class, href, lang string
			download, opened := false, false
			for hasAttr {
				k, v, more := z.TagAttr()
				switch string(k) {
				case "class":
					class = string(v)
				case "href":
					href = string(v)
				case "lang":
					lang = string(v)
				case "download":
					download = true
				case "open":
					opened = true
				case "data-page":
					if n == "body" {
						d.Page = string(v)
					}
				case "placeholder", "title", "aria-label":
					attrs.WriteString("\n" + string(v))
				}
				hasAttr = more
			}
			d.Elements++
			switch {
			case crawlBlocks[n]:
				text.WriteByte('\n')
			case n == "td" || n == "th":
				text.WriteByte('\t')
			case tt == html.StartTagToken && (n == "script" || n == "style" || n == "template"):
				hidden++
			}
			if tt == html.StartTagToken {
				switch n {
				case "pre":
					pre++
				case "details":
					// A closed details shows only its summary
					// (innerText leaves the rest out).
					details = append(details, !opened)
					if !opened {
						hidden++
					}
				case "summary":
					if len(details) > 0 && details[len(details)-1] {
						hidden--
					}
				}
			}
			if n == "html" {
				d.Lang = lang
			}
			if n == "a" && href != "" {
				if u, err := page.Parse(href); err != nil {
					return d, fmt.Errorf("line %d: link %q: %v", at, href, err)
				} else if download {
					if u.Scheme == page.Scheme && u.Host == page.Host {
						d.Downloads = append(d.Downloads, u.Path)
					}
				} else {
					d.Links = append(d.Links, u.String())
				}
				d.Crumbs = d.Crumbs || inCrumbs()
			}
			if tt == html.StartTagToken && !crawlVoid[n] {
				stack = append(stack, open{n, class})
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			n := string(name)
			switch {
			case len(stack) == 0 || crawlVoid[n]:
				return d, fmt.Errorf("line %d: </%s> closes nothing", at, n)
			case stack[len(stack)-1].name != n:
				return d, fmt.Errorf("line %d: </%s> closes <%s>", at, n, stack[len(stack)-1].name)
			}
			stack = stack[:len(stack)-1]
			if crawlBlocks[n] {
				text.WriteByte('\n')
			}
			switch {
			case n == "script" || n == "style" || n == "template":
				hidden--
			case n == "pre":
				pre--
			case n == "summary" && len(details) > 0 && details[len(details)-1]:
				hidden++
			case n == "details" && len(details) > 0:
				if details[len(details)-1] {
					hidden--
				}
				details = details[:len(details)-1]
			}
		}
	}
	if len(stack) > 0 {
		return d, fmt.Errorf("<%s> not closed at the end", stack[len(stack)-1].name)
	}
	if first {
		return d, fmt.Errorf("empty page")
	}
	d.ErrorPage = crawlErrorPage.MatchString(body)
	d.Text = text.String() + attrs.String()
	return d, nil
}

// TestCrawlHTML checks the crawl's reading of pages over HTTP: on a real
// page of the program and its error page, and on broken pages.
func TestCrawlHTML(t *testing.T) {
	t.Parallel()
	m := startDemo(t)
	c := m.uiSignIn(t, "danguy.phutuc")
	home := c.get("/")
	missing := c.get("/khong-co-trang-nay")
	if home.Status != 200 || missing.Status != 404 {
		t.Fatalf("home %d, missing page %d: want 200 and 404", home.Status, missing.Status)
	}
	base, _ := url.Parse("http://" + m.Addr + "/")
	d, err := crawlHTML(base, home.Body)
	if err != nil || d.ErrorPage || d.Lang != "vi" || !slices.Contains(d.Links, "http://"+m.Addr+"/don-vi") {
		t.Errorf("home page: %+v, %v; want well-formed, vi, not the error page, linking /don-vi", d, err)
	}
	if d.Page != "home" || d.Elements < 20 {
		t.Errorf("home page: template %q, %d elements; want home, 20 or more", d.Page, d.Elements)
	}
	if d, err := crawlHTML(base, missing.Body); err != nil || !d.ErrorPage || d.Page != "error" {
		t.Errorf("error page: ErrorPage %v, template %q, %v; want true, error, well-formed", d.ErrorPage, d.Page, err)
	}
	// The members of a cell of the officer's commune: the breadcrumb of
	// the tree above.
	cell := mustChildren(t, m, childNamed(t, m, districtUnit(t, m).ID, "Đảng bộ xã Phú Túc").ID)[0]
	if a := c.get(fmt.Sprintf("/don-vi/%d/dang-vien", cell.ID)); a.Status != 200 {
		t.Errorf("members of cell %d: status %d, want 200", cell.ID, a.Status)
	} else if d, err := crawlHTML(base, a.Body); err != nil || !d.Crumbs {
		t.Errorf("members of cell %d: Crumbs %v, %v; want true", cell.ID, d.Crumbs, err)
	}
	if d, _ := crawlHTML(base, home.Body); d.Crumbs {
		t.Errorf("home page: Crumbs true, want false")
	}
	for _, c := range []struct{ name, body, want string }{
		{"no doctype", "<html><body></body></html>", "no doctype"},
		{"out of order", "<!doctype html><html><body><div><p>x</div></p></body></html>", "</div> closes <p>"},
		{"not closed", "<!doctype html><html><body><main>x</body></html>", "</body> closes <main>"},
		{"end of page", "<!doctype html><html><body>", "<body> not closed"},
		{"stray end", "<!doctype html><html></html></div>", "</div> closes nothing"},
		{"void closed", "<!doctype html><html><br></br></html>", "</br> closes nothing"},
		{"empty", "", "empty page"},
	} {
		_, err := crawlHTML(base, c.body)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
	d, err = crawlHTML(base, `<!doctype html><html lang="en"><body><nav><ol class="x crumbs"><li><a href="../a?b=1#c">a</a></li></ol></nav>`+
		`<a href="/f.xlsx" download>f</a><a href="https://example.com/x">x</a><svg><path d=""/></svg><br></body></html>`)
	want := crawlDoc{Lang: "en", Links: []string{"http://" + m.Addr + "/a?b=1#c", "https://example.com/x"}, Downloads: []string{"/f.xlsx"}, Crumbs: true}
	if err != nil || !slices.Equal(d.Links, want.Links) || !slices.Equal(d.Downloads, want.Downloads) || d.Lang != want.Lang || d.Crumbs != want.Crumbs {
		t.Errorf("made-up page: got %+v, %v; want %+v", d, err, want)
	}
	// The text as innerText lays it out: a line per block, the cells of a
	// row on one line, no script, a closed details but for its summary, a
	// pre's own lines; then the placeholders, titles, labels.
	d, err = crawlHTML(base, `<!doctype html><html lang="vi"><head><title>Tiêu đề</title><script>var no = "member list"</script></head>`+
		`<body data-page="members"><p>Có <b>3</b>`+"\n"+`đảng viên</p><table><tr><td>Mở</td><td>12</td></tr></table>`+
		`<details><summary>Thay đổi</summary><pre>{"member": "list"}</pre></details><details open><summary>Mở</summary><pre>a`+"\n"+`b</pre></details>`+
		`<input placeholder="Tìm tên"><a title="Về đầu" aria-label="Đầu trang" href="/">^</a></body></html>`)
	wantLines := []string{"Tiêu đề", "Có 3 đảng viên", "Mở\t12", "Thay đổi", "Mở", "a", "b", "^", "Tìm tên", "Về đầu", "Đầu trang"}
	var gotLines []string
	for _, l := range strings.Split(d.Text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			gotLines = append(gotLines, l)
		}
	}
	if err != nil || d.Page != "members" || d.Elements != 19 || !slices.Equal(gotLines, wantLines) {
		t.Errorf("made-up page: template %q, %d elements, lines %q, %v; want members, 19, %q", d.Page, d.Elements, gotLines, err, wantLines)
	}
}
