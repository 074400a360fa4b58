// Package cli holds the sotay subcommands and wires the modules, the store
// and the web server together. It is the only package that sees them all.
package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/meeting"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/notify"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/outbreak"
	"github.com/sotay-vn/sotay/internal/report"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/store"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/web"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// App is the wired program: one database and the services over it. The
// domain services (Org, Members, Docs, Tasks, …) are the web server's
// (httpx.Services, promoted here), so the commands and the server share
// one set.
type App struct {
	DB *store.DB
	*httpx.Services
	Web *web.Server
	// Jobs enqueues durable background work; Runner runs it (started by
	// serve only). Store code enqueues atomically with (*store.Tx).Enqueue.
	Jobs   *jobs.Queue
	Runner *jobs.Runner
	// Broker carries the conferences' changes to the boards (fed by
	// PostgreSQL's NOTIFY when serving on PostgreSQL, see listen).
	Broker     *conference.Broker
	stopListen context.CancelFunc
}

// dbFlags are the flags every command that opens the database shares.
type dbFlags struct {
	Data string
	DB   string
	// Files is the attachments directory of older versions (--files,
	// SOTAY_FILES): attachments now live in the database, and this
	// directory is only read to import it (see files.go).
	Files string
	// Replica is a streaming replica of the PostgreSQL primary for the
	// heavy reads (--db-replica, SOTAY_DB_REPLICA).
	Replica string
}

// readYourWrites is how long a session that wrote reads from the primary
// when heavy reads go to a replica: longer than the replica's lag in
// ordinary operation (under a second on one network).
const readYourWrites = 5 * time.Second

// wroteWindow is how long, after a session wrote, its heavy reads check
// that the replica has replayed its write (and go to the primary while it
// has not), whether the session keeps cookies or not: a bound on how long
// such a session pays a short query on the replica, well beyond any lag
// that should last.
const wroteWindow = time.Minute

