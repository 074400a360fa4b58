package auth

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Administration: the accounts an officer administers, listed and looked
// at, and the reset of a lost second factor. The reach is the rule of
// CreateAccount and SetRoles: an account is administered by whoever
// manages (ManageAccounts) every unit where it holds a role; an account
// without roles only by an admin. Anything else answers "not found".

// AdminStore is what administration needs from the database, beside Store.
type AdminStore interface {
	// List returns accounts in username order, at most f.Limit+1,
	// those with every live role under one of f.Paths (and, when
	// f.Roleless, those without roles).
	List(ctx context.Context, f AccountFilter) ([]AccountRow, error)
	// Row returns one account as the lists show it.
	Row(ctx context.Context, id int64) (*AccountRow, error)
	// ResetSecondFactor removes an account's second factor and recovery
	// codes and ends its sessions, with the audit entry.
	ResetSecondFactor(ctx context.Context, id int64, e AuditEntry) error
	// UnitChoices returns live units under one of paths whose folded name
	// contains q (every one when q is ""), in tree order, at most limit.
	UnitChoices(ctx context.Context, paths []string, q string, limit int) ([]UnitChoice, error)
}

// AccountFilter selects accounts for the administration list.
type AccountFilter struct {
	Paths    []string
	Roleless bool
	// Q is folded (viet.Fold): it matches the user name or the linked
	// member's name.
	Q      string
	Cursor string // as returned by the previous page
	Limit  int
}

// AccountRow is an account as the administration pages show it.
type AccountRow struct {
	ID          int64       `json:"id"`
	Username    string      `json:"username"`
	MemberID    *int64      `json:"member_id"`
	MemberName  string      `json:"member_name,omitempty"`
	Roles       []GrantView `json:"roles"`
	TOTPEnabled bool        `json:"totp_enabled"`
	Disabled    bool        `json:"disabled"`
	// Cursor is the position after this row (for the next page).
	Cursor string `json:"-"`
}

// Grants returns the row's roles as grants (with their unit paths).
func (r *AccountRow) Grants() []Grant {
	out := make([]Grant, len(r.Roles))
	for i, g := range r.Roles {
		out[i] = Grant{UnitID: g.UnitID, UnitPath: g.UnitPath, Role: g.Role}
	}
	return out
}

// GrantView is a role with its unit's name.
type GrantView struct {
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	UnitPath string `json:"-"`
	Role     Role   `json:"role"`
}

// UnitChoice is a unit offered in a picker: its name and its parent's.
type UnitChoice struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	ParentName string `json:"parent_name"`
	Path       string `json:"-"`
	Depth      int    `json:"depth"`
}

// AccountQuery is a request to list accounts.
type AccountQuery struct {
	Q      string
	Cursor string
	Limit  int
}

// Administers reports whether the actor administers an account holding
// grants: an account manager on every unit where it holds a role, and
// only an admin covers an account without roles or one holding admin.
func Administers(actor *Actor, grants []Grant) bool {
	if actor == nil {
		return false
	}
	if actor.System {
		return true
	}
	if len(grants) == 0 {
		return actor.HasAny([]Role{RoleAdmin})
	}
	for _, g := range grants {
		if !actor.Can(g.UnitPath, ManageAccounts) {
			return false
		}
		if g.Role == RoleAdmin && !actor.Can(g.UnitPath, []Role{RoleAdmin}) {
			return false
		}
	}
	return true
}

// roleRank is a role's place in AllRoles: 0 is the most powerful.
func roleRank(r Role) int {
	if i := slices.Index(AllRoles, r); i >= 0 {
		return i
	}
	return len(AllRoles)
}

// Outranks reports whether the actor is a higher officer than every role
// in grants: for each, the actor manages accounts on a unit covering it
// with a more powerful role, or with any managing role on a unit strictly
// above it. An equal (the same role on the same unit) is not higher, and
// nobody outranks themselves. An account without roles is outranked by
// any admin.
func Outranks(actor *Actor, accountID int64, grants []Grant) bool {
	if actor == nil {
		return false
	}
	if actor.System {
		return true
	}
	if accountID != 0 && accountID == actor.AccountID {
		return false
	}
	if len(grants) == 0 {
		return actor.HasAny([]Role{RoleAdmin})
	}
	for _, g := range grants {
		higher := false
		for _, h := range actor.Grants {
			if !slices.Contains(ManageAccounts, h.Role) || !strings.HasPrefix(g.UnitPath, h.UnitPath) {
				continue
			}
			if roleRank(h.Role) < roleRank(g.Role) || len(h.UnitPath) < len(g.UnitPath) {
				higher = true
				break
			}
		}
		if !higher {
			return false
		}
	}
	return true
}

