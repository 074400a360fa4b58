package cli

import (
	"bytes"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/testpg"
)

// TestAuditVerifyCommand runs "sotay audit verify" on the demo's database
// after some API writes: intact, then tampered with behind sotay's back.
func TestAuditVerifyCommand(t *testing.T) {
	m := parallelDemo(t)
	dv := m.signIn(t, "dangvien")
	myID := myMemberID(dv)
	office := m.signIn(t, "vanphong")
	member := fmt.Sprintf("/api/v1/members/%d", myID)
	for _, pos := range []string{"Tổ trưởng", "Tổ phó", "Đảng viên"} {
		if st := office.do("GET", member, nil, nil); st != 200 {
			t.Fatalf("read member: %d", st)
		}
		if st := office.do("PATCH", member, map[string]any{"position": pos}, nil); st != 200 {
			t.Fatalf("update member: %d", st)
		}
	}
	dsn := m.Flags.DB
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m.server, m.App = nil, nil // closed: nothing left for the test's cleanup

	verify := func() (int, string, string) {
		var out, errOut bytes.Buffer
		code := Run([]string{"audit", "verify", "--db", dsn}, strings.NewReader(""), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	code, out, errOut := verify()
	if code != 0 || !strings.Contains(out, "audit log intact: ") {
		t.Fatalf("intact log: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	var n int64
	if _, err := fmt.Sscanf(out, "audit log intact: %d entries", &n); err != nil || n < 6 {
		t.Fatalf("intact log: %q (%v), want at least the 6 entries written here", out, err)
	}

	db, err := sql.Open("sqlite", strings.TrimPrefix(dsn, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Change what an update recorded, in the middle of the log.
	var seq, id int64
	if err := db.QueryRow(`SELECT seq, id FROM audit_log WHERE action = 'member.update' ORDER BY seq LIMIT 1`).Scan(&seq, &id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_log SET after_json = replace(after_json, 'Tổ trưởng', 'Bí thư') WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = verify()
	want := fmt.Sprintf("audit entry seq %d (id %d) was altered", seq, id)
	if code == 0 || !strings.Contains(errOut, want) {
		t.Fatalf("tampered log: exit %d, stdout %q, stderr %q; want a failure naming %q", code, out, errOut, want)
	}

	// Removing an entry instead is caught as a removal.
	if _, err := db.Exec(`UPDATE audit_log SET after_json = replace(after_json, 'Bí thư', 'Tổ trưởng') WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut = verify(); code != 0 {
		t.Fatalf("restored log: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := db.Exec(`DELETE FROM audit_log WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = verify()
	if want := fmt.Sprintf("audit entry seq %d was removed", seq); code == 0 || !strings.Contains(errOut, want) {
		t.Fatalf("log with a deleted entry: exit %d, stderr %q; want %q", code, errOut, want)
	}
}

func TestAuditVerifyUsage(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := Run([]string{"audit"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("sotay audit: exit %d, want 2 (%s)", code, errOut.String())
	}
	if code := Run([]string{"audit", "check"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("sotay audit check: exit %d, want 2", code)
	}
}

// TestAuditVerifyPending: on PostgreSQL an entry can be committed and not
// linked yet. `audit verify` reports it apart and passes; --max-pending
// fails when it has waited too long; --chain links it first.
func TestAuditVerifyPending(t *testing.T) {
	t.Parallel()
	dsn := testpg.NewDatabase(t)
	if dsn == "" {
		t.Skip("no PostgreSQL")
	}
	if code, _, errOut := runCLI("migrate", "--db", dsn); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// As a process killed after its commit leaves it: seq = -id, no hash;
	// written an hour ago.
	if _, err := db.Exec(`INSERT INTO audit_log (id, seq, at, action, object_type, object_id) VALUES (7, -7, now() - interval '1 hour', 'member.read', 'member', 1)`); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		args    []string
		code    int
		out     []string // in stdout, or stderr when the command fails
		missing string   // not in stdout
	}{
		{args: nil, out: []string{"audit log intact: 0 entries", "pending: 1 entries not linked yet, the oldest written 1h0"}},
		{args: []string{"--max-pending", "10m"}, code: 1, out: []string{"1 entries not linked, the oldest for 1h0", "is a server running?"}},
		{args: []string{"--max-pending", "2h"}, out: []string{"pending: 1 entries"}},
		{args: []string{"--chain"}, out: []string{"linked 1 pending entries", "audit log intact: 1 entries", "last entry: seq 1, hash "}, missing: "pending:"},
		{args: []string{"--max-pending", "10m"}, out: []string{"audit log intact: 1 entries"}, missing: "pending:"},
	}
	for _, s := range steps {
		code, out, errOut := runCLI(append([]string{"audit", "verify", "--db", dsn}, s.args...)...)
		where := out
		if s.code != 0 {
			where = errOut
		}
		if code != s.code {
			t.Fatalf("audit verify %v: exit %d, want %d; stdout %q stderr %q", s.args, code, s.code, out, errOut)
		}
		for _, w := range s.out {
			if !strings.Contains(where, w) {
				t.Errorf("audit verify %v: %q lacks %q", s.args, where, w)
			}
		}
		if s.missing != "" && strings.Contains(out, s.missing) {
			t.Errorf("audit verify %v: %q says %q", s.args, out, s.missing)
		}
	}
}
