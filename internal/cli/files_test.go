package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAttachmentRanges: an attachment uploaded through the API is stored
// in the database once and served whole and by Range requests, the ranges
// falling on and across the 256 KiB chunks of the store.
func TestAttachmentRanges(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, m *Main) {
		office, reader := m.signIn(t, "vanphong"), m.signIn(t, "dangvien")
		var roots listJSON[unitJSON]
		office.do("GET", "/api/v1/units", nil, &roots)
		phuTuc := unitByName(t, office, roots.Items[0].ID, "Đảng bộ xã Phú Túc")
		var d docJSON
		if st := office.do("POST", "/api/v1/documents", map[string]any{"type": "CT", "issuer_code": "HU", "issued_on": "2026-11-20",
			"title": "Chỉ thị có phụ lục lớn", "audience": map[string]any{"unit_id": phuTuc.ID}}, &d); st != 201 {
			t.Fatalf("publish: %d", st)
		}
		r := rand.New(rand.NewPCG(1, 2))
		content := make([]byte, 4<<20+12345)
		for i := range content {
			content[i] = byte(r.Uint32())
		}
		copy(content, "%PDF-1.7\n")
		var before int
		m.App.DB.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM blobs`).Scan(&before)
		path := fmt.Sprintf("/api/v1/documents/%d/attachments", d.ID)
		var ids []int64
		for range 2 { // the same file twice: two attachments, one content
			st, out := office.attach(path, "", "Phụ lục.pdf", "application/pdf", content)
			if st != 201 {
				t.Fatalf("attach: %d %s", st, out)
			}
			var at struct {
				ID     int64  `json:"id"`
				SHA256 string `json:"sha256"`
			}
			if err := json.Unmarshal(out, &at); err != nil {
				t.Fatal(err)
			}
			if h := sha256.Sum256(content); at.SHA256 != hex.EncodeToString(h[:]) {
				t.Errorf("sha256 %s, want the content's", at.SHA256)
			}
			ids = append(ids, at.ID)
		}
		var after int
		m.App.DB.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM blobs`).Scan(&after)
		if after-before != 1 {
			t.Errorf("blobs stored for one file uploaded twice: %d, want 1", after-before)
		}
		url := fmt.Sprintf("%s/%d", path, ids[1])
		st, _, body := reader.fetch(url)
		if st != 200 || !bytes.Equal(body, content) {
			t.Fatalf("download: %d, %d bytes (%.200s); want 200 and the %d bytes uploaded", st, len(body), body, len(content))
		}
		size := len(content)
		const chunk = 256 << 10
		for _, tc := range []struct {
			rng      string
			from, to int // inclusive
		}{
			{"bytes=0-9", 0, 9},
			{"bytes=262140-262150", chunk - 4, chunk + 6},
			{fmt.Sprintf("bytes=%d-%d", chunk, 2*chunk-1), chunk, 2*chunk - 1},
			{fmt.Sprintf("bytes=%d-", 3*chunk-1), 3*chunk - 1, size - 1},
			{"bytes=-100", size - 100, size - 1},
		} {
			st, h, b := reader.fetchRange(url, tc.rng)
			want := content[tc.from : tc.to+1]
			if st != 206 || !bytes.Equal(b, want) || h.Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", tc.from, tc.to, size) {
				t.Errorf("Range %s: %d, %s, %d bytes; want 206, bytes %d-%d/%d and the content's bytes", tc.rng, st, h.Get("Content-Range"), len(b), tc.from, tc.to, size)
			}
		}
		if st, _, _ := reader.fetchRange(url, fmt.Sprintf("bytes=%d-", size+10)); st != http.StatusRequestedRangeNotSatisfiable {
			t.Errorf("a range past the end: %d, want 416", st)
		}
		if file := m.App.DB.SQLiteFile(); file != "" {
			if _, err := os.Stat(filepath.Join(filepath.Dir(file), "files")); err == nil {
				t.Error("an attachments directory was made beside the database")
			}
		}
	})
}

// fetchRange gets a path with a Range header.
func (c *client) fetchRange(path, rng string) (int, http.Header, []byte) {
	c.t.Helper()
	return c.fetch(path, "Range", rng)
}

// TestFilesImport: the attachments directory of an older version is
// imported when the program starts (here: sotay migrate), a damaged file
// is reported and left out, and `sotay files import` says so and fails
// until the damaged file is dealt with.
func TestFilesImport(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	files := filepath.Join(data, "files")
	put := func(content []byte, name string) string {
		t.Helper()
		if name == "" {
			h := sha256.Sum256(content)
			name = hex.EncodeToString(h[:])
		}
		p := filepath.Join(files, name[:2], name)
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, content, 0o640); err != nil {
			t.Fatal(err)
		}
		return name
	}
	good := put([]byte("%PDF-1.4 an old attachment"), "")
	bad := put([]byte("%PDF-1.4 damaged"), strings.Repeat("ab", 32))
	code, out, errOut := runCLI("migrate", "--data", data)
	if code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	code, out, _ = runCLI("files", "import", "--data", data)
	if code != 1 || !strings.Contains(out, "Not imported: "+filepath.Join(bad[:2], bad)+": damaged") || !strings.Contains(out, "1 were there already") {
		t.Errorf("files import with a damaged file: exit %d, %q; want 1, the damaged file named, the good one there already", code, out)
	}
	if _, err := os.Stat(filepath.Join(files, "IMPORTED-INTO-DATABASE.txt")); err == nil {
		t.Error("a directory with a damaged file is marked imported")
	}
	if err := os.Remove(filepath.Join(files, bad[:2], bad)); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI("files", "import", "--data", data)
	if code != 0 || !strings.Contains(out, "Imported 0 files") {
		t.Errorf("files import again: exit %d, %q; want 0, nothing new", code, out)
	}
	if _, err := os.Stat(filepath.Join(files, "IMPORTED-INTO-DATABASE.txt")); err != nil {
		t.Errorf("the directory is not marked imported: %v", err)
	}
	// The content is in the database: the directory can go.
	if err := os.RemoveAll(files); err != nil {
		t.Fatal(err)
	}
	a, err := openApp(context.Background(), dbFlags{Data: data, DB: "sqlite"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	f, err := a.Docs.Files.Open(good)
	if err != nil {
		t.Fatalf("the imported file: %v", err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "%PDF-1.4 an old attachment" {
		t.Errorf("the imported file reads %q", b)
	}
}
