package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// Administration: accounts (listed, searched, created with roles on units
// picked by name, roles edited, passwords and second factors reset,
// sessions seen), the audit log, and the verification of its hash chain.
// The pages are for account managers (admin, office) within their reach;
// the verification for admins. Anyone else gets "not found".
const (
	PageAdminAccounts = "/quan-tri/tai-khoan"
	PageAdminAudit    = "/quan-tri/nhat-ky"
	PageAdminVerify   = "/quan-tri/kiem-tra-nhat-ky"
	pageAdminNew      = PageAdminAccounts + "/moi"
)

// adminFuncs are the helpers of these pages' templates.
var adminFuncs = template.FuncMap{
	// pw name label fields: a password field for the "password-field" template.
	"pw": func(name, label string, fields map[string]string) map[string]any {
		return map[string]any{"Name": name, "Label": label, "Fields": fields}
	},
}

// MayAdminister tells the layout and the home page whether to link the
// account pages and the audit log.
func (v *view) MayAdminister() bool { return MayAdminister(v.Actor) }

// MayVerifyAudit tells them whether to link the verification.
func (v *view) MayVerifyAudit() bool { return MayVerifyAudit(v.Actor) }

// MayAdminister reports whether the actor sees the account pages (and
// the links to them).
func MayAdminister(a *auth.Actor) bool { return a != nil && !a.System && a.HasAny(auth.ManageAccounts) }

// MayVerifyAudit reports whether the actor sees the verification page.
func MayVerifyAudit(a *auth.Actor) bool {
	return a != nil && !a.System && a.HasAny([]auth.Role{auth.RoleAdmin})
}

// requireManager answers "not found" to anyone who manages no accounts.
func requireManager(r *http.Request) (*auth.Actor, error) {
	a := httpx.ActorFrom(r)
	if !MayAdminister(a) {
		return nil, apperr.Keyed(apperr.NotFound, "common.not_found", "not found")
	}
	return a, nil
}

// pickerLimit is how many units a picker offers before a search narrows
// them.
const pickerLimit = 20

// unitPicker fills pk (a picker of the administration pages) with the
// units in reach named like q, in tree order; selected is checked, and
// shown above the matches when they do not hold it.
func (s *Handler) unitPicker(r *http.Request, actor *auth.Actor, pk picker, q string, selected int64) (picker, error) {
	pk.Lang = langOf(r)
	if pk.Below == "" {
		pk.Below = "picker.first"
	}
	p, err := pk.fill(q, pickerLimit, []int64{selected}, func(q string, limit int) ([]pickChoice, error) {
		cs, err := s.Auth.UnitChoices(r.Context(), actor, q, limit)
		out := make([]pickChoice, 0, len(cs))
		for _, c := range cs {
			out = append(out, pickChoice{Field: pk.Field, ID: c.ID, Name: c.Name, Parent: c.ParentName})
		}
		return out, err
	})
	if err != nil || selected == 0 || slices.ContainsFunc(p.Matches, func(c pickChoice) bool { return c.ID == selected }) {
		return p, err
	}
	// Picked before, but not among this search's matches: kept above them.
	if u, err := s.Org.Get(r.Context(), actor, selected); err == nil {
		p.Chosen = append(p.Chosen, pickChoice{Field: pk.Field, ID: u.ID, Name: u.Name, Checked: true})
	}
	return p, nil
}

