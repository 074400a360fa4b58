package cli

import (
	"bytes"
	"database/sql"
	"strings"
	"testing"
)

// TestCheckCountersCommand runs "sotay check counters" on the demo's
// database (its members, receipts, tasks, steps and flags all written by
// the demo's services and set-based loads): exact; then with a counter
// changed behind sotay's back: the drift printed and exit status 1; then
// --fix, and exact again.
func TestCheckCountersCommand(t *testing.T) {
	t.Parallel()
	m := startDemo(t)
	dsn := m.Flags.DB
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m.server, m.App = nil, nil // closed: nothing left for the test's cleanup

	check := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Run(append([]string{"check", "counters", "--db", dsn}, args...), strings.NewReader(""), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	if code, out, errOut := check(); code != 0 || out != "counters exact\n" {
		t.Fatalf("the demo: exit %d, stdout %q, stderr %q; want 0 and exact", code, out, errOut)
	}

	db, err := sql.Open("sqlite", strings.TrimPrefix(dsn, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var members, births, units, receipts, tasks int
	db.QueryRow(`SELECT (SELECT COUNT(*) FROM subtree_member_counts WHERE n <> 0), (SELECT COUNT(*) FROM subtree_birth_counts WHERE n <> 0),
		(SELECT COUNT(*) FROM subtree_unit_counts WHERE n <> 0), (SELECT COUNT(*) FROM subtree_read_counts WHERE n <> 0),
		(SELECT COUNT(*) FROM task_counts WHERE received <> 0)`).Scan(&members, &births, &units, &receipts, &tasks)
	if members == 0 || births == 0 || units == 0 || receipts == 0 || tasks == 0 {
		t.Fatalf("the demo left %d member, %d birth, %d unit, %d read and %d task counters: nothing checked", members, births, units, receipts, tasks)
	}
	res, err := db.Exec(`UPDATE subtree_read_counts SET n = n + 3 WHERE (document_id, version, unit_id) =
		(SELECT document_id, version, unit_id FROM subtree_read_counts WHERE n > 0 ORDER BY document_id, version, unit_id LIMIT 1)`)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("tampered with %d counters, want 1", n)
	}
	res, err = db.Exec(`UPDATE task_counts SET received = received + 2 WHERE (grain, unit_id, period, member_id, rule) =
		(SELECT grain, unit_id, period, member_id, rule FROM task_counts WHERE received > 0 ORDER BY grain, unit_id, period LIMIT 1)`)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("tampered with %d task counters, want 1", n)
	}
	// A four-good sheet's rank key (migration 0031), written behind the
	// triggers' back (they follow the columns it is made of, not the key).
	res, err = db.Exec(`UPDATE fourgood_sheets SET rank_key = 'x' WHERE id = (SELECT MIN(id) FROM fourgood_sheets WHERE rank_key <> '')`)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("tampered with %d four-good rank keys, want 1", n)
	}
	code, out, errOut := check()
	if code != 1 || !strings.Contains(out, "subtree_read_counts(document_id=") || !strings.Contains(out, "task_counts(unit_id=") ||
		!strings.Contains(out, ", received): stored ") || !strings.Contains(out, `, rank_key): stored "x", recomputed "`) || !strings.Contains(errOut, "3 counters drifted") {
		t.Fatalf("after tampering: exit %d, stdout %q, stderr %q; want 1 and the three counters named", code, out, errOut)
	}
	if code, out, errOut := check("--fix"); code != 0 || !strings.HasSuffix(out, "fixed 3 counters\n") {
		t.Fatalf("--fix: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, out, errOut := check(); code != 0 || out != "counters exact\n" {
		t.Fatalf("after --fix: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
