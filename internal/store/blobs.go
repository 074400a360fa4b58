package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
)

// blobChunk is the size of the chunks a content is cut into: a download
// holds one chunk in memory, a range read fetches the chunks it touches.
const blobChunk = 256 << 10

// Blobs keeps attachment contents in the database (doc.Files), each
// content once by its SHA-256 (blobs, blob_chunks), so that one backup
// holds everything and every process serves every file.
//
// An upload is spooled to a temporary file while it is hashed and bounded
// (doc.Spool), checked by the caller (doc.Sniff reads it at random), and
// Keep writes the blob's chunks in short transactions and gives it its hash
// in the last one: a blob that has a hash is whole, and a refused upload
// writes nothing. A download reads one chunk at a time (Open returns a
// reader that fetches on demand).
type Blobs struct {
	*DB
	// TempDir holds uploads while they are checked; "" is the system's
	// temporary directory.
	TempDir string
}

var _ doc.Files = Blobs{}

// errBlobHash is a content whose SHA-256 is not the one it was given.
var errBlobHash = errors.New("the content does not match its SHA-256")

// Stage implements doc.Files.
func (db Blobs) Stage(r io.Reader, limit int64) (doc.Staged, error) {
	sp, err := doc.Spool(db.TempDir, r, limit)
	if err != nil {
		return nil, err
	}
	return &stagedBlob{db: db.DB, Spooled: sp}, nil
}

type stagedBlob struct {
	db *DB
	*doc.Spooled
}

// Keep writes the blob (a no-op when the same content is stored already)
// and removes the temporary file.
func (s *stagedBlob) Keep() error {
	if s.Discarded() {
		return errors.New("keep: the upload was discarded")
	}
	_, err := s.db.putBlob(context.Background(), s.Hash(), io.NewSectionReader(s, 0, s.Size()))
	if err != nil {
		return err
	}
	s.Discard()
	return nil
}

// blobBatch is how many chunks one transaction of putBlob writes (2 MiB):
// on SQLite, where writers take turns, a 20 MiB upload holds the writer
// for a tenth of its time at once instead of all of it.
const blobBatch = 8

// blobAbandoned is the age after which a blob without its hash (an upload
// cut short by a crash) is removed.
const blobAbandoned = time.Hour

