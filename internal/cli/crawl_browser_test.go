package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/store"

	"github.com/chromedp/chromedp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/meeting"
)

// crawlRoles are the demo accounts the crawl signs in as.
var crawlRoles = []string{"admin", "vanphong", "btv", "danguy.phutuc", "bithu.phutuc", "dangvien"}

const (
	// crawlPages caps the pages walked per role.
	crawlPages = 150
	// crawlPerShape is how many pages of one route shape (the path with
	// its numbers replaced, and the names of its query parameters) the
	// walk visits (follows the links of): the crawl samples each route
	// rather than every member of the district.
	crawlPerShape = 2
	// crawlUnitPages is crawlPerShape for the unit pages; besides, the
	// walk goes down the tree from every unit page it walks (its first
	// child), to a cell, whose page alone links the form of a new member.
	crawlUnitPages = 3
	// crawlAskPerShape caps the links of one route shape whose status
	// is asked per role (a unit lists hundreds of members, all of one
	// shape), but for the walk's way down the tree.
	crawlAskPerShape = 30
	// phoneWidth is the screen the pages must fit.
	phoneWidth = 390
)

// crawlSkip are same-site links the crawl does not follow: they change
// state on GET (the language switch sets a cookie; signing out would end
// the crawl), or they are not pages (static files, the web app's files).
var crawlSkip = regexp.MustCompile(`^/(ngon-ngu|dang-xuat|dang-nhap|static/|sw\.js|manifest\.webmanifest)`)

// crawlKnown are the problems the crawl has found and that are too big for
// the change that added it; each names its issue. The crawl reports them
// with t.Log rather than failing, so that it still fails on any new one.
var crawlKnown = map[string]string{}

// The English heuristic. A Vietnamese page's visible text (and its
// placeholders, titles and labels) is read line by line. A line reads as
// English when it holds two words of englishWords, or one of englishStrong,
// or an identifier such as "tree_audit.member.list" (a catalogue key or a
// code that no one translated: lower-case words joined by dots, one of them
// with an underscore or from englishWords). The words are English words
// that are not Vietnamese syllables written without diacritics ("to",
// "an", "in", "a", "no", "the", "be" are left out: each is also Vietnamese,
// or part of a name), so Vietnamese text, names, codes (HN.PX, 24-CT/TU),
// usernames (danguy.phutuc) and e-mail addresses do not match. The list
// holds the common function words and the words of the program's own codes
// (member.read, open_overdue, forwarded, …), which is where English leaks
// from. It misses an English word alone on a line that is not in the list;
// it does not flag brand names (Excel, Markdown) or a browser's user agent.
var englishWords = setOf(
	// function words
	"is", "are", "was", "were", "been", "not", "and", "of", "with", "for", "this", "that", "your",
	"you", "has", "have", "will", "should", "from", "which", "there", "only", "by", "or", "into",
	"than", "does", "here", "already", "when", "must", "cannot", "found", "please", "invalid",
	"required", "error", "unknown", "page", "run", "dry",
	// the words of the program's codes: audit actions, states, metrics
	"member", "members", "unit", "units", "task", "tasks", "document", "documents", "account",
	"read", "list", "create", "update", "export", "import", "status", "transfer", "hide", "revise",
	"accept", "forward", "return", "escalate", "complete", "extend", "suspend", "resume", "rules",
	"late", "overdue", "pending", "accepted", "done", "returned", "forwarded", "escalated",
	"escalations", "returns", "sideways", "pushed", "unanswered", "extension", "requests",
	"score", "rate", "total", "days", "day", "open", "closed", "draft", "published",
)

var englishStrong = setOf("must", "cannot", "found", "please", "invalid", "required", "error", "unknown",
	"overdue", "escalated", "forwarded", "unanswered")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

var (
	wordRE  = regexp.MustCompile(`\pL+`)
	identRE = regexp.MustCompile(`(?:^|[\s(])([a-z][a-z_]*(?:\.[a-z_]+)+)(?:$|[\s),:;])`)
)

