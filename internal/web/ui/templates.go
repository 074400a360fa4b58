package ui

import (
	"embed"
	"fmt"
	"html/template"
	"sync"
)

//go:embed templates
var templateFS embed.FS

// pageParts is the one template registry: every page in templates/ (by
// name, without ".html") with the shared parts it is parsed with besides
// templates/layout.html and templates/field_parts.html. A new page is one
// line here.
var pageParts = map[string][]string{
	// The tree, members, sign-in, account and errors.
	"signin": nil, "home": nil, "units": nil, "unit": nil, "members": nil, "member": nil,
	"member_form": nil, "import": nil, "error": nil, "account": nil,
	// Work handling.
	"tasks": {"task_parts", "task_act", "picker_parts"}, "task": {"task_parts", "task_act", "picker_parts"},
	"task_board": {"task_parts", "task_act", "picker_parts"}, "task_report": {"task_parts", "task_act", "picker_parts"},
	"tasks_rel": {"task_parts"}, "task_new": {"task_parts", "picker_parts"},
	// The handbook.
	"handbook": {"handbook_parts"}, "doc_list": {"handbook_parts"}, "doc": {"handbook_parts"},
	"doc_form": {"handbook_parts"}, "receipts": {"handbook_parts"}, "search": {"handbook_parts"},
	"news_list": {"handbook_parts"}, "news": {"handbook_parts"}, "news_form": {"handbook_parts"}, "notifications": {"handbook_parts"},
	"notification_settings": {"handbook_parts"}, "offline": {"handbook_parts"},
	// Restructuring the tree.
	"unit_form": {"tree_parts"}, "unit_change": {"tree_parts"}, "unit_split": {"tree_parts"},
	// Report requests.
	"report_list": nil, "report_new": nil, "report": nil, "report_send": nil, "report_submission": nil,
	// Conferences.
	"conferences": nil, "conference_new": nil, "conference": nil, "conference_checkin": nil, "conference_board": nil,
	// The four-good cell model.
	"fourgood_list": nil, "fourgood_framework": nil, "fourgood_sheet": nil, "fourgood_results": nil,
	// Cell meetings.
	"meetings": {"meeting_parts"}, "meeting": {"meeting_parts"}, "meeting_mode": {"meeting_parts"},
	"meeting_guidance": {"meeting_parts"}, "meeting_compliance": {"meeting_parts"},
	"meeting_feeds": {"meeting_parts"}, "meeting_drill": nil,
	// Outbreak response.
	"outbreaks": {"picker_parts"}, "outbreak": nil, "outbreak_board": nil, "outbreak_duties": nil,
	// Administration.
	"admin_accounts": {"admin_parts"}, "admin_account": {"admin_parts", "picker_parts"},
	"admin_account_new": {"admin_parts", "picker_parts"}, "admin_audit": {"admin_parts", "picker_parts"}, "admin_verify": {"admin_parts"},
}

// funcs is the one FuncMap of the templates in language l. An area's
// function must not take the name of another's (a page would call the
// wrong one): addFuncs panics on a name defined twice.
func funcs(l lang) template.FuncMap {
	m := template.FuncMap{}
	for _, area := range []template.FuncMap{templateFuncs(l), navFuncs, taskFuncs(l), handbookFuncs(l), treeFuncs, adminFuncs,
		reportFuncs, pickerFuncs, conferenceFuncs, fourGoodFuncs, meetingFuncs(l), outbreakFuncs, fieldFuncs} {
		addFuncs(m, area)
	}
	return m
}

func addFuncs(into, area template.FuncMap) {
	for name, f := range area {
		if _, dup := into[name]; dup {
			panic(fmt.Sprintf("ui: template function %q defined by two areas", name))
		}
		into[name] = f
	}
}

// everyPage are the files every page is parsed with: the layout and the
// form-field parts.
var everyPage = []string{"layout", "field_parts"}

var (
	parseOnce sync.Once
	// parsed holds every page parsed with its parts, once per language, so
	// that the `t` function is bound to a language without cloning per
	// request.
	parsed map[lang]map[string]*template.Template
)

// page returns a parsed page. The pages are parsed on first use, after
// every catalogue file's init has run, so that the constant texts of every
// area are folded into the templates (foldConstants).
func page(l lang, name string) *template.Template {
	parseOnce.Do(parsePages)
	return parsed[l][name]
}

func parsePages() {
	parsed = map[lang]map[string]*template.Template{}
	for _, l := range langs {
		parsed[l] = map[string]*template.Template{}
		for name, parts := range pageParts {
			t := template.New(name).Funcs(funcs(l))
			files := append(append(append([]string(nil), everyPage...), parts...), name)
			for _, file := range files {
				template.Must(t.New(file + ".html").Parse(foldConstants(l, readTemplate(file+".html"))))
			}
			parsed[l][name] = t
		}
	}
}

func readTemplate(file string) string {
	b, err := templateFS.ReadFile("templates/" + file)
	if err != nil {
		panic(err)
	}
	return string(b)
}
