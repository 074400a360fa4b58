package auth

import (
	"context"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Account is a sign-in identity with roles on units.
type Account struct {
	ID       int64   `json:"id"`
	Username string  `json:"username"`
	MemberID *int64  `json:"member_id"`
	Roles    []Grant `json:"roles"`
	Version  int     `json:"version"`
	// TOTPEnabled is set once a second factor is confirmed.
	TOTPEnabled bool `json:"-"`
	// TOTPExempt is set only by the demo loader, so that the demo can be
	// tried with the password alone; no API or command sets it.
	TOTPExempt bool `json:"-"`
}

// NeedTOTPEnrolment is what a session answer's "needs" lists when the
// account must enrol a second factor before anything else.
const NeedTOTPEnrolment = "totp_enrolment"

// Needs lists what the account must do before it may use its roles.
func (a *Account) Needs() []string {
	if a != nil && NeedsTOTPEnrolment(a.Roles, a.TOTPEnabled, a.TOTPExempt) {
		return []string{NeedTOTPEnrolment}
	}
	return nil
}

// Session lifetimes: idle and absolute.
const (
	SessionIdle     = 12 * time.Hour
	SessionAbsolute = 7 * 24 * time.Hour
)

// Store is what the auth service needs from the database.
type Store interface {
	ByUsername(ctx context.Context, username string) (*Account, string, error) // account and password hash
	Account(ctx context.Context, id int64) (*Account, error)
	Create(ctx context.Context, a *Account, hash string, e AuditEntry) error
	SetRoles(ctx context.Context, id int64, roles []Grant, e AuditEntry) error
	UnitPath(ctx context.Context, unitID int64) (string, error)
	CreateSession(ctx context.Context, hash string, accountID int64, now time.Time, address, agent string) error
	// SessionActor loads the actor of a live session and touches it.
	SessionActor(ctx context.Context, hash string, now time.Time) (*Actor, error)
	DeleteSession(ctx context.Context, hash string) error
	MemberUnitPath(ctx context.Context, memberID int64) (string, error)

	// ListSessions returns an account's sessions, newest first.
	ListSessions(ctx context.Context, accountID int64) ([]SessionInfo, error)
	// DeleteAccountSession ends one session of an account by its public id.
	DeleteAccountSession(ctx context.Context, accountID int64, publicID string) error
	// SetAccountPassword replaces a password hash and ends every session of
	// the account except keepSession (a public id; "" ends them all).
	SetAccountPassword(ctx context.Context, accountID int64, hash, keepSession string, e AuditEntry) error

	// TOTP returns an account's second-factor state.
	TOTP(ctx context.Context, accountID int64) (TOTPState, error)
	// StartTOTP stores a new, not yet confirmed secret and replaces the
	// recovery codes; it refuses (Conflict) when a second factor is active.
	StartTOTP(ctx context.Context, accountID int64, secret string, recoveryHashes []string) error
	// EnableTOTP activates the pending secret if it is still the one
	// checked (a second enrolment may have replaced it) and records step as used.
	EnableTOTP(ctx context.Context, accountID int64, secret string, step int64, e AuditEntry) error
	// UseTOTPStep records step as used, unless it or a later one already
	// was; it reports whether the step was free.
	UseTOTPStep(ctx context.Context, accountID int64, step int64) (bool, error)
	// UseRecoveryCode spends an unused recovery code; it reports whether
	// there was one.
	UseRecoveryCode(ctx context.Context, accountID int64, hash string, e AuditEntry) (bool, error)
}

// TOTPState is an account's second factor as stored. The secret is kept in
// the database as it is: encrypting it at rest with a server key (a key file
// in the data directory, or a KMS) is a later step.
type TOTPState struct {
	Secret   string // base32; pending until Enabled
	Enabled  bool
	LastStep int64 // the last time step accepted, against replay
	Exempt   bool
}

// SessionInfo is one session as its owner sees it.
type SessionInfo struct {
	ID        string    `json:"id"` // a public id, never the token
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
	ExpiresAt time.Time `json:"expires_at"`
	Address   string    `json:"address"`
	UserAgent string    `json:"user_agent"`
	Current   bool      `json:"current"`
}

// Service signs people in and manages accounts.
type Service struct {
	Store   Store
	Now     func() time.Time
	Limiter *Limiter
}

func (s *Service) now() time.Time { return date.NowFrom(s.Now) }

// ErrBadCredentials is the one answer for an unknown user and a wrong password.
var ErrBadCredentials = apperr.Keyed(apperr.Unauthorized, "auth.wrong_user_name_password", "wrong user name or password")

// otpRequired answers a correct password with a missing or wrong second
// factor; the problem document says "otp_required": true.
func otpRequired(msg string) error {
	e := apperr.Keyed(apperr.Unauthorized, "auth.msg", "%s", msg)
	e.Extra = map[string]any{"otp_required": true}
	return e
}

// SignIn checks credentials and opens a session; it returns the token. An
// account with a second factor must also give otp: a code from its app or
// one of its recovery codes. The account's Needs say whether the session
// is restricted to enrolling one.
func (s *Service) SignIn(ctx context.Context, username, password, otp, address, agent string) (string, *Account, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if err := s.Limiter.Check(ctx, username, address, s.now()); err != nil {
		return "", nil, err
	}
	// Wait for a hashing slot, then look at the limiter again: failures
	// recorded while this attempt queued count against it.
	acquireSlot()
	defer releaseSlot()
	if err := s.Limiter.Check(ctx, username, address, s.now()); err != nil {
		return "", nil, err
	}
	acc, hash, err := s.Store.ByUsername(ctx, username)
	if apperr.Is(err, apperr.NotFound) {
		checkPassword(dummyHash(), password)
		if err := s.Limiter.Fail(ctx, username, address, s.now()); err != nil {
			return "", nil, err
		}
		return "", nil, ErrBadCredentials
	}
	if err != nil {
		return "", nil, err
	}
	if !checkPassword(hash, password) {
		if err := s.Limiter.Fail(ctx, username, address, s.now()); err != nil {
			return "", nil, err
		}
		return "", nil, ErrBadCredentials
	}
	if acc.TOTPEnabled {
		if strings.TrimSpace(otp) == "" {
			return "", nil, otpRequired("enter the code from your authenticator app, or a recovery code")
		}
		ok, err := s.checkSecondFactor(ctx, acc, otp, address)
		if err != nil {
			return "", nil, err
		}
		if !ok {
			if err := s.Limiter.Fail(ctx, username, address, s.now()); err != nil {
				return "", nil, err
			}
			return "", nil, otpRequired("the code is not valid or was already used")
		}
	}
	token, th := NewToken()
	if err := s.Store.CreateSession(ctx, th, acc.ID, s.now().UTC(), address, agent); err != nil {
		return "", nil, err
	}
	return token, acc, nil
}

// Authenticate returns the actor of a session token.
func (s *Service) Authenticate(ctx context.Context, token, address string) (*Actor, error) {
	if token == "" {
		return nil, apperr.Keyed(apperr.Unauthorized, "common.sign_first", "sign in first")
	}
	a, err := s.Store.SessionActor(ctx, TokenHash(token), s.now().UTC())
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.Keyed(apperr.Unauthorized, "auth.session_ended_sign_again", "the session has ended: sign in again")
		}
		return nil, err
	}
	a.Address = address
	return a, nil
}

