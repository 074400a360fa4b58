package store

import (
	"bytes"
	"context"
	"io"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/scoring"
)

// TestCollectBlobs: a content nothing refers to any more is removed once
// older than the grace period; one still attached elsewhere, a fresh
// upload not yet attached, and an old content uploaded again (touched)
// are kept; each removal is audited as the system. Both engines.
func TestCollectBlobs(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newNotifyWorld(t, db)
		files := Blobs{DB: db, TempDir: t.TempDir()}
		office := actorOn(1, "office", w.district, auth.RoleOffice)
		svc := &scoring.Service{Store: FourGood{DB: db}, Now: db.Now}
		f, err := svc.Create(ctx, office, fourGoodInput(w.district.ID))
		if err != nil {
			t.Fatal(err)
		}
		sh, err := svc.Register(ctx, office, f.ID, scoring.RegisterInput{UnitID: w.cellA1.ID})
		if err != nil {
			t.Fatal(err)
		}
		d := w.publish(t, "Nghị quyết", w.communeA, "")
		a := auth.AuditEntry{Actor: system, Action: "x", ObjectType: "x"}
		attach := func(hash string, size int) *scoring.Attachment {
			t.Helper()
			at := &scoring.Attachment{SheetID: sh.ID, Criterion: "2", Stage: sh.Stage, Name: "a.pdf", MediaType: "application/pdf", Size: int64(size), SHA256: hash}
			if err := (FourGood{DB: db}).AddAttachment(ctx, at, a); err != nil {
				t.Fatal(err)
			}
			return at
		}
		detach := func(at *scoring.Attachment) {
			t.Helper()
			if err := (FourGood{DB: db}).RemoveAttachment(ctx, at, a); err != nil {
				t.Fatal(err)
			}
		}
		detached, shared, fresh, again := blobContent(blobChunk+10, 11), blobContent(300, 12), blobContent(400, 13), blobContent(500, 14)
		// At 03:00: detached is attached then detached; shared is attached
		// to the criterion and to the document, then detached from the
		// criterion only; again is uploaded and left unattached.
		hDetached := keepBlob(t, files, detached)
		detach(attach(hDetached, len(detached)))
		hShared := keepBlob(t, files, shared)
		detach(attach(hShared, len(shared)))
		if err := (Docs{db}).AddAttachment(ctx, &doc.Attachment{DocumentID: d.ID, Name: "b.pdf", MediaType: "application/pdf", Size: int64(len(shared)), SHA256: hShared}, a); err != nil {
			t.Fatal(err)
		}
		hAgain := keepBlob(t, files, again)
		// 40 minutes on: fresh is uploaded (not attached).
		w.tick(40 * time.Minute)
		hFresh := keepBlob(t, files, fresh)
		// An hour and a bit after the first uploads, again is uploaded once
		// more (an upload of a content stored already): it is young again.
		w.tick(30 * time.Minute)
		keepBlob(t, files, again)
		stored := func() []string {
			t.Helper()
			rows, err := db.read.QueryContext(ctx, `SELECT hash FROM blobs ORDER BY hash`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			out := []string{}
			for rows.Next() {
				var h string
				if err := rows.Scan(&h); err != nil {
					t.Fatal(err)
				}
				out = append(out, h)
			}
			return out
		}
		sorted := func(s ...string) []string { sort.Strings(s); return s }

		got, err := files.CollectBlobs(ctx, 0, auth.SystemActor())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&BlobsCollected{Removed: []string{hDetached}, Bytes: int64(len(detached))}, got); diff != "" {
			t.Errorf("first collection (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(sorted(hShared, hFresh, hAgain), stored()); diff != "" {
			t.Errorf("kept (-want +got):\n%s", diff)
		}
		if got, want := countRows(t, db, "blob_chunks"), 3; got != want {
			t.Errorf("chunks left: got %d, want %d", got, want)
		}
		if _, err := files.Open(hDetached); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("open the collected content: %v, want not found", err)
		}
		var audited int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'files.gc' AND username = 'system'`).Scan(&audited); err != nil || audited != 1 {
			t.Errorf("files.gc audit entries by the system: %d (%v), want 1", audited, err)
		}

		// Nothing to do: nothing removed, nothing audited.
		got, err = files.CollectBlobs(ctx, 0, auth.SystemActor())
		if err != nil || len(got.Removed) != 0 || got.Bytes != 0 {
			t.Errorf("second collection: %+v, %v; want nothing", got, err)
		}

		// Two hours on, the unattached ones go; the one a document holds stays.
		w.tick(2 * time.Hour)
		got, err = files.CollectBlobs(ctx, 0, auth.SystemActor())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&BlobsCollected{Removed: sorted(hFresh, hAgain), Bytes: int64(len(fresh) + len(again))}, got); diff != "" {
			t.Errorf("third collection (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{hShared}, stored()); diff != "" {
			t.Errorf("kept at last (-want +got):\n%s", diff)
		}
		// A content collected and uploaded again is whole again.
		keepBlob(t, files, detached)
		if f, err := files.Open(hDetached); err != nil {
			t.Errorf("open the content uploaded again: %v", err)
		} else {
			f.Close()
		}
	})
}

// TestCollectBlobsWhileUploading: a collection and an upload of the same
// old, unreferenced content at the same moment (on PostgreSQL on separate
// connections, as two processes would): whichever wins, once the upload
// has returned its content is there to attach. Both engines, several
// rounds.
func TestCollectBlobsWhileUploading(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		files := Blobs{DB: db, TempDir: t.TempDir()}
		content := blobContent(2*blobChunk+5, 21)
		hash := keepBlob(t, files, content)
		removed := 0
		for round := range 12 {
			// The content is old and nothing refers to it.
			if _, err := db.write.ExecContext(ctx, `UPDATE blobs SET created_at = $1 WHERE hash = $2`, db.Now().Add(-2*BlobGrace), hash); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var got *BlobsCollected
			var gcErr error
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, gcErr = files.CollectBlobs(ctx, 0, auth.SystemActor())
			}()
			keepBlob(t, files, content)
			f, err := files.Open(hash)
			if err != nil {
				t.Fatalf("round %d: the content just uploaded: %v", round, err)
			}
			b, err := io.ReadAll(f)
			f.Close()
			if err != nil || !bytes.Equal(b, content) {
				t.Fatalf("round %d: read back %d bytes, %v; want the %d uploaded", round, len(b), err, len(content))
			}
			wg.Wait()
			if gcErr != nil {
				t.Fatalf("round %d: collect: %v", round, gcErr)
			}
			removed += len(got.Removed)
		}
		t.Logf("the collection removed the content before the upload in %d of 12 rounds", removed)
	})
}