// englishLine says whether a line of visible text reads as English, and
// which words made it so.
func englishLine(line string) (bool, []string) {
	var hits []string
	strong := false
	for _, w := range wordRE.FindAllString(strings.ToLower(line), -1) {
		if englishWords[w] {
			hits = append(hits, w)
			strong = strong || englishStrong[w]
		}
	}
	for _, m := range identRE.FindAllStringSubmatch(line, -1) {
		for _, part := range strings.Split(m[1], ".") {
			if strings.Contains(part, "_") || englishWords[part] {
				hits, strong = append(hits, m[1]), true
				break
			}
		}
	}
	return len(hits) >= 2 || strong, hits
}

// crawlNumber is a path segment that is a number.
var crawlNumber = regexp.MustCompile(`^\d+$`)

// crawlShape is a URL's route shape: numbers become {id}, the query keeps
// only its parameters' names.
func crawlShape(u *url.URL) string {
	var b strings.Builder
	for i, seg := range strings.Split(u.Path, "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		if crawlNumber.MatchString(seg) {
			seg = "{id}"
		}
		b.WriteString(seg)
	}
	var keys []string
	for k := range u.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		b.WriteString("?" + strings.Join(keys, "&"))
	}
	return b.String()
}

// crawlPage is what the browser reads of a rendered page.
type crawlPage struct {
	Lang   string   `json:"lang"`
	Width  int      `json:"width"`
	Text   string   `json:"text"`
	Wide   []string `json:"wide"`
	Crumbs bool     `json:"crumbs"`
}

// crawlRead returns the page's language and width, and which elements
// stick out of the screen, to name the culprit; and when text is true its
// visible text. It reads no links: the walk over HTTP follows them. The
// English renders' words are not checked (see crawlRender), so their text
// is read only for SOTAY_CRAWL_DUMP: the renders are of the fullest page of
// each template, whose text and links Chromium gathered, encoded and sent
// for the test to decode, and the test did not use.
func crawlRead(text bool) string {
	return `(() => {
  const wide = [];
  if (document.documentElement.scrollWidth > ` + fmt.Sprint(phoneWidth) + `) for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.right > ` + fmt.Sprint(phoneWidth) + ` + 1 && wide.length < 3) {
      wide.push(e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(r.right) + 'px');
    }
  }
  return {
    lang: document.documentElement.lang,
    width: document.documentElement.scrollWidth,
    text: !` + fmt.Sprint(text) + ` ? "" : [document.title, document.body.innerText].concat(
      Array.from(document.querySelectorAll('[placeholder], [title], [aria-label]'), e =>
        [e.getAttribute('placeholder'), e.getAttribute('title'), e.getAttribute('aria-label')].filter(Boolean).join('\n'))).join('\n'),
    wide: wide,
    crumbs: !!document.querySelector('nav ol.crumbs li a'),
  };
})()`
}

// TestBrowserCrawl signs in as every demo role and walks the pages the way
// a person clicking would, breadth-first from the home page, following
// same-site links (never submitting a form), over plain HTTP. It fails on
// a page that answers 5xx; a link to a page the role may not see (answers
// 404, or any other 4xx); a linked page that is not well-formed HTML, is
// the error page, is not in Vietnamese, lacks its breadcrumb or shows a
// line that reads as English (crawlHTML and englishLine: every link asked
// is checked so); and a page the permission matrix lets the role open that
// no page reached links to.
//
// Then it renders each page template the walks met once in Chromium, on a
// 390-pixel-wide phone, in Vietnamese and again in English after clicking
// the language switch: the page of that template with the most elements
// among all the roles' walks, as its role (the role that sees most of the
// template). What the browser adds to the walk: the page's scripts run
// under the real Content-Security-Policy, so a script error, a CSP
// violation or anything else the page logs as an error fails the test; the
// layout is computed, so a page wider than the screen fails; and the text
// is read as the browser shows it. Once per template is enough for these:
// the scripts, styles and policy come with the template and the layout,
// not with the record a page shows, and the page picked is the fullest
// one; the words and everything else are checked on every page over HTTP.
// Rendering a page per route shape and role (446 renders) was most of the
// suite's CPU.
func TestBrowserCrawl(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	m := startDemo(t)
	crawlTasks(t, m)
	base := "http://" + m.Addr
	start := time.Now()
	walks := make([]*crawlWalk, len(crawlRoles))
	t.Run("walk", func(t *testing.T) {
		crawlAtOnce(t, crawlRoles, func(t *testing.T, i int, role string) {
			walks[i] = crawlWalkAs(t, m, base, role)
		})
	})
	picks, templates := crawlPickPages(walks)
	t.Logf("walked every role in %v; rendering %d templates: %s", time.Since(start).Round(time.Millisecond), len(templates), strings.Join(templates, " "))
	t.Run("render", func(t *testing.T) {
		var names, roles []string
		var parts [][]string
		for _, role := range crawlRoles {
			for i, part := range crawlRenderParts(picks[role]) {
				name := role
				if i > 0 {
					name = fmt.Sprintf("%s-%d", role, i+1)
				}
				names, roles, parts = append(names, name), append(roles, role), append(parts, part)
			}
		}
		crawlAtOnce(t, names, func(t *testing.T, i int, _ string) {
			crawlRender(t, exe, base, roles[i], parts[i])
		})
	})
	t.Logf("crawled and rendered in %v", time.Since(start).Round(time.Millisecond))
}

