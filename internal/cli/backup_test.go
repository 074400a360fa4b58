package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/testpg"
)

// httpJSON sends one JSON request without a testing.TB, so that load
// goroutines can use it; it returns the status and the body.
func httpJSON(hc *http.Client, base, token, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// runCLI runs the program's command line in this process.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// openSQLiteRO opens a SQLite file read-only, for checks from the outside.
func openSQLiteRO(t testing.TB, file string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// integrityCheck fails the test unless SQLite's full integrity_check of db
// answers "ok".
func integrityCheck(t testing.TB, db *sql.DB) {
	t.Helper()
	sqliteCheck(t, db, "integrity_check")
}

// quickCheck is integrityCheck with SQLite's quick_check: every page, cell,
// record and constraint, but not whether each index holds exactly its
// table's rows (the part of integrity_check that costs the most on the
// demo's 50 MB).
func quickCheck(t testing.TB, db *sql.DB) {
	t.Helper()
	sqliteCheck(t, db, "quick_check")
}

func sqliteCheck(t testing.TB, db *sql.DB, pragma string) {
	t.Helper()
	var res []string
	rows, err := db.Query(`PRAGMA ` + pragma)
	if err != nil {
		t.Fatalf("%s: %v", pragma, err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		res = append(res, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", pragma, err)
	}
	if len(res) != 1 || res[0] != "ok" {
		t.Fatalf("%s: %q, want ok", pragma, res)
	}
}

// phuTucCells returns the cells of Đảng bộ xã Phú Túc, found as admin.
func phuTucCells(t *testing.T, admin *client) []unitJSON {
	t.Helper()
	district := demoDistrict(t, admin)
	phuTuc := unitByName(t, admin, district.ID, "Đảng bộ xã Phú Túc")
	cells := childrenOf(admin, phuTuc.ID)
	if len(cells) < 2 {
		t.Fatalf("Phú Túc has %d cells", len(cells))
	}
	return cells
}

func TestBackupRestore(t *testing.T) {
	t.Parallel()
	t.Run("sqlite under load", testBackupSQLiteUnderLoad)
	t.Run("postgres", testBackupPostgres)
}

func testBackupSQLiteUnderLoad(t *testing.T) {
	m := startDemo(t)
	path := strings.TrimPrefix(m.Flags.DB, "sqlite:")
	cell := phuTucCells(t, m.signIn(t, "admin"))[0]
	office := m.signIn(t, "vanphong")

	// The load: writers create members as fast as the server takes them and
	// note the moment each creation was acknowledged.
	type ack struct {
		id int64
		at time.Time
	}
	var (
		mu       sync.Mutex
		acks     []ack
		problems []string
		wg       sync.WaitGroup
	)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	hc := &http.Client{Timeout: 30 * time.Second}
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				body := map[string]any{"unit_id": cell.ID, "full_name": fmt.Sprintf("Sao Lưu Luồng%d Người%d", w, i), "gender": []string{"male", "female"}[i%2],
					"birth_date": "1985-06-15", "admitted_on": "2012-03-02", "position": "Đảng viên"}
				st, b, err := httpJSON(hc, office.base, office.token, "POST", "/api/v1/members", body)
				at := time.Now()
				mu.Lock()
				if err != nil || st != 201 {
					problems = append(problems, fmt.Sprintf("create: %d %v %.200s", st, err, b))
					mu.Unlock()
					return
				}
				var created struct{ ID int64 }
				json.Unmarshal(b, &created)
				acks = append(acks, ack{created.ID, at})
				mu.Unlock()
			}
		})
	}
	acked := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(acks)
	}
	waitFor := func(n int) {
		for deadline := time.Now().Add(20 * time.Second); acked() < n && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor(40)

	out := filepath.Join(t.TempDir(), "sotay-backup.db")
	n0 := acked()
	started := time.Now()
	code, stdout, stderr := runCLI("backup", "--db", "sqlite:"+path, out)
	took := time.Since(started)
	during := acked() - n0
	waitFor(n0 + during + 40)
	stop()
	wg.Wait()
	if code != 0 {
		t.Fatalf("backup: exit %d: %s", code, stderr)
	}
	if len(problems) > 0 {
		t.Fatalf("the load failed: %v", problems[:min(5, len(problems))])
	}
	st, _ := os.Stat(out)
	t.Logf("backup of the demo district under load: %s, %d bytes (%s); the writers had %d creations acknowledged before it and %d while it ran (%d in all)",
		took.Round(time.Millisecond), st.Size(), strings.TrimSpace(stdout), n0, during, len(acks))

	// Restore into a new, empty data directory and look at it from outside.
	newdir := t.TempDir()
	if code, _, stderr := runCLI("restore", "--data", newdir, out); code != 0 {
		t.Fatalf("restore: exit %d: %s", code, stderr)
	}
	db := openSQLiteRO(t, filepath.Join(newdir, "sotay.db"))
	integrityCheck(t, db)
	present := map[int64]bool{}
	rows, err := db.Query(`SELECT id FROM members WHERE full_name LIKE 'Sao Lưu Luồng%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		present[id] = true
	}
	rows.Close()
	db.Close()
	var beforeBackup, missing, later int
	var someID int64
	for _, a := range acks {
		switch {
		case a.at.Before(started):
			beforeBackup++
			someID = a.id
			if !present[a.id] {
				missing++
			}
		case present[a.id]:
			later++
		}
	}
	if missing > 0 {
		t.Errorf("%d of the %d members acknowledged before the backup started are not in it", missing, beforeBackup)
	}
	if beforeBackup == 0 || beforeBackup == len(acks) {
		t.Errorf("the backup was not taken in the middle of the load: %d of %d acknowledged before it", beforeBackup, len(acks))
	}
	t.Logf("backup holds %d load members: all %d acknowledged before it started, %d acknowledged during or after", len(present), beforeBackup, later)

	// The restored directory serves: the real program starts on it and a
	// member acknowledged before the backup is there.
	m2 := &Main{Flags: dbFlags{Data: newdir, DB: "sqlite"}, Addr: "127.0.0.1:0"}
	if err := m2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if st := m2.signIn(t, "vanphong").do("GET", fmt.Sprintf("/api/v1/members/%d", someID), nil, nil); st != 200 {
		t.Errorf("restored server, GET member %d: %d", someID, st)
	}

	t.Run("refusals", func(t *testing.T) {
		nonEmpty := t.TempDir()
		os.WriteFile(filepath.Join(nonEmpty, "ghi-chu.txt"), []byte("x"), 0o600)
		tests := []struct {
			name string
			args []string
			code int
			want string
		}{
			{"backup over an existing file", []string{"backup", "--db", "sqlite:" + path, out}, 1, "already exists"},
			{"backup of no database", []string{"backup", "--data", t.TempDir(), filepath.Join(t.TempDir(), "b.db")}, 1, "no database"},
			{"backup without a file", []string{"backup", "--db", "sqlite:" + path}, 2, "one FILE"},
			{"restore over a restored directory", []string{"restore", "--data", newdir, out}, 1, "already exists"},
			{"restore over the live database", []string{"restore", "--db", "sqlite:" + path, out}, 1, "a restore never replaces"},
			{"restore into a non-empty directory", []string{"restore", "--data", nonEmpty, out}, 1, "not empty"},
			{"restore of a file that is no backup", []string{"restore", "--data", t.TempDir(), filepath.Join(nonEmpty, "ghi-chu.txt")}, 1, "not a SQLite database"},
		}
		for _, tt := range tests {
			code, _, stderr := runCLI(tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", tt.name, code, stderr, tt.code, tt.want)
			}
		}
		if _, err := os.Stat(filepath.Join(nonEmpty, "sotay.db")); err == nil {
			t.Error("a refused restore wrote a database")
		}
	})
}

func testBackupPostgres(t *testing.T) {
	m := startDemoOn(t, "postgres")
	dsn := m.Flags.DB
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("SOTAY_REQUIRE_POSTGRES") != "" {
				t.Fatalf("SOTAY_REQUIRE_POSTGRES is set but %s is not on PATH", tool)
			}
			t.Skipf("%s is not on PATH: the PostgreSQL backup needs the client programs (apt-get install postgresql-client)", tool)
		}
	}
	cell := phuTucCells(t, m.signIn(t, "admin"))[0]
	office := m.signIn(t, "vanphong")
	newMember := map[string]any{"unit_id": cell.ID, "full_name": "Sao Lưu Bưu Điện", "gender": "male", "birth_date": "1985-06-15", "admitted_on": "2012-03-02"}
	if st := office.do("POST", "/api/v1/members", newMember, nil); st != 201 {
		t.Fatalf("create: %d", st)
	}

	out := filepath.Join(t.TempDir(), "sotay.dump")
	started := time.Now()
	if code, _, stderr := runCLI("backup", "--db", dsn, out); code != 0 {
		t.Fatalf("backup: exit %d: %s", code, stderr)
	}
	t.Logf("pg_dump of the demo district: %s", time.Since(started).Round(time.Millisecond))
	if code, _, stderr := runCLI("backup", "--db", dsn, out); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("backup over an existing file: exit %d, %q", code, stderr)
	}
	fresh := testpg.NewDatabase(t)
	started = time.Now()
	if code, _, stderr := runCLI("restore", "--db", fresh, out); code != 0 {
		t.Fatalf("restore: exit %d: %s", code, stderr)
	}
	t.Logf("pg_restore of the demo district: %s", time.Since(started).Round(time.Millisecond))
	counts := func(dsn string) [3]int64 {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var c [3]int64
		if err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM members), (SELECT MAX(id) FROM members), (SELECT COUNT(*) FROM units)`).Scan(&c[0], &c[1], &c[2]); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if a, b := counts(dsn), counts(fresh); a != b || a[0] < 9000 {
		t.Errorf("members, max id, units: original %v, restored %v", a, b)
	}
	if code, _, stderr := runCLI("restore", "--db", fresh, out); code != 1 || !strings.Contains(stderr, "already holds") {
		t.Errorf("restore into a database with our tables: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI("restore", "--db", testpg.NewDatabase(t), filepath.Join(t.TempDir(), "none.dump")); code != 1 || !strings.Contains(stderr, "no such file") {
		t.Errorf("restore of a missing file: exit %d, %q", code, stderr)
	}
	// The restored database serves, and its sequences go on after the
	// restored rows.
	m2 := &Main{Flags: dbFlags{DB: fresh}, Addr: "127.0.0.1:0"}
	if err := m2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	newMember["full_name"] = "Sao Lưu Sau Khôi Phục"
	if st := m2.signIn(t, "vanphong").do("POST", "/api/v1/members", newMember, nil); st != 201 {
		t.Errorf("create on the restored database: %d", st)
	}
}