// rolesFor lists the roles the actor may grant (admin only by an admin).
func rolesFor(a *auth.Actor) []auth.Role {
	var out []auth.Role
	for _, r := range auth.AllRoles {
		if r == auth.RoleAdmin && !a.HasAny([]auth.Role{auth.RoleAdmin}) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// accountsPage is templates/admin_accounts.html.
type accountsPage struct {
	view
	Q           string
	Rows        []auth.AccountRow
	Next, First string
	Notice      string
}

func (s *Handler) uiAdminAccounts(w http.ResponseWriter, r *http.Request) error {
	actor, err := requireManager(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := &accountsPage{Q: q.Get("q")}
	if q.Get("ok") == "created" {
		p.Notice = "admin.created"
	}
	rows, next, err := s.Auth.ListAccounts(r.Context(), actor, auth.AccountQuery{Q: p.Q, Cursor: q.Get("cursor"), Limit: 30})
	if err != nil {
		return err
	}
	p.Rows = rows
	p.Next, p.First = moreLinks(next, q.Get("cursor"), func(c string) string { return withQuery(PageAdminAccounts, "q", p.Q, "cursor", c) })
	return s.show(w, r, "admin_accounts", p, nil)
}

// accountNewPage is templates/admin_account_new.html.
type accountNewPage struct {
	view
	Picker  picker
	Roles   []auth.Role
	Values  map[string]string
	Fields  map[string]string
	Message string
}

func (s *Handler) newAccountPage(r *http.Request, actor *auth.Actor, q string, selected int64) (*accountNewPage, error) {
	pk := picker{ID: "unit", QName: "don_vi", Field: "unit_id", Action: pageAdminNew, Method: "post", Required: true,
		Legend: "admin.unit", Find: "admin.unit_search"}
	pk, err := s.unitPicker(r, actor, pk, q, selected)
	if err != nil {
		return nil, err
	}
	return &accountNewPage{Picker: pk, Roles: rolesFor(actor), Values: map[string]string{}, Fields: map[string]string{}}, nil
}

func (s *Handler) uiAdminAccountNew(w http.ResponseWriter, r *http.Request) error {
	actor, err := requireManager(r)
	if err != nil {
		return err
	}
	p, err := s.newAccountPage(r, actor, r.URL.Query().Get("don_vi"), 0)
	if err != nil {
		return err
	}
	p.Values["role"] = string(auth.RoleMember)
	return s.show(w, r, "admin_account_new", p, nil)
}

func (s *Handler) uiAdminAccountCreate(w http.ResponseWriter, r *http.Request) error {
	actor, err := requireManager(r)
	if err != nil {
		return err
	}
	if err := readForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	unit, _ := httpx.ParseID(f.Get("unit_id"))
	p, err := s.newAccountPage(r, actor, f.Get("don_vi"), unit)
	if err != nil {
		return err
	}
	for _, k := range []string{"username", "role"} {
		p.Values[k] = f.Get(k)
	}
	if f.Has("tim") { // the picker's search: the form again, with the matches
		return s.show(w, r, "admin_account_new", p, nil)
	}
	in := auth.CreateInput{Username: f.Get("username"), Password: f.Get("password")}
	switch {
	case f.Get("password") != f.Get("password2"):
		p.Fields["password2"] = translate(langOf(r), "page.two_new_passwords_differ")
	case unit == 0:
		p.Fields["unit_id"] = translate(langOf(r), "common.required")
		p.Picker.Error = p.Fields["unit_id"]
	default:
		in.Roles = []auth.Grant{{UnitID: unit, Role: auth.Role(f.Get("role"))}}
		acc, err := s.Auth.CreateAccount(r.Context(), actor, in)
		if err == nil {
			httpx.SeeOther(w, r, accountAdminURL(acc.ID)+"?ok=created")
			return nil
		}
		if err := formErrors(langOf(r), err, p.Fields, &p.Message, map[string]string{"roles[0].unit_id": "unit_id", "roles[0].role": "role"}); err != nil {
			return err
		}
		p.Picker.Error = p.Fields["unit_id"]
	}
	s.render(w, r, http.StatusUnprocessableEntity, "admin_account_new", p)
	return nil
}

// formErrors files a service's refusal under the form's fields (renamed
// by rename) or as a message; it returns err itself when it is not a
// refusal the form can show.
func formErrors(l lang, err error, fields map[string]string, message *string, rename map[string]string) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	switch e.Code {
	case apperr.Invalid, apperr.Conflict:
	case apperr.NotFound:
		if len(e.Fields) == 0 { // the subject itself is out of reach
			return err
		}
	default:
		return err
	}
	for _, fe := range e.Fields {
		name := fe.Field
		if n, ok := rename[name]; ok {
			name = n
		}
		fields[name] = fieldText(l, fe)
	}
	if len(e.Fields) == 0 {
		*message = errText(l, e)
	}
	return nil
}

func accountAdminURL(id int64) string { return PageAdminAccounts + "/" + strconv.FormatInt(id, 10) }

// accountAdminPage is templates/admin_account.html.
type accountAdminPage struct {
	view
	Account  *auth.AccountView
	Sessions []sessionRow
	Picker   picker
	Roles    []auth.Role
	Notice   string
	Values   map[string]string
	Fields   map[string]string
	Message  string
	// AuditLink opens the log at this account's entries.
	AuditLink string
}

var accountAdminNotices = map[string]string{
	"created":  "admin.created",
	"roles":    "admin.roles_saved",
	"password": "admin.password_reset_done",
	"totp":     "admin.totp_reset_done",
}

func (s *Handler) accountAdmin(r *http.Request, q string, selected int64) (*accountAdminPage, *auth.Actor, error) {
	actor, err := requireManager(r)
	if err != nil {
		return nil, nil, err
	}
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	v, err := s.Auth.AccountFor(r.Context(), actor, id)
	if err != nil {
		return nil, nil, err
	}
	pk := picker{ID: "unit", QName: "don_vi", Field: "unit_id", Action: accountAdminURL(id), Method: "get",
		Legend: "admin.unit", Find: "admin.unit_search"}
	if pk, err = s.unitPicker(r, actor, pk, q, selected); err != nil {
		return nil, nil, err
	}
	p := &accountAdminPage{Account: v, Picker: pk, Roles: rolesFor(actor), Fields: map[string]string{},
		Values: map[string]string{"role": string(auth.RoleMember)}, AuditLink: PageAdminAudit + "?object=account:" + strconv.FormatInt(id, 10)}
	for _, si := range v.Sessions {
		agent := si.UserAgent
		if len([]rune(agent)) > 90 {
			agent = string([]rune(agent)[:90]) + "…"
		}
		p.Sessions = append(p.Sessions, sessionRow{ID: si.ID, Agent: agent, Address: si.Address,
			Created: when(langOf(r), si.CreatedAt), LastSeen: when(langOf(r), si.LastSeen)})
	}
	return p, actor, nil
}

func (s *Handler) uiAdminAccount(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.accountAdmin(r, r.URL.Query().Get("don_vi"), 0)
	if err != nil {
		return err
	}
	p.Notice = accountAdminNotices[r.URL.Query().Get("ok")]
	return s.show(w, r, "admin_account", p, nil)
}

// uiAdminSetRoles keeps the roles ticked and adds the one picked.
func (s *Handler) uiAdminSetRoles(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	picked, _ := httpx.ParseID(f.Get("unit_id"))
	p, actor, err := s.accountAdmin(r, f.Get("don_vi"), picked)
	if err != nil {
		return err
	}
	var grants []auth.Grant
	for _, k := range f["keep"] {
		unit, role, _ := strings.Cut(k, ":")
		id, ok := httpx.ParseID(unit)
		if !ok {
			return apperr.Keyed(apperr.Malformed, "page.form_cannot_read", "the form cannot be read")
		}
		grants = append(grants, auth.Grant{UnitID: id, Role: auth.Role(role)})
	}
	if unit, ok := httpx.ParseID(f.Get("unit_id")); ok {
		grants = append(grants, auth.Grant{UnitID: unit, Role: auth.Role(f.Get("role"))})
	}
	_, err = s.Auth.SetRoles(r.Context(), actor, p.Account.ID, grants)
	if err == nil {
		httpx.SeeOther(w, r, accountAdminURL(p.Account.ID)+"?ok=roles")
		return nil
	}
	rename := map[string]string{}
	for i := range grants {
		rename[fmt.Sprintf("roles[%d].unit_id", i)], rename[fmt.Sprintf("roles[%d].role", i)] = "unit_id", "role"
	}
	if err := formErrors(langOf(r), err, p.Fields, &p.Message, rename); err != nil {
		return err
	}
	p.Picker.Error = p.Fields["unit_id"]
	s.render(w, r, http.StatusUnprocessableEntity, "admin_account", p)
	return nil
}

func (s *Handler) uiAdminResetPassword(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	p, actor, err := s.accountAdmin(r, "", 0)
	if err != nil {
		return err
	}
	if f.Get("new_password") != f.Get("new_password2") {
		p.Fields["new_password2"] = translate(langOf(r), "page.two_new_passwords_differ")
	} else {
		err = s.Auth.ResetPassword(r.Context(), actor, p.Account.ID, f.Get("new_password"))
		if err == nil {
			httpx.SeeOther(w, r, accountAdminURL(p.Account.ID)+"?ok=password")
			return nil
		}
		if err := formErrors(langOf(r), err, p.Fields, &p.Message, map[string]string{"id": "password"}); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "admin_account", p)
	return nil
}

func (s *Handler) uiAdminResetTOTP(w http.ResponseWriter, r *http.Request) error {
	p, actor, err := s.accountAdmin(r, "", 0)
	if err != nil {
		return err
	}
	err = s.Auth.ResetSecondFactor(r.Context(), actor, p.Account.ID)
	if err == nil {
		httpx.SeeOther(w, r, accountAdminURL(p.Account.ID)+"?ok=totp")
		return nil
	}
	if err := formErrors(langOf(r), err, p.Fields, &p.Message, map[string]string{"id": "totp"}); err != nil {
		return err
	}
	s.render(w, r, httpx.Status(apperr.CodeOf(err)), "admin_account", p)
	return nil
}

// auditPage is templates/admin_audit.html.
type auditPage struct {
	view
	Picker      picker
	ObjectType  string
	ObjectID    string
	ActorName   string
	From, To    string
	Types       []choice
	Entries     []auditEntry
	Next, First string
	Fields      map[string]string
}

// auditEntry is one line of the log as the page shows it.
type auditEntry struct {
	auth.AuditRecord
	When          string
	Before, After string
	ObjectLink    string
	ActorLink     string
}

// auditTypes are the kinds of objects the log names.
var auditTypes = []string{"account", "unit", "member", "document", "news", "comment", "task", "task_rules", "term", "calendar_schedule"}

func (s *Handler) uiAdminAudit(w http.ResponseWriter, r *http.Request) error {
	actor, err := requireManager(r)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	q, err := httpx.AuditQuery(r)
	if err != nil {
		return err
	}
	// The object is picked as a type and an id (the id is a record's, as
	// the entries show it), or comes from a link as "type:id".
	typ, id, _ := strings.Cut(v.Get("object"), ":")
	if t := v.Get("type"); t != "" || v.Get("id") != "" {
		typ, id = t, strings.TrimSpace(v.Get("id"))
	}
	p := &auditPage{ObjectType: typ, ObjectID: id, ActorName: v.Get("actor"), From: v.Get("from"), To: v.Get("to"),
		Fields: map[string]string{}}
	p.Types = choicesOf(auditTypes, typ, func(t string) (string, string) { return t, translate(langOf(r), "audit_object."+t) })
	if id != "" {
		if _, ok := httpx.ParseID(id); !ok {
			p.Fields["id"] = translate(langOf(r), "http.must_positive_integer")
		}
	}
	q.Object = typ
	if id != "" {
		q.Object = typ + ":" + id
	}
	q.Limit = 30
	pk := picker{ID: "unit", QName: "don_vi", Field: "unit", Action: PageAdminAudit, Method: "get",
		Legend: "admin.unit", Find: "admin.unit_search", Any: "picker.any_unit"}
	if p.Picker, err = s.unitPicker(r, actor, pk, v.Get("don_vi"), q.UnitID); err != nil {
		return err
	}
	status := http.StatusOK
	if len(p.Fields) == 0 {
		recs, next, err := auth.ListAudit(r.Context(), s.AuditLog, actor, q)
		switch apperr.CodeOf(err) {
		case "":
		case apperr.Invalid:
			e, _ := apperr.As(err)
			for _, fe := range e.Fields {
				p.Fields[fe.Field] = fieldText(langOf(r), fe)
			}
			status = http.StatusUnprocessableEntity
		default:
			return err
		}
		p.Entries = auditEntries(langOf(r), recs)
		p.Next, p.First = auditPages(v, next)
	} else {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "admin_audit", p)
	return nil
}

// auditEntries are the records as the page shows them, each linking to
// the log of its object and of its actor.
func auditEntries(l lang, recs []auth.AuditRecord) []auditEntry {
	var out []auditEntry
	for _, rec := range recs {
		e := auditEntry{AuditRecord: rec, When: when(l, rec.At), Before: prettyJSON(rec.Before), After: prettyJSON(rec.After)}
		if rec.ObjectID != nil {
			e.ObjectLink = auditURL(url.Values{"object": {rec.ObjectType + ":" + strconv.FormatInt(*rec.ObjectID, 10)}})
		}
		if rec.Username != "" {
			e.ActorLink = auditURL(url.Values{"actor": {rec.Username}})
		}
		out = append(out, e)
	}
	return out
}

// auditPages are the links to the next page (when next is set) and to
// the first (when the query v is past it), with the same filters.
func auditPages(v url.Values, next *string) (nextURL, firstURL string) {
	if next != nil {
		nv := url.Values{}
		for k, vs := range v {
			nv[k] = vs
		}
		nv.Set("cursor", *next)
		nextURL = auditURL(nv)
	}
	if v.Get("cursor") != "" {
		fv := url.Values{}
		for k, vs := range v {
			fv[k] = vs
		}
		fv.Del("cursor")
		firstURL = auditURL(fv)
	}
	return nextURL, firstURL
}

func auditURL(v url.Values) string {
	if len(v) == 0 {
		return PageAdminAudit
	}
	return PageAdminAudit + "?" + v.Encode()
}

// prettyJSON indents a stored object for reading ("" when there is none).
func prettyJSON(b json.RawMessage) string {
	if len(b) == 0 || string(b) == "null" {
		return ""
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return string(b)
	}
	return out.String()
}

// verifyPage is templates/admin_verify.html.
type verifyPage struct {
	view
	Report *auth.ChainReport
	Took   string
	Error  string
}

func (s *Handler) uiAdminVerifyForm(w http.ResponseWriter, r *http.Request) error {
	if !MayVerifyAudit(httpx.ActorFrom(r)) {
		return apperr.Keyed(apperr.NotFound, "common.not_found", "not found")
	}
	return s.show(w, r, "admin_verify", &verifyPage{}, nil)
}

// uiAdminVerify runs the verification of `sotay audit verify` and shows
// its result and how long it took.
func (s *Handler) uiAdminVerify(w http.ResponseWriter, r *http.Request) error {
	rep, err := auth.VerifyAuditChain(r.Context(), s.AuditChain, httpx.ActorFrom(r))
	switch apperr.CodeOf(err) {
	case "":
	case apperr.Conflict:
		s.render(w, r, http.StatusConflict, "admin_verify", &verifyPage{Error: "admin.verify_busy"})
		return nil
	default:
		return err
	}
	took := rep.Took.Round(time.Millisecond)
	if rep.Took < time.Millisecond {
		took = rep.Took.Round(time.Microsecond)
	}
	return s.show(w, r, "admin_verify", &verifyPage{Report: &rep, Took: took.String()}, nil)
}
