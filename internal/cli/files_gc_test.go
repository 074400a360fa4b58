package cli

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/store"
)

// TestFilesGC: the periodic job files.gc, and `sotay files gc`, remove a stored content that nothing
// refers to once it is older than the grace period, keeps a fresh one,
// and says what it removed and how much it freed.
func TestFilesGC(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	if code, out, errOut := runCLI("migrate", "--data", data); code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	a, err := openApp(context.Background(), dbFlags{Data: data, DB: "sqlite"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	keep := func(content string, at time.Time) string {
		t.Helper()
		a.DB.Now = func() time.Time { return at }
		st, err := a.Docs.Files.Stage(strings.NewReader(content), doc.MaxAttachment)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Keep(); err != nil {
			t.Fatal(err)
		}
		return st.Hash()
	}
	// The periodic job, run through the durable queue as a node runs it.
	byJob := keep("%PDF-1.4 an attachment replaced long ago", time.Now().Add(-3*time.Hour))
	a.DB.Now = time.Now
	r := &jobs.Runner{Store: store.Jobs{DB: a.DB}, Now: time.Now, Workers: 1}
	registerFilesGC(r, a.DB, nil)
	if n, err := r.RunDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("ran %d jobs (%v), want the files.gc job", n, err)
	}
	if _, err := a.Docs.Files.Open(byJob); err == nil {
		t.Error("the job left the old content")
	}

	old := keep("%PDF-1.4 an attachment removed long ago", time.Now().Add(-3*time.Hour))
	fresh := keep("%PDF-1.4 an upload of a moment ago", time.Now())
	a.Close()

	code, out, errOut := runCLI("files", "gc", "--data", data)
	want := fmt.Sprintf("Removed 1 files that nothing refers to (%s freed)", humanBytes(int64(len("%PDF-1.4 an attachment removed long ago"))))
	if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, "Removed: "+old) || strings.Contains(out, fresh) {
		t.Fatalf("files gc: exit %d, %q (%s); want 0, %q and the old file named, not the fresh one", code, out, errOut, want)
	}
	a, err = openApp(context.Background(), dbFlags{Data: data, DB: "sqlite"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Docs.Files.Open(old); err == nil {
		t.Error("the old content is still there")
	}
	f, err := a.Docs.Files.Open(fresh)
	if err != nil {
		t.Fatalf("the fresh content: %v", err)
	}
	var b bytes.Buffer
	b.ReadFrom(f)
	f.Close()
	if got, want := b.String(), "%PDF-1.4 an upload of a moment ago"; got != want {
		t.Errorf("the fresh content reads %q, want %q", got, want)
	}
	code, out, _ = runCLI("files", "gc", "--data", data)
	if code != 0 || !strings.Contains(out, "Removed 0 files") {
		t.Errorf("files gc again: exit %d, %q; want 0, nothing removed", code, out)
	}
}