// SignOut ends a session.
func (s *Service) SignOut(ctx context.Context, token string) error {
	return s.Store.DeleteSession(ctx, TokenHash(token))
}

// CreateInput is a new account as the API receives it.
type CreateInput struct {
	Username string  `json:"username"`
	Password string  `json:"password"`
	MemberID *int64  `json:"member_id"`
	Roles    []Grant `json:"roles"`
}

// CreateAccount adds an account: an admin anywhere, an office within its
// subtree, and never with a role above the creator's own.
func (s *Service) CreateAccount(ctx context.Context, actor *Actor, in CreateInput) (*Account, error) {
	var errs []apperr.FieldError
	username := strings.ToLower(strings.TrimSpace(in.Username))
	if err := viet.CheckLine(username); err != nil {
		errs = append(errs, apperr.FieldFrom("username", err))
	} else if !validUsername(username) {
		errs = append(errs, apperr.FieldKeyed("username", "auth.3_64_characters_letters", "3–64 characters: letters a–z, digits, dot, dash, underscore"))
	}
	if f := passwordProblem("password", in.Password, username); f != nil {
		errs = append(errs, *f)
	}
	roles, rerrs, err := s.checkGrants(ctx, actor, in.Roles)
	if err != nil {
		return nil, err
	}
	errs = append(errs, rerrs...)
	var memberPath string
	if in.MemberID != nil {
		// Linking an account to a member hands over that member's own
		// record: only for members within the creator's reach (out of
		// reach answers as a member that does not exist).
		path, err := s.Store.MemberUnitPath(ctx, *in.MemberID)
		if err != nil || !actor.Can(path, ManageAccounts) {
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				return nil, err
			}
			return nil, OutOfReach("member_id", "member")
		}
		memberPath = path
	}
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "auth.account_not_valid", "the account is not valid").With(errs...)
	}
	if !actor.HasAny(ManageAccounts) {
		return nil, apperr.Keyed(apperr.NotFound, "common.not_found", "not found")
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	acc := &Account{Username: username, MemberID: in.MemberID, Roles: roles, Version: 1}
	// The entry sits where the account's roles are, so that whoever
	// administers the account finds it in the audit log.
	err = s.Store.Create(ctx, acc, hash, AuditEntry{Actor: actor, Action: "account.create", ObjectType: "account", After: acc,
		UnitPath: CommonPath(append(pathsOf(roles), memberPath)...)})
	return acc, err
}

