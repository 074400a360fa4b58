package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/store"
)

// Attachments live in the database (store.Blobs). Older versions kept them
// in a directory (--files, or "files" beside the SQLite database, or
// DATA/files): `sotay serve` and `sotay migrate` import that directory
// when they start, and `sotay files import` does it on demand with a
// report. Each file is hashed as it is written; a file whose content does
// not match its name is reported and not imported. A directory imported
// whole gets a mark file, so that the next start does not walk it again;
// the directory itself is left for the operator to remove after a backup.

// cmdFiles runs `sotay files import` and `sotay files gc`.
func cmdFiles(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	if len(args) > 0 && args[0] == "gc" {
		return cmdFilesGC(ctx, args[1:], stdout, stderr, log)
	}
	if len(args) == 0 || args[0] != "import" {
		return usageError{"usage: sotay files import [--data DIR | --db URL] [--files DIR] | sotay files gc [--data DIR | --db URL]"}
	}
	f, _, err := dbCommand("files import", stderr, args[1:], 0, "files import takes no arguments: name the directory with --files DIR")
	if err != nil {
		return err
	}
	return withApp(ctx, f, log, func(a *App) error {
		dir := filesDir(f, a.DB)
		if _, err := os.Stat(dir); err != nil {
			return fmt.Errorf("attachments directory: %w", err)
		}
		start := time.Now()
		r, err := importFiles(ctx, a, dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Imported %d files (%s) from %s into the database in %s; %d were there already.\n",
			r.Imported, humanBytes(r.Bytes), dir, time.Since(start).Round(time.Millisecond), r.Present)
		for _, s := range r.Refused {
			fmt.Fprintln(stdout, "Not imported:", s)
		}
		if r.Missing > 0 {
			fmt.Fprintf(stdout, "%d attachments have their content neither in the database nor in %s.\n", r.Missing, dir)
		}
		if len(r.Refused) > 0 {
			return fmt.Errorf("%d files not imported", len(r.Refused))
		}
		return nil
	})
}

// importFiles imports dir and marks it when every file in it is in the
// database.
func importFiles(ctx context.Context, a *App, dir string) (*store.FilesImport, error) {
	r, err := store.Blobs{DB: a.DB}.ImportFiles(ctx, dir)
	if err != nil {
		return r, err
	}
	if len(r.Refused) == 0 && r.Imported+r.Present > 0 {
		note := fmt.Sprintf("The %d attachments of this directory were imported into the database on %s.\n"+
			"Sổ tay now keeps attachments in the database and no longer reads this directory.\n"+
			"Remove it once a backup (sotay backup) holds the database.\n", r.Imported+r.Present, time.Now().UTC().Format(time.RFC3339))
		if err := os.WriteFile(filepath.Join(dir, store.FilesImportedMark()), []byte(note), 0o640); err != nil {
			return r, fmt.Errorf("mark the imported directory: %w", err)
		}
	}
	return r, nil
}

// importLegacyFiles imports the attachments directory of an older version
// when there is one not yet imported; serve and migrate call it at start.
// Damaged files are logged and left out; they do not stop the start.
func importLegacyFiles(ctx context.Context, a *App, f dbFlags, log *slog.Logger) error {
	dir := filesDir(f, a.DB)
	if _, err := os.Stat(filepath.Join(dir, store.FilesImportedMark())); err == nil {
		return nil
	}
	if st, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) || (err == nil && !st.IsDir()) {
		return nil
	} else if err != nil {
		return fmt.Errorf("attachments directory: %w", err)
	}
	r, err := importFiles(ctx, a, dir)
	if err != nil {
		return fmt.Errorf("import the attachments of %s: %w", dir, err)
	}
	if r.Imported+r.Present+len(r.Refused) == 0 {
		return nil
	}
	log.Info("attachments imported into the database", "dir", dir, "imported", r.Imported, "bytes", r.Bytes, "present", r.Present, "refused", len(r.Refused))
	for _, s := range r.Refused {
		log.Error("attachment not imported", "file", s)
	}
	if r.Missing > 0 {
		log.Warn("attachments without their content", "count", r.Missing)
	}
	return nil
}

// JobFilesGC is the periodic job that removes the attachment contents
// nothing refers to any more (store.Blobs.CollectBlobs). Like every
// periodic job, one job is made per slot whatever the number of
// processes, and one process holds its lease and runs it.
const JobFilesGC = "files.gc"

// filesGCPeriod is how often JobFilesGC runs.
const filesGCPeriod = 6 * time.Hour

// registerFilesGC registers JobFilesGC and schedules it.
func registerFilesGC(r *jobs.Runner, db *store.DB, log *slog.Logger) {
	r.Register(JobFilesGC, func(ctx context.Context, _ json.RawMessage) error {
		got, err := store.Blobs{DB: db}.CollectBlobs(ctx, 0, auth.SystemActor())
		if err != nil {
			return err
		}
		if log != nil && len(got.Removed)+got.Abandoned > 0 {
			log.Info("attachments nothing refers to removed", "files", len(got.Removed), "bytes", got.Bytes, "unfinished_uploads", got.Abandoned)
		}
		return nil
	})
	r.Every(JobFilesGC, filesGCPeriod)
}

// cmdFilesGC runs `sotay files gc`: the collection JobFilesGC runs, now,
// with a report.
func cmdFilesGC(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	f, _, err := dbCommand("files gc", stderr, args, 0, "files gc takes no arguments")
	if err != nil {
		return err
	}
	return withApp(ctx, f, log, func(a *App) error {
		got, err := store.Blobs{DB: a.DB}.CollectBlobs(ctx, 0, auth.SystemActor())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Removed %d files that nothing refers to (%s freed); kept every file younger than %s.\n",
			len(got.Removed), humanBytes(got.Bytes), store.BlobGrace)
		for _, h := range got.Removed {
			fmt.Fprintln(stdout, "Removed:", h)
		}
		if got.Abandoned > 0 {
			fmt.Fprintf(stdout, "Removed %d unfinished uploads.\n", got.Abandoned)
		}
		return nil
	})
}