func (s *Service) admin() (AdminStore, error) {
	st, ok := s.Store.(AdminStore)
	if !ok {
		return nil, apperr.Keyed(apperr.Unavailable, "auth.administration_not_available", "administration is not available")
	}
	return st, nil
}

// ListAccounts lists the accounts the actor administers, in user-name
// order, matching q (folded: "nguyen van" finds "Nguyễn Văn …"). Anyone
// who manages no accounts gets "not found".
func (s *Service) ListAccounts(ctx context.Context, actor *Actor, q AccountQuery) ([]AccountRow, *string, error) {
	if !actor.HasAny(ManageAccounts) {
		return nil, nil, apperr.Keyed(apperr.NotFound, "common.not_found", "not found")
	}
	st, err := s.admin()
	if err != nil {
		return nil, nil, err
	}
	if err := viet.CheckLine(q.Q); err != nil {
		return nil, nil, apperr.Keyed(apperr.Invalid, "auth.search_not_valid", "the search is not valid").With(apperr.FieldFrom("q", err))
	}
	f := AccountFilter{Paths: actor.Paths(ManageAccounts), Roleless: actor.HasAny([]Role{RoleAdmin}),
		Q: viet.Fold(q.Q), Cursor: q.Cursor, Limit: q.Limit}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	rows, err := st.List(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows, next := page.Cut(rows, f.Limit, func(last AccountRow) string { return last.Cursor })
	// The store selects in SQL; the rule is checked again here, so that
	// the list can never show more than the actor may open.
	out := rows[:0]
	for _, r := range rows {
		if Administers(actor, r.Grants()) {
			out = append(out, r)
		}
	}
	return out, next, nil
}

// AccountView is one account as its administrator sees it.
type AccountView struct {
	AccountRow
	// Sessions are the account's live sessions, newest first.
	Sessions []SessionInfo `json:"sessions"`
	// MayResetSecondFactor: the actor outranks the account (see Outranks).
	MayResetSecondFactor bool `json:"may_reset_second_factor"`
	// Self is the actor's own account.
	Self bool `json:"self"`
}

// AccountFor returns an account the actor administers, with its sessions.
func (s *Service) AccountFor(ctx context.Context, actor *Actor, id int64) (*AccountView, error) {
	st, err := s.admin()
	if err != nil {
		return nil, err
	}
	row, err := st.Row(ctx, id)
	if err != nil {
		return nil, err
	}
	if !Administers(actor, row.Grants()) {
		return nil, apperr.Keyed(apperr.NotFound, "auth.account_not_found", "account %d not found", id)
	}
	all, err := s.Store.ListSessions(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &AccountView{AccountRow: *row, Sessions: []SessionInfo{}, Self: id == actor.AccountID,
		MayResetSecondFactor: Outranks(actor, id, row.Grants())}
	now := s.now().UTC()
	for _, si := range all {
		if now.After(si.ExpiresAt) || now.Sub(si.LastSeen) > SessionIdle {
			continue
		}
		v.Sessions = append(v.Sessions, si)
	}
	return v, nil
}

// ResetSecondFactor removes the second factor of an account whose phone
// was lost: its secret and recovery codes go, its sessions end, and if
// its roles require a second factor its next sign-in enrols a new one.
// Only a higher officer than the account's own roles may (Outranks);
// anyone else who may not administer it gets "not found", an equal or a
// lower officer who may see it a field error. Audited as
// "account.second_factor_reset" (not "account.totp_*", which are the
// owner's private actions).
func (s *Service) ResetSecondFactor(ctx context.Context, actor *Actor, id int64) error {
	st, err := s.admin()
	if err != nil {
		return err
	}
	row, err := st.Row(ctx, id)
	if err != nil {
		return err
	}
	grants := row.Grants()
	if !Administers(actor, grants) {
		return apperr.Keyed(apperr.NotFound, "auth.account_not_found", "account %d not found", id)
	}
	if !Outranks(actor, id, grants) {
		return apperr.Keyed(apperr.Invalid, "auth.only_higher_officer_than", "only a higher officer than the account's own roles may reset its second factor").With(apperr.FieldKeyed("id", "auth.you_do_not_outrank", "you do not outrank this account"))
	}
	if !row.TOTPEnabled {
		// An enrolment not yet confirmed is the owner's to start again.
		return apperr.Keyed(apperr.Conflict, "auth.account_no_second_factor", "the account has no second factor")
	}
	return st.ResetSecondFactor(ctx, id, AuditEntry{Actor: actor, Action: "account.second_factor_reset",
		ObjectType: "account", ObjectID: id, UnitPath: CommonPath(pathsOf(grants)...),
		Before: map[string]any{"username": row.Username, "totp_enabled": row.TOTPEnabled},
		After:  map[string]any{"username": row.Username, "totp_enabled": false, "sessions_ended": true}})
}

// UnitChoices offers the units where the actor may grant roles whose
// name contains q (folded), in tree order, at most limit.
func (s *Service) UnitChoices(ctx context.Context, actor *Actor, q string, limit int) ([]UnitChoice, error) {
	if !actor.HasAny(ManageAccounts) {
		return nil, apperr.Keyed(apperr.NotFound, "common.not_found", "not found")
	}
	st, err := s.admin()
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	return st.UnitChoices(ctx, actor.Paths(ManageAccounts), viet.Fold(q), limit)
}

func pathsOf(gs []Grant) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		out = append(out, g.UnitPath)
	}
	return out
}

