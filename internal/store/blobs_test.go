package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/doc"
)

// blobContent is n random bytes (the same for the same seed).
func blobContent(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func hashOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// keepBlob stages and keeps content through doc.Files, as Attach does.
func keepBlob(t *testing.T, files doc.Files, content []byte) string {
	t.Helper()
	st, err := files.Stage(bytes.NewReader(content), doc.MaxAttachment)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Discard()
	if got, want := st.Hash(), hashOf(content); got != want {
		t.Fatalf("staged hash %s, want %s", got, want)
	}
	if err := st.Keep(); err != nil {
		t.Fatal(err)
	}
	return st.Hash()
}

func countRows(t *testing.T, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.read.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBlobsRoundTrip(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		files := Blobs{DB: db, TempDir: t.TempDir()}
		content := blobContent(3*blobChunk+1000, 1)
		hash := keepBlob(t, files, content)
		if got, want := countRows(t, db, "blob_chunks"), 4; got != want {
			t.Errorf("chunks: got %d, want %d", got, want)
		}
		f, err := files.Open(hash)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		got, err := io.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, content) {
			t.Fatalf("read back %d bytes (hash %s), want the %d bytes written", len(got), hashOf(got), len(content))
		}
		// ReadAt across and at the chunk boundaries, and at the end.
		size := int64(len(content))
		for _, tc := range []struct {
			off     int64
			n       int
			wantN   int
			wantEOF bool
		}{
			{0, 10, 10, false},
			{blobChunk - 1, 2, 2, false},
			{blobChunk, 10, 10, false},
			{2*blobChunk - 5, blobChunk + 10, blobChunk + 10, false},
			{size - 3, 10, 3, true},
			{size, 1, 0, true},
			{0, int(size), int(size), false},
		} {
			p := make([]byte, tc.n)
			n, err := f.ReadAt(p, tc.off)
			if n != tc.wantN || (err == io.EOF) != tc.wantEOF || (err != nil && err != io.EOF) {
				t.Errorf("ReadAt(%d bytes, %d): %d, %v; want %d bytes, EOF %v", tc.n, tc.off, n, err, tc.wantN, tc.wantEOF)
				continue
			}
			if !bytes.Equal(p[:n], content[tc.off:tc.off+int64(n)]) {
				t.Errorf("ReadAt(%d bytes, %d): wrong bytes", tc.n, tc.off)
			}
		}
		// Seek then Read, as a Range request does.
		for _, tc := range []struct {
			offset int64
			whence int
			want   int64
		}{
			{blobChunk, io.SeekStart, blobChunk},
			{-7, io.SeekEnd, size - 7},
			{2*blobChunk - 1, io.SeekStart, 2*blobChunk - 1},
		} {
			pos, err := f.Seek(tc.offset, tc.whence)
			if err != nil || pos != tc.want {
				t.Errorf("Seek(%d, %d) = %d, %v; want %d", tc.offset, tc.whence, pos, err, tc.want)
				continue
			}
			p := make([]byte, 5)
			n, _ := io.ReadFull(f, p)
			if !bytes.Equal(p[:n], content[pos:min(pos+5, size)]) {
				t.Errorf("read after Seek(%d, %d): wrong bytes", tc.offset, tc.whence)
			}
		}
	})
}

func TestBlobsDedupeAndLimit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		tmp := t.TempDir()
		files := Blobs{DB: db, TempDir: tmp}
		content := blobContent(blobChunk+10, 2)
		h1 := keepBlob(t, files, content)
		h2 := keepBlob(t, files, content)
		if h1 != h2 {
			t.Fatalf("the same content has two hashes: %s, %s", h1, h2)
		}
		if got, want := []int{countRows(t, db, "blobs"), countRows(t, db, "blob_chunks")}, []int{1, 2}; !cmp.Equal(got, want) {
			t.Errorf("after uploading the same file twice: blobs, chunks = %v, want %v", got, want)
		}
		// One byte over the limit: refused, nothing written, nothing left.
		_, err := files.Stage(bytes.NewReader(blobContent(1<<20+1, 3)), 1<<20)
		if !apperr.Is(err, apperr.TooLarge) {
			t.Errorf("over the limit: %v, want TooLarge", err)
		}
		if got, want := []int{countRows(t, db, "blobs"), countRows(t, db, "blob_chunks")}, []int{1, 2}; !cmp.Equal(got, want) {
			t.Errorf("after a refused upload: blobs, chunks = %v, want %v", got, want)
		}
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("temporary files left behind: %v", left)
		}
		// A staged upload that is discarded writes nothing either.
		st, err := files.Stage(bytes.NewReader([]byte("%PDF-1.4 discarded")), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		st.Discard()
		if _, err := files.Open(st.Hash()); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a discarded upload opens: %v, want NotFound", err)
		}
		if _, err := files.Open("../etc/passwd"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a bad hash: %v, want NotFound", err)
		}

		// The same new content kept by four uploads at once: stored once,
		// and no upload's unfinished blob is left.
		same := blobContent(3*blobChunk, 8)
		staged := make([]doc.Staged, 4)
		for i := range staged {
			if staged[i], err = files.Stage(bytes.NewReader(same), doc.MaxAttachment); err != nil {
				t.Fatal(err)
			}
		}
		errs := make(chan error, len(staged))
		for _, st := range staged {
			go func() { errs <- st.Keep() }()
		}
		for range staged {
			if err := <-errs; err != nil {
				t.Errorf("keep at once: %v", err)
			}
		}
		if got, want := []int{countRows(t, db, "blobs"), countRows(t, db, "blob_chunks")}, []int{2, 5}; !cmp.Equal(got, want) {
			t.Errorf("after four uploads of one new file at once: blobs, chunks = %v, want %v", got, want)
		}

		// An upload cut short (a blob without its hash, an hour old) is
		// removed by the next upload.
		ctx := context.Background()
		if err := db.Write(ctx, func(tx *Tx) error {
			id, err := insertID(ctx, tx, `INSERT INTO blobs (hash, size, chunk_size, created_at) VALUES (NULL, 0, $1, $2)`, blobChunk, tx.Now.Add(-2*blobAbandoned))
			if err == nil {
				_, err = tx.ExecContext(ctx, `INSERT INTO blob_chunks (blob_id, seq, data) VALUES ($1, 0, $2)`, id, []byte("half"))
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		keepBlob(t, files, []byte("%PDF-1.4 after a crash"))
		if got, want := []int{countRows(t, db, "blobs"), countRows(t, db, "blob_chunks")}, []int{3, 6}; !cmp.Equal(got, want) {
			t.Errorf("after an abandoned upload and a new one: blobs, chunks = %v, want %v", got, want)
		}
	})
}

