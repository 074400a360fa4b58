package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
)

const auditUsage = "usage: sotay audit verify [--data DIR | --db URL]"

// cmdAudit runs "sotay audit verify": walk the audit log's hash chain and
// report the first entry that was altered, removed or reordered.
func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, auditUsage)
		return usageError{auditUsage}
	}
	var f dbFlags
	fs := newFlags("audit verify", stderr, &f)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("audit verify takes no arguments, got %q; %s", fs.Args(), auditUsage)}
	}
	return withApp(ctx, f, log, func(a *App) error {
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
		return nil
	})
}
