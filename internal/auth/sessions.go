package auth

import (
	"context"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// Sessions lists the actor's live sessions, newest first, marking the one
// the request came with.
func (s *Service) Sessions(ctx context.Context, actor *Actor) ([]SessionInfo, error) {
	id, err := ownAccount(actor)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.ListSessions(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	out := []SessionInfo{}
	for _, si := range all {
		if now.After(si.ExpiresAt) || now.Sub(si.LastSeen) > SessionIdle {
			continue // ended already; SessionActor deletes it when it is next used
		}
		si.Current = si.ID == actor.SessionID
		out = append(out, si)
	}
	return out, nil
}

// EndSession ends one of the actor's own sessions by its public id. It
// reports whether that was the session of the request.
func (s *Service) EndSession(ctx context.Context, actor *Actor, publicID string) (bool, error) {
	id, err := ownAccount(actor)
	if err != nil {
		return false, err
	}
	if !validPublicID(publicID) {
		return false, apperr.Keyed(apperr.NotFound, "auth.session_not_found", "session %s not found", publicID)
	}
	if err := s.Store.DeleteAccountSession(ctx, id, publicID); err != nil {
		return false, err
	}
	return publicID == actor.SessionID, nil
}

// ChangePassword sets the actor's own password after checking the current
// one, and ends every other session of the account.
func (s *Service) ChangePassword(ctx context.Context, actor *Actor, current, next string) error {
	id, err := ownAccount(actor)
	if err != nil {
		return err
	}
	if err := s.Limiter.Check(ctx, actor.Username, actor.Address, s.now()); err != nil {
		return err
	}
	_, hash, err := s.Store.ByUsername(ctx, actor.Username)
	if err != nil {
		return err
	}
	if !CheckPassword(hash, current) {
		if err := s.Limiter.Fail(ctx, actor.Username, actor.Address, s.now()); err != nil {
			return err
		}
		return apperr.Keyed(apperr.Invalid, "common.password_was_not_changed", "the password was not changed").With(apperr.FieldKeyed("current_password", "auth.not_current_password", "not the current password"))
	}
	if f := passwordProblem("new_password", next, actor.Username); f != nil {
		return apperr.Keyed(apperr.Invalid, "common.password_was_not_changed", "the password was not changed").With(*f)
	}
	if next == current {
		return apperr.Keyed(apperr.Invalid, "common.password_was_not_changed", "the password was not changed").With(apperr.FieldKeyed("new_password", "auth.must_differ_current_password", "must differ from the current password"))
	}
	nh, err := HashPassword(next)
	if err != nil {
		return err
	}
	return s.Store.SetAccountPassword(ctx, id, nh, actor.SessionID,
		AuditEntry{Actor: actor, Action: "account.password_change", ObjectType: "account", ObjectID: id})
}

// ResetPassword lets an officer set a new password for an account below
// them — the rule of SetRoles: the actor manages every unit where the
// account holds a role, and only an admin covers an admin. The account's
// sessions all end. The audit entry names the account, never the password.
func (s *Service) ResetPassword(ctx context.Context, actor *Actor, id int64, password string) error {
	acc, err := s.Store.Account(ctx, id)
	if err != nil {
		return err
	}
	var paths []string
	for _, g := range acc.Roles {
		if !actor.Can(g.UnitPath, ManageAccounts) || g.Role == RoleAdmin && !actor.Can(g.UnitPath, []Role{RoleAdmin}) {
			return apperr.Keyed(apperr.NotFound, "auth.account_not_found", "account %d not found", id)
		}
		paths = append(paths, g.UnitPath)
	}
	if len(acc.Roles) == 0 && !actor.HasAny([]Role{RoleAdmin}) {
		return apperr.Keyed(apperr.NotFound, "auth.account_not_found", "account %d not found", id)
	}
	if id == actor.AccountID {
		return apperr.Keyed(apperr.Invalid, "auth.use_change_password_which", "use the change of password, which asks for the current one").With(apperr.FieldKeyed("id", "auth.your_own_account", "this is your own account"))
	}
	if f := passwordProblem("new_password", password, acc.Username); f != nil {
		return apperr.Keyed(apperr.Invalid, "auth.password_not_valid", "the password is not valid").With(*f)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	e := AuditEntry{Actor: actor, Action: "account.password_reset", ObjectType: "account", ObjectID: id,
		After: map[string]any{"username": acc.Username, "sessions_ended": true}}
	if ps := MinimalPrefixes(paths); len(ps) > 0 {
		e.UnitPath = ps[0]
	}
	return s.Store.SetAccountPassword(ctx, id, hash, "", e)
}

// validPublicID tells a session's public id from garbage before a query.
func validPublicID(s string) bool {
	return len(s) >= 8 && len(s) <= 64 && strings.Trim(s, "0123456789abcdef") == ""
}