// putBlob stores the content of r under hash, hashing it on the way. The
// chunks go into a new blob without a hash (nobody finds it) in
// transactions of blobBatch chunks; a last short one gives it its hash and
// size. A content that does not match its hash is removed again
// (errBlobHash), as is one that another upload finished meanwhile. It
// reports whether the blob was new; a content stored already is not read.
//
// long: it is one protocol over several transactions (claim a row, write
// the chunks, set the hash or remove the row); its steps share the
// unfinished row's id and the running hash, and reading them in one place
// shows that every way out leaves no half-written blob behind.
func (db *DB) putBlob(ctx context.Context, hash string, r io.Reader) (bool, error) {
	if !doc.ValidHash(hash) {
		return false, fmt.Errorf("put blob: %q is not a hex SHA-256", hash)
	}
	if ok, err := db.touchBlob(ctx, hash); err != nil || ok {
		return false, err
	}
	var id int64
	err := db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM blobs WHERE hash IS NULL AND created_at < $1`, tx.Now.Add(-blobAbandoned)); err != nil {
			return fmt.Errorf("remove abandoned uploads: %w", err)
		}
		var err error
		id, err = insertID(ctx, tx, `INSERT INTO blobs (hash, size, chunk_size, created_at) VALUES (NULL, 0, $1, $2)`, blobChunk, tx.Now)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("insert blob: %w", err)
	}
	drop := func(err error) (bool, error) {
		bg := context.WithoutCancel(ctx)
		_ = db.Write(bg, func(tx *Tx) error {
			_, err := tx.ExecContext(bg, `DELETE FROM blobs WHERE id = $1 AND hash IS NULL`, id)
			return err
		})
		return false, err
	}
	h := sha256.New()
	buf := make([]byte, blobChunk)
	var size int64
	for seq, done := 0, false; !done; {
		err := db.Write(ctx, func(tx *Tx) error {
			for range blobBatch {
				n, err := io.ReadFull(r, buf)
				if n > 0 {
					h.Write(buf[:n])
					if _, err := tx.ExecContext(ctx, `INSERT INTO blob_chunks (blob_id, seq, data) VALUES ($1, $2, $3)`, id, seq, buf[:n]); err != nil {
						return fmt.Errorf("insert blob chunk: %w", err)
					}
					seq++
					size += int64(n)
				}
				if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
					done = true
					return nil
				}
				if err != nil {
					return fmt.Errorf("read the content: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return drop(err)
		}
	}
	if hex.EncodeToString(h.Sum(nil)) != hash {
		return drop(errBlobHash)
	}
	added := false
	err = db.Write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM blobs WHERE hash = $1`, hash).Scan(&n); err != nil {
			return err
		}
		if n > 0 { // the same content, finished by another upload meanwhile
			_, err := tx.ExecContext(ctx, `DELETE FROM blobs WHERE id = $1`, id)
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE blobs SET hash = $1, size = $2 WHERE id = $3`, hash, size, id)
		added = err == nil
		return err
	})
	if _, unique := uniqueViolation(err); unique {
		// Another process gave the same content its hash at the same moment.
		return drop(nil)
	}
	if err != nil {
		return drop(fmt.Errorf("blob: %w", err))
	}
	return added, nil
}

// touchBlob gives a stored content the time of now, as if it had just been
// written, and reports whether it is stored: an upload of a content that
// is there already must not see it collected (CollectBlobs) before its
// attachment is recorded. Against a collection running at the same
// moment, one of the two wins: the touch (the collection then finds the
// blob young and keeps it) or the delete (the touch changes no row and the
// content is written again).
func (db *DB) touchBlob(ctx context.Context, hash string) (bool, error) {
	if ok, err := db.HasBlob(ctx, hash); err != nil || !ok {
		return false, err
	}
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE blobs SET created_at = $1 WHERE hash = $2 AND created_at < $1`, tx.Now, hash)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		if err == nil && n == 0 {
			// Already as young (or younger): only say whether it is there.
			err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM blobs WHERE hash = $1`, hash).Scan(&n)
		}
		return err
	})
	if err != nil {
		return false, fmt.Errorf("touch blob: %w", err)
	}
	return n > 0, nil
}

// HasBlob reports whether a content is stored.
func (db *DB) HasBlob(ctx context.Context, hash string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM blobs WHERE hash = $1`, hash).Scan(&n)
	return n > 0, err
}

// Open implements doc.Files: a reader of the content that fetches one
// chunk at a time.
func (db Blobs) Open(hash string) (doc.ReadSeekCloser, error) {
	if !doc.ValidHash(hash) {
		return nil, apperr.Keyed(apperr.NotFound, "doc.file_not_found", "file not found")
	}
	f := &blobFile{db: db.DB, hash: hash, seq: -1}
	err := db.read.QueryRowContext(context.Background(), `SELECT id, size, chunk_size FROM blobs WHERE hash = $1`, hash).Scan(&f.id, &f.size, &f.chunk)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.Keyed(apperr.NotFound, "doc.file_attachment_missing", "the file of this attachment is missing")
	}
	if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	if f.chunk <= 0 {
		return nil, fmt.Errorf("open blob %s: chunk size %d", hash, f.chunk)
	}
	return f, nil
}

// blobFile reads a stored content; it keeps the last chunk it fetched, so
// a sequential read fetches each chunk once.
type blobFile struct {
	db    *DB
	id    int64
	hash  string
	size  int64
	chunk int64

	mu   sync.Mutex
	seq  int64 // the chunk in data, -1 for none
	data []byte
	off  int64 // for Read and Seek
}