// crawlRenderPart is the most pages one tab renders: a role with more is
// rendered in parts of near equal size, each in a tab of its own (signed
// in, and switched to English, on its own). The admin sees most templates
// (37 of 58): rendered in one tab, twice each, its part took as long as
// all the other roles' together and ended the crawl; in parts, they share
// the tabs with the package's other browser tests.
const crawlRenderPart = 15

// crawlRenderParts splits paths into parts of at most crawlRenderPart
// pages, of near equal size, in order.
func crawlRenderParts(paths []string) [][]string {
	if len(paths) == 0 {
		return nil
	}
	n := (len(paths) + crawlRenderPart - 1) / crawlRenderPart
	parts := make([][]string, 0, n)
	for i := range n {
		parts = append(parts, paths[i*len(paths)/n:(i+1)*len(paths)/n])
	}
	return parts
}

// crawlAtOnce runs fn as one subtest per role, all at once. Not as
// parallel subtests (t.Parallel): those wait for a free slot of the
// package's parallel tests behind every test queued before them, and the
// crawl, the longest test, is among the first to start: in the whole
// package under load 30 its walks began ten minutes after it, and its
// renders after them ended the package (docs/benchmarks.md, "The suite,
// session 9"). The renders still take turns for the browser's tabs
// (startChromium).
func crawlAtOnce(t *testing.T, roles []string, fn func(t *testing.T, i int, role string)) {
	var fns []func()
	for i, role := range roles {
		fns = append(fns, func() { t.Run(role, func(t *testing.T) { fn(t, i, role) }) })
	}
	atOnce(len(fns), fns)
}

// crawlTemplateName is what <body data-page> holds: the name of the
// page's template (a page's own field named like the layout's would show
// instead; the render would then miss that template).
var crawlTemplateName = regexp.MustCompile(`^[a-z][a-z_]*$`)

// crawlWalk is what one role's walk found: the pages walked, in order, and
// what crawlHTML read of them.
type crawlWalk struct {
	role   string
	walked []string
	docs   map[string]*crawlDoc
}

// crawlPickPages chooses the page each template is rendered on: among the
// pages the walks went through, the one with the most elements (the first
// role's, in crawlRoles order, on a tie). It returns the pages to render
// by role, and the templates.
func crawlPickPages(walks []*crawlWalk) (map[string][]string, []string) {
	type pick struct {
		role, path string
		elements   int
	}
	best := map[string]pick{}
	for _, w := range walks {
		if w == nil {
			continue // that walk failed
		}
		for _, path := range w.walked {
			d := w.docs[path]
			if d == nil || d.Page == "" {
				continue
			}
			if b, ok := best[d.Page]; !ok || d.Elements > b.elements {
				best[d.Page] = pick{w.role, path, d.Elements}
			}
		}
	}
	var templates []string
	for name := range best {
		templates = append(templates, name)
	}
	sort.Strings(templates)
	byRole := map[string][]string{}
	for _, name := range templates {
		byRole[best[name].role] = append(byRole[best[name].role], best[name].path)
	}
	return byRole, templates
}

