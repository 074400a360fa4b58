package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
)

// describe renders an application error with its field errors for a terminal.
func describe(err error) error {
	e, ok := apperr.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		if f.Row > 0 {
			fmt.Fprintf(&b, "\n  row %d, %s: %s", f.Row, f.Field, f.Message)
		} else {
			fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
		}
	}
	return errors.New(b.String())
}

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	var unit string
	var dry bool
	f, rest, err := subcommand("import members", "usage: sotay import members --unit ID [--dry-run] FILE", stderr, args, func(fs *flag.FlagSet) {
		fs.StringVar(&unit, "unit", "", "the unit (id or code) to import into")
		fs.BoolVar(&dry, "dry-run", false, "check the file and report, change nothing")
	})
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"give exactly one FILE after the flags"}
	}
	file, err := os.Open(rest[0])
	if err != nil {
		return err
	}
	defer file.Close()
	a, u, err := openAppAt(ctx, f, log, unit)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.Importer.Import(ctx, auth.SystemActor(), member.ImportInput{UnitID: u.ID, DryRun: dry, Body: file, Filename: filepath.Base(rest[0]), MaxBytes: 200 << 20})
	if rep != nil {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(rep)
	}
	if err != nil {
		return describe(err)
	}
	if dry && len(rep.Errors) > 0 {
		return fmt.Errorf("%d rows have errors", len(rep.Errors))
	}
	return nil
}

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	var unit, format string
	f, _, err := subcommand("export members", "usage: sotay export members --unit ID --format xlsx|csv > FILE", stderr, args, func(fs *flag.FlagSet) {
		fs.StringVar(&unit, "unit", "", "the unit (id or code) to export")
		fs.StringVar(&format, "format", "xlsx", "xlsx or csv")
	})
	if err != nil {
		return err
	}
	a, u, err := openAppAt(ctx, f, log, unit)
	if err != nil {
		return err
	}
	defer a.Close()
	_, err = a.Members.Export(ctx, auth.SystemActor(), member.ExportInput{UnitID: u.ID, Format: format}, stdout)
	return describe(err)
}

var _ = apperr.Internal