// chunkAt returns chunk seq (fetching it unless it is the last one read);
// the caller holds f.mu.
func (f *blobFile) chunkAt(seq int64) ([]byte, error) {
	if seq == f.seq {
		return f.data, nil
	}
	var data []byte
	err := f.db.read.QueryRowContext(context.Background(), `SELECT data FROM blob_chunks WHERE blob_id = $1 AND seq = $2`, f.id, seq).Scan(&data)
	if err != nil {
		return nil, fmt.Errorf("read blob %s chunk %d: %w", f.hash, seq, err)
	}
	if want := min(f.chunk, f.size-seq*f.chunk); int64(len(data)) != want {
		return nil, fmt.Errorf("blob %s chunk %d has %d bytes, want %d: the stored content is damaged", f.hash, seq, len(data), want)
	}
	f.seq, f.data = seq, data
	return data, nil
}

// ReadAt implements io.ReaderAt.
func (f *blobFile) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("blob: negative offset")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for n < len(p) {
		if off >= f.size {
			return n, io.EOF
		}
		data, err := f.chunkAt(off / f.chunk)
		if err != nil {
			return n, err
		}
		c := copy(p[n:], data[off%f.chunk:])
		n += c
		off += int64(c)
	}
	return n, nil
}

// Read implements io.Reader.
func (f *blobFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, err := f.ReadAt(p, f.off)
	f.off += int64(n)
	if n > 0 && errors.Is(err, io.EOF) {
		err = nil
	}
	return n, err
}

// Seek implements io.Seeker.
func (f *blobFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += f.off
	case io.SeekEnd:
		offset += f.size
	default:
		return 0, errors.New("blob: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("blob: negative position")
	}
	f.off = offset
	return offset, nil
}

func (f *blobFile) Close() error {
	f.mu.Lock()
	f.data, f.seq = nil, -1
	f.mu.Unlock()
	return nil
}

// FilesImport is what ImportFiles did with a directory of attachments.
type FilesImport struct {
	Imported int   // contents written into the database
	Present  int   // contents the database held already
	Bytes    int64 // bytes imported
	// Refused lists the files not imported: a name that is not a SHA-256,
	// or a content that does not match its name (damaged), with the reason.
	Refused []string
	// Missing counts the attachments whose content is in neither.
	Missing int
}

