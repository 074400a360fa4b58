package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/demo"
)

// DefaultDemoPassword is used when SOTAY_DEMO_PASSWORD is not set.
const DefaultDemoPassword = "sotay-demo-2026"

func demoPassword() string { return envOr("SOTAY_DEMO_PASSWORD", DefaultDemoPassword) }

// loadDemo generates a dataset into an empty database and creates the
// demo accounts. It returns the summary for printing.
func (a *App) loadDemo(ctx context.Context, scale string, seed int64, out io.Writer) (demo.Summary, error) {
	empty, err := a.DB.IsEmpty(ctx)
	if err != nil {
		return demo.Summary{}, err
	}
	if !empty {
		return demo.Summary{}, fmt.Errorf("the database already holds data: the demo loads only into an empty one")
	}
	start := time.Now()
	l, err := a.DB.NewLoader(ctx)
	if err != nil {
		return demo.Summary{}, err
	}
	sum, err := demo.Generate(demo.Options{Scale: scale, Seed: seed}, l)
	if err != nil {
		l.Close()
		return sum, fmt.Errorf("generate: %w", err)
	}
	if err := l.Close(); err != nil {
		return sum, fmt.Errorf("load: %w", err)
	}
	took := time.Since(start)
	fmt.Fprintf(out, "Loaded %d units and %d members in %s (%.0f members/s).\n", sum.Units, sum.Members, took.Round(time.Millisecond), float64(sum.Members)/took.Seconds())
	hash, err := auth.HashPassword(demoPassword())
	if err != nil {
		return sum, err
	}
	for _, acc := range sum.Accounts {
		// Demo accounts may sign in with the password alone, so that the demo
		// can be tried at once; no other path sets TOTPExempt.
		a2 := &auth.Account{Username: acc.Username, Roles: []auth.Grant{{UnitID: acc.UnitID, Role: acc.Role}}, TOTPExempt: true}
		if acc.MemberID != 0 {
			id := acc.MemberID
			a2.MemberID = &id
		}
		if err := a.DB.CreateAccount(ctx, a2, hash, auth.AuditEntry{Actor: auth.SystemActor(), Action: "account.create", ObjectType: "account", After: a2}); err != nil {
			return sum, fmt.Errorf("demo account %s: %w", acc.Username, err)
		}
	}
	// Every committee gets a head (a secretary) who answers for its tasks.
	if _, err := a.DB.SetDemoHeads(ctx); err != nil {
		return sum, fmt.Errorf("demo unit heads: %w", err)
	}
	return sum, nil
}

func printAccounts(out io.Writer, accounts []demo.Account) {
	fmt.Fprintf(out, "Demo accounts (password: %s):\n", demoPasswordShown())
	for _, a := range accounts {
		fmt.Fprintf(out, "  %-16s %-20s %s\n", a.Username, a.Role, a.Description)
	}
}

func demoPasswordShown() string {
	if envOr("SOTAY_DEMO_PASSWORD", "") != "" {
		return "the value of SOTAY_DEMO_PASSWORD"
	}
	return DefaultDemoPassword
}
