package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
)

// TestSignInLimitsShared: the sign-in limiter of one process refuses after
// failures recorded by another process on the same database (two pools
// over one database file or one PostgreSQL database), the window passes
// for both, and old rows are dropped.
func TestSignInLimitsShared(t *testing.T) {
	t.Parallel()
	engines := []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "test.db") }},
		{"postgres", func(t *testing.T) string {
			dsn := migratedPostgres(t)
			if dsn == "" {
				t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
			}
			return dsn
		}},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			dsn := e.dsn(t)
			one, two := OpenTest(t, dsn), OpenTest(t, dsn)
			a, b := auth.NewStoredLimiter(AuthFailures{DB: one}), auth.NewStoredLimiter(AuthFailures{DB: two})
			ctx := context.Background()
			t0 := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
			for i := range 5 {
				l := a
				if i%2 == 1 {
					l = b
				}
				if err := l.Check(ctx, "an", "10.0.0.1", t0); err != nil {
					t.Fatalf("attempt %d refused: %v", i+1, err)
				}
				if err := l.Fail(ctx, "an", "10.0.0.1", t0.Add(time.Duration(i)*time.Second)); err != nil {
					t.Fatal(err)
				}
			}
			tests := []struct {
				name      string
				l         *auth.Limiter
				user, adr string
				at        time.Time
				want      bool // refused
				retry     int
			}{
				{"sixth on process one, another address", a, "an", "10.0.0.2", t0.Add(time.Minute), true, 14 * 60},
				{"sixth on process two", b, "an", "10.0.0.3", t0.Add(time.Minute), true, 14 * 60},
				{"another account from the address", b, "binh", "10.0.0.1", t0.Add(time.Minute), false, 0},
				{"after the window on process two", b, "an", "10.0.0.1", t0.Add(15*time.Minute + 5*time.Second), false, 0},
			}
			for _, tt := range tests {
				err := tt.l.Check(ctx, tt.user, tt.adr, tt.at)
				if got := apperr.Is(err, apperr.RateLimited); got != tt.want {
					t.Errorf("%s: refused = %v (%v), want %v", tt.name, got, err, tt.want)
					continue
				}
				if tt.want {
					if e, _ := apperr.As(err); e.Extra["retry_after"] != tt.retry {
						t.Errorf("%s: retry_after = %v, want %d", tt.name, e.Extra["retry_after"], tt.retry)
					}
				}
			}
			// A failure after the window deletes the old rows.
			if err := a.Fail(ctx, "chi", "10.0.0.9", t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := one.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM auth_failures`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Errorf("rows after the window: got %d, want 2 (the last failure's two keys)", n)
			}
		})
	}
}