// SetRoles replaces an account's roles under the same rule as CreateAccount.
func (s *Service) SetRoles(ctx context.Context, actor *Actor, id int64, grants []Grant) (*Account, error) {
	acc, err := s.Store.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	// The actor must manage every unit where the account now holds a role.
	for _, g := range acc.Roles {
		if !actor.Can(g.UnitPath, ManageAccounts) {
			return nil, apperr.Keyed(apperr.NotFound, "auth.account_not_found", "account %d not found", id)
		}
	}
	if len(acc.Roles) == 0 && !actor.HasAny([]Role{RoleAdmin}) {
		return nil, apperr.Keyed(apperr.NotFound, "auth.account_not_found", "account %d not found", id)
	}
	roles, errs, err := s.checkGrants(ctx, actor, grants)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, apperr.Keyed(apperr.Invalid, "auth.roles_not_valid", "the roles are not valid").With(errs...)
	}
	if sameGrants(acc.Roles, roles) { // nothing to change: no audit entry
		if acc.Roles == nil {
			acc.Roles = []Grant{}
		}
		return acc, nil
	}
	before := *acc
	acc.Roles = roles
	err = s.Store.SetRoles(ctx, id, roles, AuditEntry{Actor: actor, Action: "account.roles", ObjectType: "account", ObjectID: id, Before: before, After: acc,
		UnitPath: CommonPath(append(pathsOf(before.Roles), pathsOf(roles)...)...)})
	return acc, err
}

// OutOfReach is the one answer for an id given as a target or a link that
// does not exist or that the actor may not name ("unit", "member" or
// "document"): the same status and the same message either way, so that
// nothing can be learnt by probing.
func OutOfReach(field, what string) error {
	switch what {
	case "unit":
		return apperr.Keyed(apperr.NotFound, "common.unit_missing", "unit not found").
			With(apperr.FieldKeyed(field, "common.unit_out_of_reach", "no such unit within reach"))
	case "member":
		return apperr.Keyed(apperr.NotFound, "common.member_missing", "member not found").
			With(apperr.FieldKeyed(field, "common.member_out_of_reach", "no such member within reach"))
	}
	return apperr.Keyed(apperr.NotFound, "common.document_missing", "document not found").
		With(apperr.FieldKeyed(field, "common.document_out_of_reach", "no such document within reach"))
}

// sameGrants reports whether two lists hold the same (unit, role) pairs.
func sameGrants(a, b []Grant) bool {
	type key struct {
		unit int64
		role Role
	}
	set := func(gs []Grant) map[key]bool {
		m := map[key]bool{}
		for _, g := range gs {
			m[key{g.UnitID, g.Role}] = true
		}
		return m
	}
	sa, sb := set(a), set(b)
	if len(sa) != len(sb) {
		return false
	}
	for k := range sa {
		if !sb[k] {
			return false
		}
	}
	return true
}

// checkGrants checks roles to grant: field errors for what is wrong with
// them, and the error for a unit out of the actor's reach (answered as a
// unit that does not exist).
func (s *Service) checkGrants(ctx context.Context, actor *Actor, in []Grant) ([]Grant, []apperr.FieldError, error) {
	var errs []apperr.FieldError
	out := []Grant{} // an account without roles answers "roles": []
	for i, g := range in {
		field := "roles[" + itoa(i) + "]"
		if !g.Role.Valid() {
			errs = append(errs, apperr.FieldKeyed(field+".role", "common.unknown_role", "unknown role"))
			continue
		}
		path, err := s.Store.UnitPath(ctx, g.UnitID)
		if err != nil || !actor.Can(path, ManageAccounts) {
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				return nil, nil, err
			}
			return nil, nil, OutOfReach(field+".unit_id", "unit")
		}
		if g.Role == RoleAdmin && !actor.Can(path, []Role{RoleAdmin}) {
			errs = append(errs, apperr.FieldKeyed(field+".role", "auth.only_admin_may_grant", "only an admin may grant admin"))
			continue
		}
		g.UnitPath = path
		out = append(out, g)
	}
	return out, errs, nil
}

func validUsername(u string) bool {
	if len(u) < 3 || len(u) > 64 {
		return false
	}
	for _, c := range u {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
