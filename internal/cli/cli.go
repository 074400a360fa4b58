package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `sotay — the party organisation's handbook and operations

Usage:
  sotay serve [--addr 127.0.0.1:8080] [--data ./data] [--db sqlite|postgres://...] [--demo]
              [--db-replica postgres://...]
              [--smtp host:port --mail-from "Name <addr>"]
              [--behind-proxy] [--trusted-proxies 10.0.0.5,10.0.1.0/24]
  sotay demo  [--scale district|city|nation] [--seed N] [--data DIR | --db URL]
  sotay migrate [--data DIR | --db URL]
  sotay user add --username U --unit ID --role ROLE [--member ID] [--password-stdin]
  sotay import members --unit ID [--dry-run] FILE
  sotay export members --unit ID --format xlsx|csv > FILE
  sotay audit verify [--data DIR | --db URL]
  sotay check counters [--fix] [--data DIR | --db URL]
  sotay backup [--data DIR | --db URL] FILE
  sotay restore [--data DIR | --db URL] FILE
  sotay files import [--data DIR | --db URL] [--files DIR]
  sotay files gc [--data DIR | --db URL]

--unit takes a unit's id or its code. Flags come before positional arguments.
Environment: SOTAY_DATA, SOTAY_DB, SOTAY_DB_REPLICA, SOTAY_ADDR, SOTAY_DEMO_PASSWORD.
E-mail: SOTAY_SMTP, SOTAY_MAIL_FROM, and SOTAY_SMTP_USERNAME, SOTAY_SMTP_PASSWORD
when the mail server wants a login (only over TLS or to localhost). Without
--smtp, e-mail waits in the job queue.
`

// Run runs the command line args (without the program name) and returns
// the process exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	err := run(ctx, args, stdin, stdout, stderr, log)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "sotay:", err)
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

// commands are the subcommands by name ("sotay user" reads standard
// input as well: run calls it apart).
var commands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error{
	"serve":   cmdServe,
	"demo":    cmdDemo,
	"migrate": cmdMigrate,
	"import":  cmdImport,
	"export":  cmdExport,
	"audit":   cmdAudit,
	"check":   cmdCheck,
	"backup":  cmdBackup,
	"restore": cmdRestore,
	"files":   cmdFiles,
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "user":
		return cmdUser(ctx, rest, stdin, stdout, stderr, log)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	if c, ok := commands[cmd]; ok {
		return c(ctx, rest, stdout, stderr, log)
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

func newFlags(name string, stderr io.Writer, f *dbFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.Data, "data", envOr("SOTAY_DATA", "data"), "data directory (SQLite database and files)")
	fs.StringVar(&f.DB, "db", envOr("SOTAY_DB", "sqlite"), "database: sqlite, or postgres://user@host/db")
	fs.StringVar(&f.Replica, "db-replica", envOr("SOTAY_DB_REPLICA", ""), "streaming replica of the PostgreSQL primary for reports, roll-ups, search and exports (postgres://…)")
	fs.StringVar(&f.Files, "files", envOr("SOTAY_FILES", ""), "attachments directory of older versions, imported into the database (default: files beside the SQLite database, or DATA/files)")
	return fs
}

// dbCommand parses the database flags of a command that has no other
// flags and takes nargs arguments (-1: any); usage answers a different
// count. It answers the flags and the arguments.
func dbCommand(name string, stderr io.Writer, args []string, nargs int, usage string) (dbFlags, []string, error) {
	f, fs, err := parseDBFlags(name, stderr, args, nil)
	if err != nil {
		return f, nil, err
	}
	if nargs >= 0 && fs.NArg() != nargs {
		return f, nil, usageError{usage}
	}
	return f, fs.Args(), nil
}

// subcommand parses a command of one word, the last of name ("sotay user
// add", "sotay audit verify"…): args must start with it (anything else
// answers usage), then the database flags and those define adds. It
// answers the flags and the arguments after them.
func subcommand(name, usage string, stderr io.Writer, args []string, define func(*flag.FlagSet)) (dbFlags, []string, error) {
	if word := name[strings.LastIndexByte(name, ' ')+1:]; len(args) == 0 || args[0] != word {
		return dbFlags{}, nil, usageError{usage}
	}
	f, fs, err := parseDBFlags(name, stderr, args[1:], define)
	if err != nil {
		return f, nil, err
	}
	return f, fs.Args(), nil
}

// parseDBFlags parses args as the flag set name: the database flags into
// f, and the command's own flags that define adds (nil: none).
func parseDBFlags(name string, stderr io.Writer, args []string, define func(*flag.FlagSet)) (f dbFlags, fs *flag.FlagSet, err error) {
	fs = newFlags(name, stderr, &f)
	if define != nil {
		define(fs)
	}
	err = parse(fs, args)
	return f, fs, err
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	f, _, err := dbCommand("migrate", stderr, args, -1, "")
	if err != nil {
		return err
	}
	return withApp(ctx, f, log, func(a *App) error {
		if err := importLegacyFiles(ctx, a, f, log); err != nil {
			return err
		}
		v, err := a.DB.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Database schema at version %d.\n", v)
		return nil
	})
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	var f dbFlags
	fs := newFlags("demo", stderr, &f)
	scale := fs.String("scale", "district", "district (about 9,700 members), city (about 500,000) or nation (about 5.6 million)")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same data")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withApp(ctx, f, log, func(a *App) error {
		sum, err := a.loadDemo(ctx, *scale, *seed, stdout)
		if err != nil {
			return err
		}
		printAccounts(stdout, sum.Accounts)
		return nil
	})
}
