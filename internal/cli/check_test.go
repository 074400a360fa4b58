package cli

import (
	"bytes"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCheckCountersCommand runs "sotay check counters" on the demo's
// database (its members, receipts, tasks, steps and flags all written by
// the demo's services and set-based loads) with one counter of each kind
// changed behind sotay's back (counterTampers): exit status 1, the number
// drifted printed, and one line for each tampered counter and no other
// (so the demo's counters are exact but for the tampered ones: a check of
// the untouched demo before the tampering, a whole recount, told nothing
// more); then --fix, and exact.
func TestCheckCountersCommand(t *testing.T) {
	t.Parallel()
	// A copy of the demo file as the build left it: the command opens it
	// itself, so no server is started (and closed) on it first.
	file := filepath.Join(t.TempDir(), "t.db")
	if err := copyFile(demoSQLiteFile(t), file); err != nil {
		t.Fatal(err)
	}
	dsn := "sqlite:" + file

	check := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Run(append([]string{"check", "counters", "--db", dsn}, args...), strings.NewReader(""), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	db, err := sql.Open("sqlite", strings.TrimPrefix(dsn, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Each kind of counter must hold something in the demo, or the
	// tampering below would check nothing.
	for _, c := range counterTampers {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM ` + c.table + ` WHERE ` + c.nonZero).Scan(&n); err != nil {
			t.Fatalf("%s: %v", c.table, err)
		}
		if n == 0 {
			t.Fatalf("the demo left no %s counter: nothing checked", c.table)
		}
	}
	for _, c := range counterTampers {
		res, err := db.Exec(c.tamper)
		if err != nil {
			t.Fatalf("tamper with %s: %v", c.table, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("tampered with %d rows of %s, want 1", n, c.table)
		}
	}
	code, out, errOut := check()
	want := fmt.Sprintf(" %d counters drifted (", len(counterTampers))
	if code != 1 || !strings.Contains(errOut, want) {
		t.Fatalf("after tampering: exit %d, stdout %q, stderr %q; want 1 and %q", code, out, errOut, want)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	named := make([]bool, len(lines))
	for _, c := range counterTampers {
		i := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, c.named) })
		if i < 0 {
			t.Errorf("after tampering with %s: stdout %q does not name it (%q)", c.table, out, c.named)
			continue
		}
		named[i] = true
	}
	for i, l := range lines {
		if !named[i] {
			t.Errorf("drift in a counter nobody tampered with: %s", l)
		}
	}
	if code, out, errOut := check("--fix"); code != 0 || !strings.HasSuffix(out, fmt.Sprintf("fixed %d counters\n", len(counterTampers))) {
		t.Fatalf("--fix: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, out, errOut := check(); code != 0 || out != "counters exact\n" {
		t.Fatalf("after --fix: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// counterTampers changes one row of each kind of counter kept by
// triggers, each a different way (more, fewer, deleted), with what the
// check must print about it.
var counterTampers = []struct {
	table, nonZero, tamper, named string
}{
	{"subtree_read_counts", "n <> 0", `UPDATE subtree_read_counts SET n = n + 3 WHERE (document_id, version, unit_id) =
		(SELECT document_id, version, unit_id FROM subtree_read_counts WHERE n > 0 ORDER BY document_id, version, unit_id LIMIT 1)`,
		"subtree_read_counts(document_id="},
	{"task_counts", "received <> 0", `UPDATE task_counts SET received = received + 2 WHERE (grain, unit_id, period, member_id, rule) =
		(SELECT grain, unit_id, period, member_id, rule FROM task_counts WHERE received > 0 ORDER BY grain, unit_id, period LIMIT 1)`,
		", received): stored "},
	// The counters of migration 0029: a running-task counter and an open
	// arrival's.
	{"task_due_counts", "running <> 0", `UPDATE task_due_counts SET running = running + 1 WHERE (grain, period, unit_id, member_id) =
		(SELECT grain, period, unit_id, member_id FROM task_due_counts WHERE running > 0 ORDER BY grain DESC, period, unit_id LIMIT 1)`,
		"task_due_counts(grain=t, period=, unit_id="},
	{"task_counts", "open_arrivals <> 0", `UPDATE task_counts SET open_arrivals = open_arrivals - 1 WHERE (grain, unit_id, period, member_id, rule) =
		(SELECT grain, unit_id, period, member_id, rule FROM task_counts ORDER BY open_arrivals DESC, grain, unit_id, period LIMIT 1)`,
		", open_arrivals): stored "},
	// Migration 0030: a birth-day counter deleted.
	{"subtree_birth_day_counts", "n <> 0", `DELETE FROM subtree_birth_day_counts WHERE (unit_id, birth_date) =
		(SELECT unit_id, birth_date FROM subtree_birth_day_counts WHERE n > 0 ORDER BY unit_id, birth_date LIMIT 1)`,
		"subtree_birth_day_counts(unit_id="},
	// Migration 0031: a four-good sheet's rank key, written behind the
	// triggers' back (they follow the columns it is made of, not the key).
	{"fourgood_sheets", "rank_key <> ''", `UPDATE fourgood_sheets SET rank_key = 'x' WHERE id = (SELECT MIN(id) FROM fourgood_sheets WHERE rank_key <> '')`,
		`, rank_key): stored "x", recomputed "`},
	{"conference_counts", "n <> 0", `UPDATE conference_counts SET n = n + 1 WHERE (conference_id, expected_point_id, checkin_point_id) =
		(SELECT conference_id, expected_point_id, checkin_point_id FROM conference_counts WHERE n > 0
		ORDER BY conference_id, expected_point_id, checkin_point_id LIMIT 1)`,
		"conference_counts(conference_id="},
	// Migration 0038: the four-good sheets of a subtree by their key's head.
	{"fourgood_counts", "sheets <> 0", `UPDATE fourgood_counts SET sheets = sheets + 1 WHERE (framework_id, period, unit_id, head) =
		(SELECT framework_id, period, unit_id, head FROM fourgood_counts WHERE sheets > 0 ORDER BY framework_id, period, unit_id, head LIMIT 1)`,
		"fourgood_counts(framework_id="},
	{"fourgood_framework_counts", "registrations <> 0", `UPDATE fourgood_framework_counts SET registrations = registrations - 1
		WHERE framework_id = (SELECT MIN(framework_id) FROM fourgood_framework_counts WHERE registrations > 0)`,
		"fourgood_framework_counts(framework_id="},
	// Migration 0034: a subtree's month of the meeting compliance.
	{"meeting_subtree_months", "regular <> 0", `UPDATE meeting_subtree_months SET regular = regular + 1 WHERE (unit_id, year, month) =
		(SELECT unit_id, year, month FROM meeting_subtree_months WHERE regular > 0 ORDER BY unit_id, year, month LIMIT 1)`,
		"meeting_subtree_months(unit_id="},
	// Migration 0046: a member's day of admission kept in member_scopes
	// (the list of those admitted by a day reads it).
	{"member_scopes", "admitted_on IS NOT NULL", `UPDATE member_scopes SET admitted_on = '1900-01-01' WHERE (scope_id, sort_key, member_id) =
		(SELECT scope_id, sort_key, member_id FROM member_scopes WHERE admitted_on IS NOT NULL ORDER BY member_id, scope_id LIMIT 1)`,
		`member_scopes(scope_id=`},
	// Migration 0035: a dated counter of the past statistics (kept from
	// the triggers' log by the store in Go, recounted in Go).
	{"past_stat_counts", "n <> 0", `UPDATE past_stat_counts SET n = n - 2 WHERE (prefix, grain, period, status, gender, band) =
		(SELECT prefix, grain, period, status, gender, band FROM past_stat_counts WHERE n > 0
		ORDER BY prefix, grain DESC, period, status, gender, band LIMIT 1)`,
		"past_stat_counts(prefix=/"},
}