// crawlReporter collects a role's problems, but for the known ones
// (crawlKnown), each once.
func crawlReporter(t *testing.T, role string) (report func(pageURL, what string), problems func() []string) {
	var mu sync.Mutex
	var found []string
	reported := map[string]bool{}
	report = func(pageURL, what string) {
		mu.Lock()
		defer mu.Unlock()
		key := role + " " + pageURL + " " + what
		for k, issue := range crawlKnown {
			if strings.Contains(key, k) {
				t.Logf("known (%s): %s", issue, key)
				return
			}
		}
		if p := fmt.Sprintf("%s %s: %s", role, pageURL, what); !reported[p] {
			reported[p] = true
			found = append(found, p)
		}
	}
	return report, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), found...)
	}
}

// crawlEnglishText reports each line of text that reads as English.
func crawlEnglishText(report func(pageURL, what string), pageURL, text string) {
	for _, line := range strings.Split(text, "\n") {
		if en, words := englishLine(line); en {
			report(pageURL, fmt.Sprintf("English on a Vietnamese page: %q (%s)", strings.TrimSpace(line), strings.Join(words, " ")))
		}
	}
}

// crawlWalkAs walks the pages as role over plain HTTP (see
// TestBrowserCrawl): breadth-first from the home page, up to crawlPages
// pages, crawlPerShape of each route shape (crawlUnitPages of the unit
// pages, and the way down the tree), asking the status of the links of
// each page walked (crawlAskPerShape of a shape) and checking each HTML
// answer.
func crawlWalkAs(t *testing.T, m *Main, base, role string) *crawlWalk {
	start := time.Now()
	c := m.uiSignIn(t, role)
	report, problems := crawlReporter(t, role)
	seen := map[string]bool{}      // the paths linked from the pages walked
	status := map[string]int{}     // link → status, asked of the server
	docs := map[string]*crawlDoc{} // link → the HTML page it answered
	asked := map[string]int{}      // route shape → links asked
	// ask gets link over HTTP once, reports a 4xx or 5xx answer (linked
	// from path), and checks an HTML answer as crawlHTML reads it.
	ask := func(path, link string, u *url.URL) {
		a := c.get(link)
		status[link] = a.Status
		switch {
		case a.Status >= 500:
			report(link, fmt.Sprintf("answers %d (linked from %s)", a.Status, path))
		case a.Status >= 400:
			report(path, fmt.Sprintf("links to %s, which answers %d for %s", link, a.Status, role))
		case a.Status == http.StatusOK && strings.HasPrefix(a.Header.Get("Content-Type"), "text/html"):
			d, err := crawlHTML(u, a.Body)
			switch {
			case err != nil:
				report(link, "not well-formed HTML: "+err.Error())
			case d.ErrorPage:
				report(link, "answers 200 with the error page")
			case d.Lang != "vi":
				report(link, fmt.Sprintf("page language %q, want vi", d.Lang))
			case crawlNeedsCrumbs.MatchString(u.Path) && !d.Crumbs:
				report(link, "no breadcrumb of the tree above its unit")
			}
			if err == nil {
				if !crawlTemplateName.MatchString(d.Page) {
					report(link, fmt.Sprintf("template name %q on <body data-page>, want a page's name", d.Page))
				}
				crawlEnglishText(report, link, d.Text)
				docs[link] = &d
			}
		}
	}
	home, _ := url.Parse(base + "/")
	ask("", "/", home)
	shapes := map[string]int{}  // route shape → pages walked
	queued := map[string]bool{} // link → in the queue already
	queue := []string{"/"}
	queued["/"] = true
	var walked []string
	for len(queue) > 0 && len(walked) < crawlPages {
		path := queue[0]
		queue = queue[1:]
		walked = append(walked, path)
		d := docs[path]
		if d == nil {
			continue // the home page, when it failed
		}
		for _, p := range d.Downloads {
			seen[p] = true
		}
		// A unit page's first unit link not yet queued (its first child:
		// a district lists its own cells first) is followed whatever the
		// sample of unit pages, so that the walk goes down the tree to a
		// cell from any unit the role starts at.
		unitPage, descended := crawlShape(&url.URL{Path: path}) == "/don-vi/{id}", false
		for _, href := range d.Links {
			u, err := url.Parse(href)
			if err != nil || u.Scheme+"://"+u.Host != base || crawlSkip.MatchString(u.Path) {
				continue
			}
			u.Fragment = ""
			seen[u.Path] = true
			link := u.RequestURI()
			shape := crawlShape(u)
			limit := crawlPerShape
			if shape == "/don-vi/{id}" {
				limit = crawlUnitPages
			}
			descend := unitPage && !descended && shape == "/don-vi/{id}" && !queued[link]
			if _, seen := status[link]; !seen {
				// The cap bounds the many links of one shape (a unit's
				// members), not the reach of the walk.
				if asked[shape] >= crawlAskPerShape && !descend {
					continue
				}
				asked[shape]++
				ask(path, link, u)
			}
			if docs[link] == nil || queued[link] {
				continue
			}
			if shapes[shape] >= limit && !descend {
				continue
			}
			descended = descended || descend
			shapes[shape]++
			queued[link] = true
			queue = append(queue, link)
		}
	}
	t.Logf("%s: walked %d pages of %d route shapes, asked %d links, in %v",
		role, len(walked), len(shapes), len(status), time.Since(start).Round(time.Millisecond))
	for _, p := range crawlUnreached(role, seen) {
		report(p, "no link to it from the pages reached from the home page")
	}
	for _, p := range problems() {
		t.Error(p)
	}
	return &crawlWalk{role: role, walked: walked, docs: docs}
}

