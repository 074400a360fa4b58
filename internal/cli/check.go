package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
)

const checkUsage = "usage: sotay check counters [--fix] [--data DIR | --db URL]"

// cmdCheck runs "sotay check counters": recompute every per-unit counter
// the roll-ups read (store.CheckCounters, one read transaction) and print
// each one that drifted; with --fix, rewrite them from the recount in one
// write transaction. Drift without --fix is an error (exit status 1).
func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	var fix bool
	f, rest, err := subcommand("check counters", checkUsage, stderr, args, func(fs *flag.FlagSet) {
		fs.BoolVar(&fix, "fix", false, "rewrite the counters that drifted from a recount")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{fmt.Sprintf("check counters takes no arguments, got %q; %s", rest, checkUsage)}
	}
	a, err := openApp(ctx, f, log)
	if err != nil {
		return err
	}
	defer a.Close()
	check := a.DB.CheckCounters
	if fix {
		check = a.DB.FixCounters
	}
	drift, err := check(ctx)
	if err != nil {
		return err
	}
	for _, d := range drift {
		fmt.Fprintln(stdout, d)
	}
	switch {
	case len(drift) == 0:
		fmt.Fprintln(stdout, "counters exact")
	case fix:
		fmt.Fprintf(stdout, "fixed %d counters\n", len(drift))
	default:
		return fmt.Errorf("%d counters drifted (sotay check counters --fix rewrites them)", len(drift))
	}
	return nil
}