// ImportFiles moves the contents of an attachments directory of older
// versions (DIR/ab/<sha256>, see doc.DirFiles) into the database. Each
// file is hashed while it is written and a file whose content does not
// match its name is refused (reported, nothing written); a content that
// is stored already is skipped. The directory is left as it is: remove it
// once a backup holds the database. It is safe to run again, and on
// several processes at once.
func (db Blobs) ImportFiles(ctx context.Context, dir string) (*FilesImport, error) {
	out := &FilesImport{}
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "tmp" && path != dir {
				return filepath.SkipDir // uploads that were never kept
			}
			return nil
		}
		if d.Type().IsRegular() && path != filepath.Join(dir, filesImportedMark) {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("attachments directory: %w", err)
	}
	sort.Strings(paths)
	for _, path := range paths {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		rel, _ := filepath.Rel(dir, path)
		hash := filepath.Base(path)
		if !doc.ValidHash(hash) || filepath.Base(filepath.Dir(path)) != hash[:2] {
			out.Refused = append(out.Refused, rel+": not an attachment (the name is not DIR/ab/<sha256>)")
			continue
		}
		if ok, err := db.HasBlob(ctx, hash); err != nil {
			return out, err
		} else if ok {
			out.Present++
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			out.Refused = append(out.Refused, rel+": "+err.Error())
			continue
		}
		cr := &countReader{r: f}
		added, err := db.putBlob(ctx, hash, cr)
		f.Close()
		switch {
		case errors.Is(err, errBlobHash):
			out.Refused = append(out.Refused, rel+": damaged (its content does not match its SHA-256)")
		case err != nil:
			return out, fmt.Errorf("%s: %w", rel, err)
		case added:
			out.Imported++
			out.Bytes += cr.n
		default:
			out.Present++
		}
	}
	err = db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM doc_attachments a WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.hash = a.sha256)`).Scan(&out.Missing)
	return out, err
}

// filesImportedMark is the file ImportFiles' caller leaves in a directory
// imported whole, so that the next start does not walk it again.
const filesImportedMark = "IMPORTED-INTO-DATABASE.txt"

// FilesImportedMark names that file.
func FilesImportedMark() string { return filesImportedMark }

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// BlobGrace is how long a stored content is kept although nothing refers
// to it: an upload keeps its content (or touches the one already there)
// a moment before its attachment is recorded, so a younger content may
// be in the middle of an upload.
const BlobGrace = time.Hour

// blobCollectBatch is how many contents one transaction of CollectBlobs
// removes (at most 20 MiB each): on SQLite other writers wait for one
// batch, not for the whole collection.
const blobCollectBatch = 32

// BlobsCollected is what CollectBlobs removed.
type BlobsCollected struct {
	// Removed lists the SHA-256 of the contents removed, Bytes their size.
	Removed []string `json:"removed"`
	Bytes   int64    `json:"bytes"`
	// Abandoned counts the unfinished uploads removed (blobs without a
	// hash, older than an hour).
	Abandoned int `json:"abandoned,omitempty"`
}

// blobUnreferenced selects the blobs to collect: whole contents older
// than the grace period that no attachment (of a document or of a
// four-good criterion) refers to, and unfinished uploads older than an
// hour. $1 is the grace period's start, $2 the abandoned uploads', $3
// the batch.
const blobUnreferenced = `SELECT b.id FROM blobs b
	WHERE (b.hash IS NOT NULL AND b.created_at < $1
		AND NOT EXISTS (SELECT 1 FROM doc_attachments a WHERE a.sha256 = b.hash)
		AND NOT EXISTS (SELECT 1 FROM fourgood_attachments f WHERE f.sha256 = b.hash))
	   OR (b.hash IS NULL AND b.created_at < $2)
	ORDER BY b.id LIMIT $3`

// CollectBlobs removes the contents that nothing refers to any more (an
// attachment removed or replaced, an upload whose record failed) once
// they are older than grace (BlobGrace when 0), and the unfinished uploads
// older than an hour, in transactions of a few contents, each with an
// audit entry (files.gc) in the name of actor. The check that nothing
// refers to a content and its removal are one statement in one
// transaction, and an upload touches a content it finds (touchBlob), so
// a content being uploaded or just uploaded and not yet attached is kept;
// on PostgreSQL two collections at once remove each content once.
func (db Blobs) CollectBlobs(ctx context.Context, grace time.Duration, actor *auth.Actor) (*BlobsCollected, error) {
	if grace <= 0 {
		grace = BlobGrace
	}
	out := &BlobsCollected{Removed: []string{}}
	for {
		var batch BlobsCollected
		err := db.Write(ctx, func(tx *Tx) error {
			batch = BlobsCollected{}
			rows, err := tx.QueryContext(ctx, `DELETE FROM blobs WHERE id IN (`+blobUnreferenced+`)
				AND ((hash IS NOT NULL AND created_at < $1) OR (hash IS NULL AND created_at < $2))
				RETURNING hash, size`, tx.Now.Add(-grace), tx.Now.Add(-blobAbandoned), blobCollectBatch)
			if err != nil {
				return fmt.Errorf("collect blobs: %w", err)
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				var hash sql.NullString
				var size int64
				if err := rows.Scan(&hash, &size); err != nil {
					return err
				}
				n++
				if !hash.Valid {
					batch.Abandoned++
					continue
				}
				batch.Removed = append(batch.Removed, hash.String)
				batch.Bytes += size
			}
			if err := rows.Err(); err != nil {
				return err
			}
			rows.Close()
			if n == 0 {
				return nil
			}
			sort.Strings(batch.Removed)
			return tx.audit(ctx, auth.AuditEntry{Actor: actor, Action: "files.gc", ObjectType: "blob", After: batch})
		})
		if err != nil {
			return out, err
		}
		out.Removed = append(out.Removed, batch.Removed...)
		out.Bytes += batch.Bytes
		out.Abandoned += batch.Abandoned
		if len(batch.Removed)+batch.Abandoned < blobCollectBatch {
			return out, nil
		}
	}
}
