package store

import (
	"context"
	"testing"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
)

// TestAccountNameTaken: a second account with a user name already in use
// answers the Conflict keyed auth.user_name_taken (insertOrTaken), nothing
// written; a free name still goes in.
func TestAccountNameTaken(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		cell := mustTree(t, db, "province HN", "cell HN.1")["HN.1"]
		create := func(name string) error {
			acc := &auth.Account{Username: name, Roles: []auth.Grant{{UnitID: cell.ID, Role: auth.RoleMember}}}
			return (Accounts{db}).Create(ctx, acc, "not-a-hash", auth.AuditEntry{Actor: system, Action: "account.create", ObjectType: "account"})
		}
		for _, c := range []struct {
			name     string
			wantCode apperr.Code
			wantKey  string
		}{
			{"an", "", ""},
			{"an", apperr.Conflict, "auth.user_name_taken"},
			{"binh", "", ""},
		} {
			err := create(c.name)
			if c.wantCode == "" {
				if err != nil {
					t.Fatalf("create %s: got %v, want no error", c.name, err)
				}
				continue
			}
			key, _ := apperr.KeyOf(err)
			if !apperr.Is(err, c.wantCode) || key != c.wantKey {
				t.Errorf("create %s again: got %v (key %q), want %s keyed %s", c.name, err, key, c.wantCode, c.wantKey)
			}
		}
		var n int
		if err := db.Read(ctx, func(q Querier) error {
			return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE username = 'an'`).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("accounts named an: got %d, want 1", n)
		}
	})
}
