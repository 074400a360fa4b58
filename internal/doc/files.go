package doc

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// MaxAttachment bounds an attachment: 20 MiB.
const MaxAttachment = 20 << 20

// Files keeps attachment contents by content hash: in the database
// (store.Blobs, the default) or in a directory (DirFiles, what older
// versions used; now only read to import it, see sotay files import).
type Files interface {
	// Stage stores at most limit bytes of r in a temporary place and
	// returns it; more than limit bytes is a TooLarge error.
	Stage(r io.Reader, limit int64) (Staged, error)
	// Open opens a stored file by its hash.
	Open(hash string) (ReadSeekCloser, error)
}

// Upload is an upload kept by its hash: what an attachment records of it.
type Upload struct {
	MediaType string
	Size      int64
	SHA256    string
}

// KeepUpload stages body (at most MaxAttachment bytes), names its media
// type from its content with sniff, which refuses what is not accepted,
// and keeps it; nothing is kept when sniff refuses. Documents (Sniff) and
// four-good evidence (scoring) accept different types the same way.
func KeepUpload(files Files, body io.Reader, filename string, sniff func(r io.ReaderAt, size int64, filename string) (string, error)) (Upload, error) {
	st, err := files.Stage(body, MaxAttachment)
	if err != nil {
		return Upload{}, err
	}
	defer st.Discard()
	media, err := sniff(st, st.Size(), filename)
	if err != nil {
		return Upload{}, err
	}
	if err := st.Keep(); err != nil {
		return Upload{}, err
	}
	return Upload{MediaType: media, Size: st.Size(), SHA256: st.Hash()}, nil
}

// ReadSeekCloser is an open stored file.
type ReadSeekCloser interface {
	io.ReadSeeker
	io.ReaderAt
	io.Closer
}

// OpenFound opens the content of a file record just read (found, err: what
// the store answered; an error is answered as it is), by its hash.
func OpenFound[T any](files Files, found *T, err error, hash func(*T) string) (*T, ReadSeekCloser, error) {
	if err != nil {
		return nil, nil, err
	}
	f, err := files.Open(hash(found))
	if err != nil {
		return nil, nil, err
	}
	return found, f, nil
}

// Staged is an upload waiting to be kept or thrown away.
type Staged interface {
	io.ReaderAt
	Size() int64
	Hash() string // hex SHA-256
	// Keep moves the file to its place by hash (a no-op if it is there).
	Keep() error
	// Discard removes the temporary file; it is harmless after Keep.
	Discard()
}

// DirFiles stores files in a directory as DIR/ab/abcdef… (the SHA-256 of
// the content), so the same file uploaded twice is stored once.
type DirFiles struct {
	Dir string
}

// PathOf returns where a hash is stored.
func (d *DirFiles) PathOf(hash string) string {
	return filepath.Join(d.Dir, hash[:2], hash)
}

// Stage implements Files.
func (d *DirFiles) Stage(r io.Reader, limit int64) (Staged, error) {
	sp, err := Spool(filepath.Join(d.Dir, "tmp"), r, limit)
	if err != nil {
		return nil, err
	}
	return &staged{d: d, Spooled: sp}, nil
}

// Spooled is an upload in a temporary file (Spool): the content to read,
// its size and hash, and its removal, which every Staged has; each Files
// adds its own Keep.
type Spooled struct {
	f    *os.File
	size int64
	hash string
	done bool
}

func (s *Spooled) ReadAt(p []byte, off int64) (int, error) { return s.f.ReadAt(p, off) }
func (s *Spooled) Size() int64                             { return s.size }
func (s *Spooled) Hash() string                            { return s.hash }

// Discarded reports whether the temporary file is gone (Discard, or a
// Keep that moved it).
func (s *Spooled) Discarded() bool { return s.done }

// Discard removes the temporary file; it is harmless after Keep.
func (s *Spooled) Discard() {
	if !s.done {
		s.f.Close()
		os.Remove(s.f.Name())
		s.done = true
	}
}

// Spool copies at most limit bytes of r into a new temporary file in dir
// (spool) and answers it as Spooled.
func Spool(dir string, r io.Reader, limit int64) (*Spooled, error) {
	f, size, hash, err := spool(dir, r, limit)
	if err != nil {
		return nil, err
	}
	return &Spooled{f: f, size: size, hash: hash}, nil
}

// spool copies at most limit bytes of r into a new temporary file in dir
// (created if missing; "" is the system's temporary directory) while
// hashing them, and returns the file (open, for ReadAt), its size and its
// hex SHA-256. More than limit bytes is a TooLarge error, an upload that
// cannot be read a Malformed one; on an error nothing is left in dir.
func spool(dir string, r io.Reader, limit int64) (*os.File, int64, string, error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, 0, "", fmt.Errorf("files directory: %w", err)
		}
	}
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, 0, "", err
	}
	drop := func() {
		f.Close()
		os.Remove(f.Name())
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, limit+1))
	if err != nil {
		drop()
		if errors.As(err, new(*apperr.Error)) {
			return nil, 0, "", err
		}
		if strings.Contains(err.Error(), "too large") {
			return nil, 0, "", apperr.Keyed(apperr.TooLarge, "common.file_larger_than_mib", "the file is larger than %d MiB", limit>>20)
		}
		return nil, 0, "", apperr.Keyed(apperr.Malformed, "doc.upload_could_not_read", "the upload could not be read")
	}
	if n > limit {
		drop()
		return nil, 0, "", apperr.Keyed(apperr.TooLarge, "common.file_larger_than_mib", "the file is larger than %d MiB", limit>>20)
	}
	return f, n, hex.EncodeToString(h.Sum(nil)), nil
}