// crawlRender renders paths as role in Chromium on a phone (see
// TestBrowserCrawl), in Vietnamese, then in English.
func crawlRender(t *testing.T, exe, base, role string, paths []string) {
	start := time.Now()
	ctx, logged := openTab(t, exe, browserErrors, 240*time.Second)
	report, problems := crawlReporter(t, role)
	// errorsSeen are the errors the pages logged that were reported.
	errorsSeen := 0
	newErrors := func(path string) {
		errs := logged()
		for _, e := range errs[errorsSeen:] {
			report(path, "logs an error: "+e)
		}
		errorsSeen = len(errs)
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(phoneWidth, 844, chromedp.EmulateMobile),
		chromedp.Navigate(base+"/dang-nhap"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		typeText(chromedp.CSS("#username"), role),
		typeText(chromedp.CSS("#password"), demoPassword()),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("form.signout")),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", role, err)
	}
	newErrors("/dang-nhap")
	// render opens path and checks what every page must be in the
	// language the browser has chosen, want.
	render := func(path, want string) {
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+path))
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		if resp.Status >= 400 {
			report(path, fmt.Sprintf("answers %d", resp.Status))
			return
		}
		p, err := chromedp.Run(ctx, chromedp.Evaluate[crawlPage](crawlRead(want == "vi" || os.Getenv("SOTAY_CRAWL_DUMP") != "")))
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		if dump := os.Getenv("SOTAY_CRAWL_DUMP"); dump != "" {
			os.MkdirAll(filepath.Join(dump, want, role), 0o755)
			os.WriteFile(filepath.Join(dump, want, role, strings.NewReplacer("/", "_", "?", "_").Replace(path)+".txt"), []byte(p.Text), 0o644)
		}
		if p.Width > phoneWidth {
			report(path, fmt.Sprintf("%d px wide on a %d px screen (%s)", p.Width, phoneWidth, strings.Join(p.Wide, ", ")))
		}
		if crawlNeedsCrumbs.MatchString(path) && !p.Crumbs {
			report(path, "no breadcrumb of the tree above its unit")
		}
		switch {
		case p.Lang != want:
			report(path, fmt.Sprintf("page language %q, want %s", p.Lang, want))
		case want == "vi":
			crawlEnglishText(report, path, p.Text)
		}
		newErrors(path)
	}
	for _, path := range paths {
		render(path, "vi")
	}
	// The language switch, clicked in the header of the home page; then
	// the same pages in English (their words are not checked: an
	// untranslated Vietnamese word is readable, but the page must work
	// and fit).
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.Click(chromedp.CSS(`header a[href^="/ngon-ngu?lang=en"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang=en] form.signout`)),
	)
	if err != nil {
		t.Fatalf("switch to English: %v", err)
	}
	newErrors("/ngon-ngu")
	for _, path := range paths {
		render(path, "en")
	}
	t.Logf("%s: rendered %d pages twice (Vietnamese, English) in %v", role, len(paths), time.Since(start).Round(time.Millisecond))
	for _, p := range problems() {
		t.Error(p)
	}
}

