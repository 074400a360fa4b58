package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestSQLitePathWithURICharacters opens databases whose paths hold the
// characters a SQLite URI gives a meaning to: each must open the file
// it names, not a shorter path or a file named by what follows '?'.
func TestSQLitePathWithURICharacters(t *testing.T) {
	for _, dir := range []string{"a#1", "b?mode=ro", "c%20d", "đơn vị #2?x%"} {
		t.Run(dir, func(t *testing.T) {
			root := t.TempDir()
			file := filepath.Join(root, dir, "sotay.db")
			if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
				t.Fatal(err)
			}
			db, err := Open(context.Background(), "sqlite:"+file, "")
			if err != nil {
				t.Fatalf("open %q: %v", file, err)
			}
			_, err = db.write.Exec(`CREATE TABLE probe (x INTEGER)`)
			db.Close()
			if err != nil {
				t.Fatalf("write %q: %v", file, err)
			}
			if _, err := os.Stat(file); err != nil {
				t.Errorf("the database is not at %q: %v", file, err)
			}
			entries, _ := os.ReadDir(root)
			if len(entries) != 1 {
				t.Errorf("got %d entries in %s, want 1 (only %q): a file was opened elsewhere", len(entries), root, dir)
			}
			c, err := openSQLiteFile(file, 100)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			var n int
			if err := c.QueryRow(`SELECT count(*) FROM probe`).Scan(&n); err != nil {
				t.Errorf("the backup's opener did not find the table in %q: %v", file, err)
			}
		})
	}
}
