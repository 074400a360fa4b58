package ui

import (
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/notify"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/output"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The member's handbook (Sổ tay đảng viên): its home page, the library and
// the document page, search, news, the read-rate page of officers, the
// publishing form, the inbox, and what makes it an installable web app
// that keeps opened documents for offline reading (ui_handbook_pwa.go).
// Every page works without JavaScript; the one script only registers the
// service worker.

// constantCall is a template action whose value is fixed for a language:
// a catalogue text by a literal key, or a static file's URL.
var constantCall = regexp.MustCompile(`\{\{(t|asset) "([a-z_0-9.-]+)"\}\}`)

// foldConstants writes the value of each constant action into the
// template text of language l, escaped for HTML, so that rendering a page
// does not call a function for it. Each such call costs about a
// microsecond and a half of reflection in html/template, and a page has
// dozens: this is most of what rendering the pages of the handbook cost.
// The values are plain words (and hashed file names): escaped for HTML,
// they are right in text and in quoted attributes, which is where the
// templates use them. Unknown keys are left for the page to show them.
func foldConstants(l lang, src string) string {
	return constantCall.ReplaceAllStringFunc(src, func(action string) string {
		m := constantCall.FindStringSubmatch(action)
		switch m[1] {
		case "t":
			if _, ok := catalog[m[2]]; ok {
				return template.HTMLEscapeString(translate(l, m[2]))
			}
		case "asset":
			if u, err := assetURL(m[2]); err == nil {
				return template.HTMLEscapeString(u)
			}
		}
		return action
	})
}

// handbookFuncs are the handbook's template helpers.
func handbookFuncs(l lang) template.FuncMap {
	return template.FuncMap{
		"upper":       func(s string) string { return strings.ToUpper(s) },
		"printedDate": printedDate,
		"when":        func(t time.Time) string { return when(l, t) },
		"doctype":     func(code string) string { return docTypeName(l, code) },
		"kb":          func(n int64) string { return kilobytes(l, n) },
		"marked":      marked,
		"pct":         func(r *float64) string { return percent(l, r) },
		// vntype is the Vietnamese name of a type, as printed on the document.
		"vntype": func(code string) string { return docTypeName(vi, code) },
		"isread": func(d *doc.Document) bool { return d.Read != nil && *d.Read },
		"unread": func(d doc.Document) bool { return d.Read != nil && !*d.Read },
		// setting names the kind of a notification for the catalogue
		// ("kind_of.task_reminder"), "other" for kinds without a setting.
		"setting": func(kind string) string {
			if s := notify.Setting(kind); s != "" {
				return s
			}
			return "other"
		},
	}
}

// printedDate is the date line of a party document as the printed paper
// has it (output.DateInWords: "ngày 08 tháng 9 năm 2023", "ngày 15 tháng
// 02 năm 2026"); a page leaves out the blanks of a document without a date.
func printedDate(d date.Date) string {
	if d.IsZero() {
		return ""
	}
	return output.DateInWords(d)
}

// placeName is the place written on the date line: the locality of the
// issuing unit, which its name ends with ("Huyện ủy Phú Xuyên" → "Phú
// Xuyên", "Đảng bộ xã Phú Túc" → "Phú Túc").
func placeName(unit string) string {
	for _, p := range []string{"Đảng ủy thành phố ", "Đảng bộ thành phố ", "Đảng ủy xã ", "Đảng bộ xã ", "Đảng ủy phường ", "Đảng bộ phường ",
		"Đảng ủy thị trấn ", "Đảng bộ thị trấn ", "Chi bộ thôn ", "Chi bộ tổ dân phố ", "Chi bộ khu ", "Thành ủy ", "Tỉnh ủy ", "Huyện ủy ",
		"Quận ủy ", "Thị ủy ", "Đảng ủy ", "Đảng bộ ", "Chi bộ "} {
		if rest, ok := strings.CutPrefix(unit, p); ok && rest != "" {
			return rest
		}
	}
	return unit
}

// vnZone is the time zone the pages show instants in.
var vnZone = date.Vietnam

// when shows an instant in Vietnam: "14:05 20/11/2026".
func when(l lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(vnZone)
	if l == en {
		return t.Format("15:04, 02/01/2006")
	}
	return t.Format("15:04 02/01/2006")
}

// docTypeEnglish names the document types in English (doc.Types names
// them in Vietnamese).
var docTypeEnglish = map[string]string{"CT": "Directive", "NQ": "Resolution", "KH": "Plan", "HD": "Guidance", "TB": "Notice",
	"KL": "Conclusion", "BC": "Report", "QD": "Decision", "QDi": "Regulation", "CV": "Official letter", "CTr": "Programme",
	"TTr": "Submission", "DA": "Scheme"}

// docTypeName is the name of a document type: "Chỉ thị", or in English
// "Directive".
func docTypeName(l lang, code string) string {
	if l == en {
		if v, ok := docTypeEnglish[code]; ok {
			return v
		}
	}
	if t, ok := doc.LookupType(code); ok {
		return t.Name
	}
	return code
}

func kilobytes(l lang, n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	v := fmt.Sprintf("%.1f", float64(n)/1024)
	if n >= 100*1024 {
		v = strconv.FormatInt(n/1024, 10)
	}
	if l == vi {
		v = strings.ReplaceAll(v, ".", ",")
	}
	return v + " KB"
}

// percent shows a rate: "63,5%" or "63.5%"; nil (nobody expected) "—".
func percent(l lang, r *float64) string {
	if r == nil {
		return "—"
	}
	v := strconv.FormatFloat(*r*100, 'f', 1, 64)
	v = strings.TrimSuffix(v, ".0")
	if l == vi {
		v = strings.ReplaceAll(v, ".", ",")
	}
	return v + "%"
}

// marked shows text whose matched words are between « and » (the search
// service's marks) with those words in <mark>. The text is escaped first,
// so nothing but the marks becomes markup.
func marked(s string) template.HTML {
	esc := template.HTMLEscapeString(s)
	open := 0
	var b strings.Builder
	for _, r := range esc {
		switch {
		case r == '«':
			b.WriteString("<mark>")
			open++
		case r == '»' && open > 0:
			b.WriteString("</mark>")
			open--
		default:
			b.WriteRune(r)
		}
	}
	for ; open > 0; open-- {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

// handbookPage is the member's home: what is new for them, what they
// saved, the latest news and their next meeting.
type handbookPage struct {
	view
	// New lists documents not read yet (for a member), or the latest ones
	// (for an account without a member record).
	New      []doc.Document
	NewTotal int
	// NewAtLeast: the count stopped at its bound ("1000+").
	NewAtLeast bool
	IsMember   bool
	Saved      []doc.Document
	News       []doc.Document
	// Unread is the number of unread items in the inbox.
	Unread int
	// UnreadAtLeast: the count stopped at its bound ("1000+").
	UnreadAtLeast bool
	CanPublish    bool
	// NextMeeting is the member's cell's next meeting (from today on).
	NextMeeting *meeting.Meeting
	// Shifts are the member's next outbreak shifts (outbreaks.go).
	Shifts []outbreak.Duty
	// Conferences are the latest conferences the member is invited to,
	// each with its state (cancelled ones say so).
	Conferences []conference.Conference
}

// handbookConferences is how many conferences the handbook's home shows.
const handbookConferences = 3

func (s *Handler) uiHandbook(w http.ResponseWriter, r *http.Request) error {
	r, end := oneRead(r)
	defer end()
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	p := &handbookPage{IsMember: actor.MemberID != 0, CanPublish: actor.HasAny(doc.PublishDocs)}
	docs, err := s.Docs.List(ctx, actor, doc.KindDocument, doc.ListInput{Unread: p.IsMember, Limit: 8})
	if err != nil {
		return err
	}
	p.New, p.NewTotal, p.NewAtLeast = docs.Items, docs.Total, docs.TotalAtLeast
	saved, err := s.Docs.LatestBookmarks(ctx, actor, 5)
	if err != nil {
		return err
	}
	p.Saved = saved.Items
	// Featured news first, then the latest.
	featured, err := s.Docs.List(ctx, actor, doc.KindNews, doc.ListInput{Featured: true, Limit: 3, NoTotal: true})
	if err != nil {
		return err
	}
	news, err := s.Docs.List(ctx, actor, doc.KindNews, doc.ListInput{Limit: 4, NoTotal: true})
	if err != nil {
		return err
	}
	p.News = featured.Items
	for _, n := range news.Items {
		if !n.Featured && len(p.News) < 5 {
			p.News = append(p.News, n)
		}
	}
	if ids := meeting.AncestorIDs(actor.MemberUnitPath); s.Meetings != nil && len(ids) > 0 {
		// The first open meeting still to come or in progress (a meeting
		// in progress is the one to open, even past midnight).
		now := s.Clock()
		next, err := s.Meetings.List(ctx, actor, meeting.ListInput{UnitID: ids[len(ids)-1], From: meeting.NextFrom(now), Limit: 10})
		if err != nil {
			return err
		}
		for i := range next.Items {
			if next.Items[i].IsNext(now) {
				p.NextMeeting = &next.Items[i]
				break
			}
		}
	}
	if s.Outbreaks != nil && p.IsMember {
		shifts, err := s.Outbreaks.MyDuties(ctx, actor, 3, "")
		if err != nil {
			return err
		}
		p.Shifts = shifts.Items
	}
	if s.Conferences != nil && p.IsMember {
		confs, err := s.Conferences.Invitations(ctx, actor, handbookConferences)
		if err != nil {
			return err
		}
		p.Conferences = confs.Items
	}
	if s.Notify != nil && actor.AccountID != 0 {
		if p.Unread, p.UnreadAtLeast, err = s.Notify.Unread(ctx, actor); err != nil {
			return err
		}
	}
	return s.show(w, r, "handbook", p, nil)
}