// crawlTasks gives the crawl work to walk through, until the demo has its
// own: the office assigns three tasks to commune Phú Túc; the commune
// accepts one and reports on it late (flag: overdue), forwards one down to
// a cell, and one sideways to commune Châu Can (flag: pushed sideways);
// the commune and the cell post news of their own.
func crawlTasks(t *testing.T, m *Main) {
	t.Helper()
	clock := newTaskClock(m, "2026-11-02") // a Monday; the server moves to a new address
	district, err := m.App.Org.Resolve(context.Background(), auth.SystemActor(), "HN.PX")
	if err != nil {
		t.Fatal(err)
	}
	phuTuc := childNamed(t, m, district.ID, "Đảng bộ xã Phú Túc")
	chauCan := childNamed(t, m, district.ID, "Đảng bộ xã Châu Can")
	cell := mustChildren(t, m, phuTuc.ID)[0]
	office, commune := m.signIn(t, "vanphong"), m.signIn(t, "danguy.phutuc")
	var ids []int64
	for _, title := range []string{"Triển khai Chỉ thị 24-CT/TU", "Báo cáo sơ kết 6 tháng", "Rà soát đảng viên miễn sinh hoạt"} {
		var tj taskJSON
		if st := office.do("POST", "/api/v1/tasks", map[string]any{"title": title, "unit_id": phuTuc.ID, "workdays": 5}, &tj); st != 201 {
			t.Fatalf("assign %q: %d", title, st)
		}
		ids = append(ids, tj.ID)
	}
	step := func(id int64, body map[string]any) {
		t.Helper()
		if st := commune.do("POST", fmt.Sprintf("/api/v1/tasks/%d/steps", id), body, nil); st != 201 {
			t.Fatalf("%v on task %d: %d", body, id, st)
		}
	}
	step(ids[0], map[string]any{"action": "accept", "note": "Đã tiếp nhận"})
	step(ids[1], map[string]any{"action": "forward", "to_unit_id": cell.ID, "note": "Giao chi bộ thực hiện"})
	step(ids[2], map[string]any{"action": "forward", "to_unit_id": chauCan.ID, "note": "Đề nghị xã bạn xử lý"})
	clock.On("2026-11-20")
	step(ids[0], map[string]any{"action": "report", "percent": 50, "note": "Đã quán triệt ở 8 chi bộ"})
	// News of the commune and of the cell, which their officers may edit
	// (featured: the lists show it first).
	cellOfficer, _, err := store.Accounts{DB: m.App.DB}.ByUsername(context.Background(), "bithu.phutuc")
	if err != nil || len(cellOfficer.Roles) == 0 {
		t.Fatalf("the cell officer's account: %v", err)
	}
	for _, n := range []struct {
		user string
		unit int64
	}{{"danguy.phutuc", phuTuc.ID}, {"bithu.phutuc", cellOfficer.Roles[0].UnitID}} {
		if st := m.signIn(t, n.user).do("POST", "/api/v1/news", map[string]any{"title": "Ra quân dọn vệ sinh", "category": "Phong trào",
			"featured": true, "body": "Toàn thể đảng viên ra quân.", "audience": map[string]any{"unit_id": n.unit}}, nil); st != 201 {
			t.Fatalf("news by %s: %d", n.user, st)
		}
	}
	// An upcoming meeting of the cell (the demo's are held and closed):
	// its page links meeting mode for the cell's officers and those above.
	starts := m.App.Meetings.Now().Add(48 * time.Hour).Truncate(time.Hour)
	if _, err := m.App.Meetings.Schedule(context.Background(), auth.SystemActor(), cellOfficer.Roles[0].UnitID, meeting.CreateInput{
		Kind: meeting.Regular, StartsAt: starts, Place: "Nhà văn hóa thôn", Topic: "Sinh hoạt chi bộ thường kỳ",
	}); err != nil {
		t.Fatalf("schedule a meeting of the cell: %v", err)
	}
	crawlOutbreak(t, m) // outbreak_pages_test.go
}

