// Package cli holds the sotay subcommands and wires the modules, the store
// and the web server together. It is the only package that sees them all.
package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/store"
	"github.com/sotay-vn/sotay/internal/web"
)

// App is the wired program: one database and the services over it.
type App struct {
	DB       *store.DB
	Org      *org.Service
	Members  *member.Service
	Auth     *auth.Service
	Importer *member.Importer
	Web      *web.Server
}

// dbFlags are the flags every command that opens the database shares.
type dbFlags struct {
	Data string
	DB   string
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
	return newApp(db, log), nil
}

func newApp(db *store.DB, log *slog.Logger) *App {
	a := &App{DB: db}
	a.Org = &org.Service{Store: db}
	a.Members = &member.Service{Store: db, Now: db.Now}
	a.Auth = &auth.Service{Store: db, Now: db.Now, Limiter: auth.NewLimiter()}
	a.Importer = &member.Importer{Service: a.Members, Store: db}
	a.Web = &web.Server{Org: a.Org, Members: a.Members, Auth: a.Auth, Importer: a.Importer, AuditLog: db, Ping: db.Ping, Log: log, Now: db.Now, UnitCodes: db.UnitCodes}
	return a
}

// Close closes the database.
func (a *App) Close() error { return a.DB.Close() }

// resolveUnit finds a unit by id or code for the command line.
func (a *App) resolveUnit(ctx context.Context, idOrCode string) (*org.Unit, error) {
	if idOrCode == "" {
		return nil, fmt.Errorf("--unit is required (a unit id or code)")
	}
	return a.Org.Resolve(ctx, auth.SystemActor(), idOrCode)
}
