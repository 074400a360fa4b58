package auth

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/page"
)

// AuditRecord is one stored line of the audit trail.
type AuditRecord struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	AccountID  *int64          `json:"account_id"`
	Username   string          `json:"username"`
	Address    string          `json:"address"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   *int64          `json:"object_id"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
}

// AuditFilter selects audit entries. Paths are the subtrees the reader may
// see; OwnMemberID lets a member see who opened their own record.
type AuditFilter struct {
	Paths       []string
	UnitPath    string
	ObjectType  string
	ObjectID    int64
	OwnMemberID int64
	// Username keeps the entries of one actor ("" for all).
	Username string
	// Actions keeps the entries of these actions (nil for all).
	Actions []string
	// Since and Until bound the entries' time: Since <= at < Until (zero:
	// unbounded).
	Since, Until time.Time
	Limit        int
	BeforeID     int64
	// IncludePrivate keeps the entries of what members do privately (see
	// PrivateAuditPrefixes); without it they are left out, in SQL.
	IncludePrivate bool
}

// PrivateAuditPrefixes are the actions a member takes for themselves
// alone: their notes and bookmarks, their own password and second factor.
// They stay in the hash chain but are nobody's business in the audit
// browser: officers, admins included, see what was done to the records in
// their reach, not what members do privately. A member reading their own
// record ("member.read" whose object is the reader's own member) is
// private too; the store recognises it through accounts.member_id.
var PrivateAuditPrefixes = []string{
	"note.", "bookmark.",
	"account.password_change", "account.totp_", "account.recovery_code_",
}

// PrivateAudit reports whether action is one of PrivateAuditPrefixes.
func PrivateAudit(action string) bool {
	for _, p := range PrivateAuditPrefixes {
		if strings.HasPrefix(action, p) {
			return true
		}
	}
	return false
}

// AuditStore reads the audit trail.
type AuditStore interface {
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditRecord, error)
	UnitPath(ctx context.Context, unitID int64) (string, error)
}

// MaxAuditActions bounds the actions of one query.
const MaxAuditActions = 20

// AuditQuery is a request to browse the log.
type AuditQuery struct {
	UnitID int64
	Object string // "member:12", "member/12", "member" or "12"
	// Actor is the user name of who acted ("" for anyone).
	Actor string
	// Actions keeps the entries of these actions (nil for any), at most
	// MaxAuditActions.
	Actions []string
	// Since and Until bound the time of the entries: Since <= at < Until
	// (zero: unbounded).
	Since, Until time.Time
	Limit        int
	Cursor       string
}

// ListAudit returns entries within the actor's reach, newest first.
// Officers see entries about objects in their subtree; a member sees the
// entries about their own record. Members' private actions are left out
// for every reader but the system (the operator's command line).
func ListAudit(ctx context.Context, st AuditStore, actor *Actor, q AuditQuery) ([]AuditRecord, *string, error) {
	f := AuditFilter{Paths: actor.Paths(ReadPersonal), Limit: q.Limit, IncludePrivate: actor.System}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	if q.Cursor != "" {
		id, err := strconv.ParseInt(q.Cursor, 10, 64)
		if err != nil || id <= 0 || strconv.FormatInt(id, 10) != q.Cursor {
			return nil, nil, apperr.BadCursor()
		}
		f.BeforeID = id
	}
	typ, id := parseObject(q.Object)
	f.ObjectType, f.ObjectID = typ, id
	f.Username = strings.ToLower(strings.TrimSpace(q.Actor))
	if len(q.Actions) > MaxAuditActions {
		return nil, nil, apperr.Keyed(apperr.Invalid, "auth.filter_not_valid", "the filter is not valid").With(apperr.FieldKeyed("actions", "auth.at_most_actions", "at most %d actions", MaxAuditActions))
	}
	f.Actions = q.Actions
	if len(f.Username) > 64 {
		return nil, nil, apperr.Keyed(apperr.Invalid, "auth.filter_not_valid", "the filter is not valid").With(apperr.FieldKeyed("actor", "auth.most_64_characters", "at most 64 characters"))
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		return nil, nil, apperr.Keyed(apperr.Invalid, "auth.filter_not_valid", "the filter is not valid").With(apperr.FieldKeyed("to", "auth.end_before_start", "the end is before the start"))
	}
	f.Since, f.Until = q.Since.UTC(), q.Until.UTC()
	if len(f.Paths) == 0 {
		if actor.MemberID == 0 {
			return nil, nil, apperr.Keyed(apperr.NotFound, "common.not_found", "not found")
		}
		f.OwnMemberID = actor.MemberID
	}
	if q.UnitID != 0 {
		p, err := st.UnitPath(ctx, q.UnitID)
		if err != nil || !actor.Can(p, ReadPersonal) {
			return nil, nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", q.UnitID)
		}
		f.UnitPath = p
	}
	recs, err := st.ListAudit(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	recs, next := page.Cut(recs, f.Limit, func(last AuditRecord) string { return strconv.FormatInt(last.ID, 10) })
	return recs, next, nil
}

func parseObject(s string) (string, int64) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", 0
	}
	sep := strings.IndexAny(s, ":/")
	if sep < 0 {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			return "", id
		}
		return s, 0
	}
	id, _ := strconv.ParseInt(s[sep+1:], 10, 64)
	return s[:sep], id
}
