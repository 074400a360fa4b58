package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/demo"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/notify"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/report"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/store"
	"github.com/sotay-vn/sotay/internal/task"
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
		if err := a.Auth.Store.Create(ctx, a2, hash, auth.AuditEntry{Actor: auth.SystemActor(), Action: "account.create", ObjectType: "account", After: a2}); err != nil {
			return sum, fmt.Errorf("demo account %s: %w", acc.Username, err)
		}
	}
	// Every committee gets a head (a secretary) who answers for its tasks.
	if _, err := a.DB.SetDemoHeads(ctx); err != nil {
		return sum, fmt.Errorf("demo unit heads: %w", err)
	}
	if err := a.loadDemoContent(ctx, sum, seed, out); err != nil {
		return sum, fmt.Errorf("demo content: %w", err)
	}
	return sum, nil
}

// loadDemoContent writes a year of documents, news, comments and tasks
// (demo.Content) through services of their own on a demo clock, which the
// store follows too while they are written, so that what happened "last
// spring" is stamped then.
func (a *App) loadDemoContent(ctx context.Context, sum demo.Summary, seed int64, out io.Writer) error {
	start := time.Now()
	actors := map[string]*auth.Actor{}
	for _, acc := range sum.Accounts {
		got, _, err := a.Auth.Store.ByUsername(ctx, acc.Username)
		if err != nil {
			return err
		}
		act := &auth.Actor{AccountID: got.ID, Username: got.Username}
		if got.MemberID != nil {
			act.MemberID = *got.MemberID
			if act.MemberUnitPath, err = a.Auth.Store.MemberUnitPath(ctx, act.MemberID); err != nil {
				return err
			}
		}
		for _, g := range got.Roles {
			if g.UnitPath, err = a.DB.UnitPath(ctx, g.UnitID); err != nil {
				return err
			}
			act.Grants = append(act.Grants, g)
		}
		actors[acc.Username] = act
	}
	clock := demo.NewClock(a.DB.Now())
	realNow := a.DB.Now
	a.DB.Now = clock.Now
	defer func() { a.DB.Now = realNow }()
	docs := &doc.Service{Store: a.Docs.Store, Files: a.Docs.Files, Now: clock.Now, OnComment: &notify.Service{Store: a.Notify.Store, Now: clock.Now}}
	tasks := &task.Service{Store: a.Tasks.Store, Calendars: a.Calendars, Documents: docs, Now: clock.Now}
	confs := &conference.Service{Store: store.Conferences{DB: a.DB}, Documents: docs, Now: clock.Now}
	fourGood := &scoring.Service{Store: store.FourGood{DB: a.DB}, Now: clock.Now}
	meetings := &meeting.Service{Store: store.Meetings{DB: a.DB}, Now: clock.Now}
	reports := &report.Service{Store: store.Reports{DB: a.DB}, Tasks: tasks, Documents: docs, Now: clock.Now, Log: a.Reports.Log}
	outbreaks := &outbreak.Service{Store: store.Outbreaks{DB: a.DB}, Tasks: tasks, Now: clock.Now}
	c, err := demo.Content(ctx, demo.ContentEnv{Docs: docs, Tasks: tasks, Conferences: confs, FourGood: fourGood, Meetings: meetings, Reports: reports, Outbreaks: outbreaks,
		Clock: clock, Actors: actors, Summary: sum, Seed: seed, ReadBy: a.DB.SetDemoReceipts, Read: a.Docs.Store.RecordReceipt})
	if err != nil {
		return err
	}
	if err := a.DB.ClearDemoInvitations(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "Wrote %d documents, %d news with %d comments, %d read receipts, %d tasks with %d steps, %d cell meetings, %d reports sent up in %s.\n",
		c.Documents, c.News, c.Comments, c.Receipts, c.Tasks, c.Steps, c.Meetings, c.ReportsSent, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(out, "Four-good cells: %d sample frameworks, %d registrations, %d scoresheets, %d submissions.\n",
		c.FourGood.Frameworks, c.FourGood.Registrations, c.FourGood.Sheets, c.FourGood.Submissions)
	return nil
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