// ValidHash reports whether s is a hex SHA-256 as Files names contents.
func ValidHash(s string) bool {
	return len(s) == 64 && strings.Trim(s, "0123456789abcdef") == ""
}

// Open implements Files.
func (d *DirFiles) Open(hash string) (ReadSeekCloser, error) {
	if !ValidHash(hash) {
		return nil, apperr.Keyed(apperr.NotFound, "doc.file_not_found", "file not found")
	}
	f, err := os.Open(d.PathOf(hash))
	if errors.Is(err, os.ErrNotExist) {
		return nil, apperr.Keyed(apperr.NotFound, "doc.file_attachment_missing", "the file of this attachment is missing")
	}
	return f, err
}

type staged struct {
	d *DirFiles
	*Spooled
}

func (s *staged) Keep() error {
	dst := s.d.PathOf(s.hash)
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	if err := s.f.Sync(); err != nil {
		return err
	}
	s.f.Close()
	s.done = true
	if _, err := os.Stat(dst); err == nil {
		os.Remove(s.f.Name())
		return nil
	}
	return os.Rename(s.f.Name(), dst)
}

// Media types of the attachments accepted.
const (
	MediaPDF  = "application/pdf"
	MediaDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	MediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	MediaPPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	MediaDOC  = "application/msword"
	MediaXLS  = "application/vnd.ms-excel"
	MediaPPT  = "application/vnd.ms-powerpoint"
)

var extOf = map[string]string{MediaPDF: ".pdf", MediaDOCX: ".docx", MediaXLSX: ".xlsx", MediaPPTX: ".pptx",
	MediaDOC: ".doc", MediaXLS: ".xls", MediaPPT: ".ppt"}

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Sniff tells the media type of a file from its content, never from its
// name or the type the client claimed: a PDF (%PDF-), an Office Open XML
// package (a zip holding [Content_Types].xml: .docx, .xlsx, .pptx by the
// part folders), or a legacy OLE compound file (.doc, .xls, .ppt by their
// stream names, else by the file name). Anything else is refused (415).
func Sniff(r io.ReaderAt, size int64, filename string) (string, error) {
	head := make([]byte, 1024)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return MediaPDF, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffOOXML(r, size)
	case bytes.HasPrefix(head, oleMagic):
		return sniffOLE(r, size, filename)
	}
	return "", unsupported()
}

func unsupported() error {
	return apperr.Keyed(apperr.Unsupported, "doc.attach_pdf_office_file", "attach a PDF or an office file (.docx, .xlsx, .pptx, .doc, .xls)")
}

func sniffOOXML(r io.ReaderAt, size int64) (string, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return "", unsupported()
	}
	hasTypes := false
	kind := ""
	for _, f := range z.File {
		switch {
		case f.Name == "[Content_Types].xml":
			hasTypes = true
		case strings.HasPrefix(f.Name, "word/"):
			kind = MediaDOCX
		case strings.HasPrefix(f.Name, "xl/"):
			kind = MediaXLSX
		case strings.HasPrefix(f.Name, "ppt/"):
			kind = MediaPPTX
		}
	}
	if !hasTypes || kind == "" {
		return "", unsupported()
	}
	return kind, nil
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

var (
	oleWord  = utf16le("WordDocument")
	oleExcel = utf16le("Workbook")
	oleBook  = utf16le("Book\x00")
	olePPT   = utf16le("PowerPoint Document")
)

// sniffOLE looks for the main stream's name in the compound file's
// directory (UTF-16 names), reading at most the first 4 MiB.
func sniffOLE(r io.ReaderAt, size int64, filename string) (string, error) {
	buf := make([]byte, min(size, 4<<20))
	n, _ := r.ReadAt(buf, 0)
	buf = buf[:n]
	switch {
	case bytes.Contains(buf, oleWord):
		return MediaDOC, nil
	case bytes.Contains(buf, oleExcel), bytes.Contains(buf, oleBook):
		return MediaXLS, nil
	case bytes.Contains(buf, olePPT):
		return MediaPPT, nil
	}
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".doc":
		return MediaDOC, nil
	case ".xls":
		return MediaXLS, nil
	case ".ppt":
		return MediaPPT, nil
	}
	return "", unsupported()
}

// UploadBase is the base name of an uploaded file's name: what follows
// the last slash or backslash, without control characters or quotes,
// trimmed, cut to at most 200 bytes on a character boundary.
func UploadBase(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	for len(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

// cleanFilename keeps the base name of an upload, NFC, without control
// characters or path separators, and with the extension of its real type.
func cleanFilename(name, media string) string {
	name = UploadBase(name)
	ext := extOf[media]
	if name == "" || name == "." || name == ".." {
		name = "tep-dinh-kem" + ext
	}
	if !strings.EqualFold(filepath.Ext(name), ext) {
		name += ext
	}
	return name
}