// filesDir is where older versions kept attachments: --files or
// SOTAY_FILES; else "files" beside the SQLite database, or DATA/files
// (./data/files) for PostgreSQL.
func filesDir(f dbFlags, db *store.DB) string {
	if f.Files != "" {
		return f.Files
	}
	if v := os.Getenv("SOTAY_FILES"); v != "" {
		return v
	}
	if file := db.SQLiteFile(); file != "" {
		return filepath.Join(filepath.Dir(file), "files")
	}
	if f.Data == "" {
		f.Data = "data"
	}
	return filepath.Join(f.Data, "files")
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// openApp opens and migrates the database and wires the services.
func openApp(ctx context.Context, f dbFlags, log *slog.Logger) (*App, error) {
	db, err := store.Open(ctx, f.DB, f.Data)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if f.Replica != "" {
		if err := db.OpenReplica(ctx, f.Replica); err != nil {
			db.Close()
			return nil, err
		}
	}
	a := newApp(db, log)
	if db.HasReplica() {
		a.Web.ReadYourWrites = readYourWrites
		a.Web.WroteWindow = wroteWindow
		a.Web.MarkWrote = func(ctx context.Context, token string, until time.Time) error {
			return db.MarkSessionWrote(ctx, auth.TokenHash(token), until)
		}
		a.Web.ReplicaLag = db.ReplicaLag
	}
	return a, nil
}

func newApp(db *store.DB, log *slog.Logger) *App {
	a := &App{DB: db, Web: &web.Server{Services: httpx.Services{AuditLog: db, AuditChain: db, Ping: db.Ping, Log: log, Now: db.Now}}}
	a.Services = &a.Web.Services
	a.Org = &org.Service{Store: store.Units{DB: db}, Now: db.Now, Log: db}
	a.Members = &member.Service{Store: store.Members{DB: db}, Now: db.Now}
	a.Auth = &auth.Service{Store: store.Accounts{DB: db}, Now: db.Now, Limiter: auth.NewStoredLimiter(store.AuthFailures{DB: db})}
	a.Importer = &member.Importer{Service: a.Members, Store: store.Members{DB: db}}
	a.Runner = &jobs.Runner{Store: store.Jobs{DB: db}, Now: db.Now, Log: log}
	a.Jobs = &jobs.Queue{Store: store.Jobs{DB: db}, Now: db.Now, Notify: a.Runner.Notify}
	a.Docs = &doc.Service{Store: store.Docs{DB: db}, Files: store.Blobs{DB: db}, Now: db.Now}
	a.Calendars = &task.Calendars{Store: store.Calendars{DB: db}, Now: db.Now}
	a.Tasks = &task.Service{Store: store.Tasks{DB: db}, Calendars: a.Calendars, Documents: a.Docs, Now: db.Now}
	a.Tasks.RegisterJobs(a.Runner, 0) // the overdue scan and the reminders, hourly
	a.FourGood = &scoring.Service{Store: store.FourGood{DB: db}, Now: db.Now,
		Meetings: store.FourGoodMeetings{DB: db}, Conferences: store.FourGoodConferences{DB: db}, Files: a.Docs.Files,
		Requests: store.FourGoodRequests{DB: db}, Outbreaks: store.FourGoodOutbreaks{DB: db}}
	// Links in e-mail start with SOTAY_BASE_URL (https://sotay.example.vn).
	a.Notify = &notify.Service{Store: store.Notifications{DB: db}, Now: db.Now, BaseURL: envOr("SOTAY_BASE_URL", "")}
	a.Notify.RegisterJobs(a.Runner)    // the digest, daily at 07:00 in Vietnam
	registerFilesGC(a.Runner, db, log) // unreferenced attachments, every 6 hours
	a.Docs.OnComment, a.Docs.Log = a.Notify, log
	a.Tasks.Notifier, a.Tasks.Log = taskNotices{a.Notify}, log
	a.Reports = &report.Service{Store: store.Reports{DB: db}, Tasks: a.Tasks, Documents: a.Docs, Now: db.Now, Log: log}
	a.Broker = conference.NewBroker()
	a.Conferences = &conference.Service{Store: store.Conferences{DB: db}, Documents: a.Docs, Changes: a.Broker, Now: db.Now}
	a.Meetings = &meeting.Service{Store: store.Meetings{DB: db}, Now: db.Now}
	a.Outbreaks = &outbreak.Service{Store: store.Outbreaks{DB: db}, Tasks: a.Tasks, Now: db.Now}
	a.Reports.Sources = append(a.Reports.Sources, a.Outbreaks)                 // outbreak work in the reports' drafts
	a.Reports.Sources = append(a.Reports.Sources, fourGoodFigures{a.FourGood}) // four-good results in the reports' drafts
	// The caches empty themselves when any process changes what they keep
	// ("" : notices may have been missed).
	db.Subscribe(store.CacheChannel, func(p string) {
		if p == "" || p == store.CacheCalendar {
			a.Calendars.Invalidate()
		}
		if p == "" || p == store.CacheUnits {
			doc.ForgetUnitNames()
		}
	})
	return a
}

// listen makes this process hear the changes other processes commit on
// PostgreSQL (LISTEN/NOTIFY, store/notifier.go): the check-ins and other
// changes of conferences feed the live boards, and the caches (the
// working-day calendar, units' names) empty themselves. On SQLite, one
// process, the same notices are delivered in process.
func (a *App) listen(ctx context.Context, log *slog.Logger) {
	ctx, cancel := context.WithCancel(ctx)
	deliver := func(id int64) {
		if id == 0 {
			a.Broker.DeliverAll()
			return
		}
		a.Broker.Deliver(id)
	}
	if a.DB.Listen(ctx, log) && a.DB.ListenConferences(ctx, deliver) {
		// Every change of a board goes through the database, so that the
		// boards of every process hear it (and this one's too, from the
		// listener); should the NOTIFY fail, this process's boards at least.
		a.Broker.Forward = func(id int64) {
			nctx, ncancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer ncancel()
			if err := a.DB.NotifyConference(nctx, id); err != nil {
				a.Broker.Deliver(id)
			}
		}
		a.stopListen = cancel
		return
	}
	cancel()
}

// taskNotices writes the task module's notices of hand-overs
// (task.Notifier) into the inbox.
type taskNotices struct{ n *notify.Service }

func (t taskNotices) TaskNotices(ctx context.Context, ns []task.Notice) error {
	ms := make([]notify.Message, len(ns))
	for i, n := range ns {
		rs := make([]notify.Recipient, len(n.AccountIDs))
		for j, id := range n.AccountIDs {
			rs[j] = notify.Recipient{AccountID: id}
		}
		ms[i] = notify.Message{Recipients: rs, Kind: n.Kind, Title: n.Title, Body: n.Body, Link: n.Link, EventKey: n.EventKey}
	}
	return t.n.SendAll(ctx, ms)
}

// Close closes the database.
func (a *App) Close() error {
	if a.stopListen != nil {
		a.stopListen()
	}
	return a.DB.Close()
}

// withApp opens the program, calls fn with it and closes it.
func withApp(ctx context.Context, f dbFlags, log *slog.Logger, fn func(*App) error) error {
	a, err := openApp(ctx, f, log)
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a)
}

// openAppAt opens the program as openApp does and finds the unit named
// by id or code; the caller closes the app.
func openAppAt(ctx context.Context, f dbFlags, log *slog.Logger, unit string) (*App, *org.Unit, error) {
	a, err := openApp(ctx, f, log)
	if err != nil {
		return nil, nil, err
	}
	u, err := a.resolveUnit(ctx, unit)
	if err != nil {
		a.Close()
		return nil, nil, err
	}
	return a, u, nil
}

// resolveUnit finds a unit by id or code for the command line.
func (a *App) resolveUnit(ctx context.Context, idOrCode string) (*org.Unit, error) {
	if idOrCode == "" {
		return nil, fmt.Errorf("--unit is required (a unit id or code)")
	}
	return a.Org.Resolve(ctx, auth.SystemActor(), idOrCode)
}

// fourGoodFigures adds a unit's four-good results to the drafts of the
// four-good report requests (report.FigureSource, report.KindFourGood)
// without the scoring module knowing the reports.
type fourGoodFigures struct{ s *scoring.Service }

func (f fourGoodFigures) ReportFigures(ctx context.Context, a *auth.Actor, unit *report.UnitRef, kind string, from, to date.Date) (report.Figures, string, error) {
	if kind != report.KindFourGood {
		return nil, "", nil // only the four-good reports carry the results
	}
	figs, section, err := f.s.ReportFigures(ctx, a, unit.ID, from, to)
	if err != nil || figs == nil {
		return nil, "", err
	}
	return report.Figures(figs), section, nil
}

// The four-good results are read from the report requests of the kind the
// reports' pages offer for them.
func init() {
	if report.KindFourGood != scoring.RequestKind {
		panic("cli: report.KindFourGood and scoring.RequestKind differ")
	}
}