// CommonPath is the deepest unit path covering every path ("" for none):
// where an entry about an account with roles on those units sits in the
// audit log, so that whoever administers the account sees it.
func CommonPath(paths ...string) string {
	var common string
	for i, p := range paths {
		if p == "" {
			continue
		}
		if i == 0 || common == "" {
			common = p
			continue
		}
		n := 0
		for n < len(common) && n < len(p) && common[n] == p[n] {
			n++
		}
		common = common[:strings.LastIndex(common[:n], "/")+1]
	}
	if common == "/" {
		return ""
	}
	return common
}

// ChainReport is what a verification of the audit log's hash chain found
// (see `sotay audit verify`).
type ChainReport struct {
	Entries  int64  `json:"entries"`
	LastSeq  int64  `json:"last_seq"`
	LastHash string `json:"last_hash"`
	// Problem names the first altered, removed or reordered entry; "" when
	// the chain is intact.
	Problem string `json:"problem,omitempty"`
	// Kind is "altered", "removed" or "reordered" with Problem.
	Kind string `json:"kind,omitempty"`
	// Took is how long the verification ran.
	Took time.Duration `json:"took_ns"`
	// Pending is the number of entries committed but not linked into the
	// chain yet (PostgreSQL links them after the commit, within seconds),
	// OldestPendingAt when the oldest of them was written. Not a break.
	Pending         int64      `json:"pending"`
	OldestPendingAt *time.Time `json:"oldest_pending_at,omitempty"`
}

// OK reports whether the chain is intact.
func (r ChainReport) OK() bool { return r.Problem == "" }

// ChainVerifier walks the audit log's hash chain.
type ChainVerifier interface {
	VerifyAuditChain(ctx context.Context) (ChainReport, error)
}

// verifying lets one verification of a database run at a time (it reads
// the whole log), by verifier: one per database. A gate for the whole
// process refused a second database's verification while another
// database's ran, as when a process holds two (the tests' servers on
// SQLite and PostgreSQL at once: the permission matrix's admin got 409).
var verifying struct {
	sync.Mutex
	running map[ChainVerifier]bool
}

// startVerifying marks v's verification as running, or reports that one
// already is; done ends it.
func startVerifying(v ChainVerifier) (done func(), ok bool) {
	verifying.Lock()
	defer verifying.Unlock()
	if verifying.running[v] {
		return nil, false
	}
	if verifying.running == nil {
		verifying.running = map[ChainVerifier]bool{}
	}
	verifying.running[v] = true
	return func() {
		verifying.Lock()
		delete(verifying.running, v)
		verifying.Unlock()
	}, true
}

// VerifyAuditChain runs the verification of `sotay audit verify` for an
// admin (anyone else: not found), one at a time (Conflict while another
// runs), and says how long it took.
func VerifyAuditChain(ctx context.Context, v ChainVerifier, actor *Actor) (ChainReport, error) {
	if !actor.HasAny([]Role{RoleAdmin}) {
		return ChainReport{}, apperr.Keyed(apperr.NotFound, "common.not_found", "not found")
	}
	if v == nil {
		return ChainReport{}, apperr.Keyed(apperr.Unavailable, "auth.verification_not_available", "the verification is not available")
	}
	done, ok := startVerifying(v)
	if !ok {
		return ChainReport{}, apperr.Keyed(apperr.Conflict, "auth.verification_already_running", "a verification is already running")
	}
	defer done()
	start := time.Now() // the machine's clock: this measures, it does not date
	r, err := v.VerifyAuditChain(ctx)
	r.Took = time.Since(start)
	return r, err
}