// crawlNeedsCrumbs are the pages about something in a unit (its members,
// a member, its tasks, its restructuring): they show the tree above it.
// The unit's own page shows the units above it, if any are in reach.
var crawlNeedsCrumbs = regexp.MustCompile(`^/(don-vi/\d+/|dang-vien/\d+)`)

// crawlNotLinked are the pages no page links to, on purpose: the
// sign-in and language switch, files, the offline page of the web app,
// the QR code image of the second factor.
var crawlNotLinked = regexp.MustCompile(`^GET /(\{\$\}|static/|ngon-ngu|dang-nhap|sw\.js|manifest\.webmanifest|ngoai-tuyen|tai-khoan/xac-thuc/ma-qr|api/|healthz|metrics)`)

// crawlUnreached lists the page routes the permission matrix lets role
// open (200) that no page reached from the home page links to.
func crawlUnreached(role string, seen map[string]bool) []string {
	var out []string
	for pattern, e := range allPermEntries() {
		if !strings.HasPrefix(pattern, "GET /") || crawlNotLinked.MatchString(pattern) {
			continue
		}
		opens := false
		for _, p := range e.probes {
			opens = opens || p.method == "GET" && p.allowed != nil && p.allowed(role) == http.StatusOK
		}
		if !opens {
			continue
		}
		re := regexp.MustCompile("^" + regexp.MustCompile(`\\\{[a-z_]+\\\}`).ReplaceAllString(regexp.QuoteMeta(strings.TrimPrefix(pattern, "GET ")), `[^/]+`) + "$")
		found := false
		for path := range seen {
			if re.MatchString(path) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, pattern)
		}
	}
	sort.Strings(out)
	return out
}

// TestEnglishLine checks the crawl's heuristic on lines the pages showed.
func TestEnglishLine(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		line string
		want bool
	}{
		{"Cách tính điểm: 3·open_overdue + 2·done_late + 2·unanswered", true},
		{"member.read", true},
		{"06/12/2026 · tree_audit.member.list", true},
		{"Kiểm tra trước (dry run): chỉ kiểm tra, chưa ghi", true},
		{"not found", true},
		{"You cannot do this", true},
		{"Cách tính điểm: 3 × Đang quá hạn + 2 × Trễ hạn + 1 × Xin gia hạn", false},
		{"Huyện ủy Phú Xuyên › Đảng bộ xã Phú Túc › Chi bộ thôn An Khoái", false},
		{"02:30 06/12/2026 · danguy.phutuc · 127.0.0.1 · Hồ sơ đảng viên 1719", false},
		{"tranducanh65@gmail.com", false},
		{"Tệp danh sách (.xlsx hoặc .csv)", false},
		{"Chỉ thị 24-CT/TU · HN.PX", false},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)", false},
		{"English", false},
	} {
		if got, words := englishLine(c.line); got != c.want {
			t.Errorf("englishLine(%q) = %v (%v), want %v", c.line, got, words, c.want)
		}
	}
}

// TestCrawlUnreached checks the crawl's reach check on made-up crawls.
func TestCrawlUnreached(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		role       string
		seen       []string
		want, nope string
	}{
		{"dangvien", nil, "GET /cong-viec", ""},
		{"dangvien", []string{"/cong-viec", "/dang-vien/12"}, "", "GET /cong-viec"},
		{"dangvien", []string{"/dang-vien/12"}, "", "GET /dang-vien/{id}"},
		{"dangvien", nil, "", "GET /quan-tri/tai-khoan"}, // not the member's
		{"admin", nil, "GET /quan-tri/tai-khoan", ""},
		{"admin", nil, "", "GET /ngoai-tuyen"}, // linked from nowhere on purpose
	} {
		seen := map[string]bool{}
		for _, p := range c.seen {
			seen[p] = true
		}
		got := crawlUnreached(c.role, seen)
		if c.want != "" && !slices.Contains(got, c.want) {
			t.Errorf("%s seeing %v: unreached %v, want %s among them", c.role, c.seen, got, c.want)
		}
		if c.nope != "" && slices.Contains(got, c.nope) {
			t.Errorf("%s seeing %v: unreached %v, want no %s", c.role, c.seen, got, c.nope)
		}
	}
}
