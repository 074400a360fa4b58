package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"
)

const auditUsage = "usage: sotay audit verify [--data DIR | --db URL] [--chain] [--max-pending DURATION]"

// cmdAudit runs "sotay audit verify": walk the audit log's hash chain and
// report the first entry that was altered, removed or reordered, and the
// entries not linked yet (on PostgreSQL the servers link them after their
// commits; see store/auditchain.go). --chain links them first, as a
// server would; --max-pending fails when one waits longer than that (no
// server is linking).
func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	var chain bool
	var maxPending time.Duration
	f, rest, err := subcommand("audit verify", auditUsage, stderr, args, func(fs *flag.FlagSet) {
		fs.BoolVar(&chain, "chain", false, "link the pending entries first, as a running server does")
		fs.DurationVar(&maxPending, "max-pending", 0, "fail when an entry has waited longer than this to be linked (0: never)")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{fmt.Sprintf("audit verify takes no arguments, got %q; %s", rest, auditUsage)}
	}
	return withApp(ctx, f, log, func(a *App) error {
		if chain {
			n, err := a.DB.ChainAudit(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "linked %d pending entries\n", n)
		}
		res, err := a.DB.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		if !res.OK() {
			return fmt.Errorf("audit log broken after %d intact entries: %s", res.Entries, res.Problem)
		}
		fmt.Fprintf(stdout, "audit log intact: %d entries\n", res.Entries)
		if res.Entries > 0 {
			fmt.Fprintf(stdout, "last entry: seq %d, hash %s\n", res.LastSeq, res.LastHash)
		}
		if res.Pending > 0 {
			age := a.DB.Now().Sub(res.OldestPending).Round(time.Second)
			fmt.Fprintf(stdout, "pending: %d entries not linked yet, the oldest written %s ago\n", res.Pending, age)
			if maxPending > 0 && age > maxPending {
				return fmt.Errorf("audit log: %d entries not linked, the oldest for %s (more than --max-pending %s): is a server running?", res.Pending, age, maxPending)
			}
		}
		return nil
	})
}