func TestBlobsImportFiles(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		dir := t.TempDir()
		put := func(name string, b []byte) {
			t.Helper()
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b, 0o640); err != nil {
				t.Fatal(err)
			}
		}
		good := blobContent(2*blobChunk+3, 4)
		gh := hashOf(good)
		put(filepath.Join(gh[:2], gh), good)
		// A damaged file: its name is the hash of other content.
		orig := blobContent(1000, 5)
		bad := bytes.Clone(orig)
		bad[500] ^= 1
		bh := hashOf(orig)
		put(filepath.Join(bh[:2], bh), bad)
		put(filepath.Join("tmp", "upload-123"), []byte("half an upload"))
		put("notes.txt", []byte("not an attachment"))
		files := Blobs{DB: db}
		got, err := files.ImportFiles(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		want := &FilesImport{Imported: 1, Bytes: int64(len(good)), Refused: []string{
			filepath.Join(bh[:2], bh) + ": damaged (its content does not match its SHA-256)",
			"notes.txt: not an attachment (the name is not DIR/ab/<sha256>)",
		}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("import (-want +got):\n%s", diff)
		}
		if _, err := files.Open(bh); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the damaged file was imported: %v", err)
		}
		f, err := files.Open(gh)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(b, good) {
			t.Errorf("imported content differs")
		}
		// Again: nothing new, the good file is present.
		got, err = files.ImportFiles(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		if got.Imported != 0 || got.Present != 1 || len(got.Refused) != 2 {
			t.Errorf("second import: %+v, want 0 imported, 1 present, 2 refused", got)
		}
		if n := countRows(t, db, "blobs"); n != 1 {
			t.Errorf("blobs after two imports: %d, want 1", n)
		}
	})
}

// TestSQLiteBackupHoldsAttachments: the attachments are in the database,
// so the backup file alone brings them back.
func TestSQLiteBackupHoldsAttachments(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := OpenTest(t, filepath.Join(dir, "live.db"))
	content := blobContent(blobChunk+77, 6)
	hash := keepBlob(t, Blobs{DB: db, TempDir: t.TempDir()}, content)
	out := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(t.TempDir(), "restored.db")
	if err := RestoreSQLite(ctx, out, restored); err != nil {
		t.Fatal(err)
	}
	rdb := OpenTest(t, restored)
	f, err := Blobs{DB: rdb}.Open(hash)
	if err != nil {
		t.Fatalf("the attachment is not in the backup: %v", err)
	}
	defer f.Close()
	got, _ := io.ReadAll(f)
	if !bytes.Equal(got, content) {
		t.Errorf("restored attachment: %d bytes, want the %d bytes kept", len(got), len(content))
	}
}

func TestReplicaNeedsPostgres(t *testing.T) {
	db := OpenTest(t, filepath.Join(t.TempDir(), "t.db"))
	if err := db.OpenReplica(context.Background(), "postgres://127.0.0.1:1/x"); err == nil || db.HasReplica() {
		t.Errorf("a replica for SQLite: %v, want a refusal", err)
	}
	// A primary given as the replica is refused: it is not in recovery.
	dsn := migratedPostgres(t)
	if dsn == "" {
		t.Skip("no PostgreSQL")
	}
	pg := OpenTest(t, dsn)
	if err := pg.OpenReplica(context.Background(), dsn); err == nil || !strings.Contains(err.Error(), "not a standby") || pg.HasReplica() {
		t.Errorf("the primary as its own replica: %v, want a refusal (not a standby)", err)
	}
}
