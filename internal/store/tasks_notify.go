package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/task"
)

// Reminders (see internal/task/reminders.go); the inbox that shows them is
// internal/notify's (notifications.go).

// castTime makes a placeholder used in a SELECT list a timestamp on
// PostgreSQL, which would otherwise take it for text.
func (db *DB) castTime(p string) string {
	if db.dialect == postgresDialect {
		return p + "::timestamptz"
	}
	return p
}

// Reminders writes the reminder notifications that are due (set-based
// INSERT … SELECT per event, each notification once thanks to its unique
// event key) and, in the same transaction, hands the new ones to send to
// queue their e-mail. It returns how many notifications it wrote.
//
// long: it stays one function on purpose: the five INSERT …
// SELECT statements are read together, side by side, because they must
// agree on the event keys that make a reminder unique and on the window
// of days each one covers; split apart, a key changed in one and not in
// the others would send a reminder twice.
func (db Tasks) Reminders(ctx context.Context, r task.ReminderRequest, send func(ctx context.Context, q jobs.Enqueuer, ns []task.Notification) error) (int, error) {
	const running = `t.state IN ('assigned', 'in_progress') AND t.kind = 'task'`
	vnDate := func(col string) string {
		return `substr(` + col + `, 9, 2) || '/' || substr(` + col + `, 6, 2) || '/' || substr(` + col + `, 1, 4)`
	}
	type statement struct {
		query string
		args  []any
	}
	var statements []statement
	type event struct {
		name, kind, title, body string
		cond                    func(a *argList) string
	}
	events := []event{
		{"due", "task.due_soon", `'Sắp đến hạn: ' || t.title`,
			`'Nhiệm vụ "' || t.title || '" đến hạn ngày ' || ` + vnDate("t.due_on") + ` || '.'`,
			func(a *argList) string {
				return running + ` AND t.due_on >= ` + a.add(r.Today) + ` AND t.due_on <= ` + a.add(r.SoonUntil)
			}},
		{"overdue", "task.overdue", `'Quá hạn: ' || t.title`,
			`'Nhiệm vụ "' || t.title || '" đã quá hạn từ ngày ' || ` + vnDate("t.due_on") + ` || '.'`,
			func(a *argList) string {
				return running + ` AND t.due_on >= ` + a.add(r.RecentSince) + ` AND t.due_on < ` + a.add(r.Today)
			}},
	}
	for _, e := range events {
		key := `'reminder:` + e.name + `:task:' || CAST(t.id AS TEXT) || ':' || t.due_on`
		// To the holder member...
		a := argList{r.Now, r.LinkPrefix}
		statements = append(statements, statement{`INSERT INTO notifications (member_id, kind, title, body, link, event_key, created_at)
			SELECT t.holder_member_id, '` + e.kind + `', ` + e.title + `, ` + e.body + `, CAST($2 AS TEXT) || CAST(t.id AS TEXT),
				` + key + ` || ':m:' || CAST(t.holder_member_id AS TEXT), ` + db.castTime("$1") + `
			FROM tasks t WHERE ` + e.cond(&a) + ` AND t.holder_member_id IS NOT NULL
			ON CONFLICT (event_key) DO NOTHING RETURNING id`, a})
		// ...or, without one, to the officers' accounts on the holder unit.
		a = argList{r.Now, r.LinkPrefix}
		statements = append(statements, statement{`INSERT INTO notifications (account_id, kind, title, body, link, event_key, created_at)
			SELECT DISTINCT ar.account_id, '` + e.kind + `', ` + e.title + `, ` + e.body + `, CAST($2 AS TEXT) || CAST(t.id AS TEXT),
				` + key + ` || ':a:' || CAST(ar.account_id AS TEXT), ` + db.castTime("$1") + `
			FROM tasks t JOIN account_roles ar ON ar.unit_id = t.holder_unit_id AND ar.role IN ('office', 'committee', 'cell_officer')
			WHERE ` + e.cond(&a) + ` AND t.holder_member_id IS NULL
			ON CONFLICT (event_key) DO NOTHING RETURNING id`, a})
	}
	// To the head of the unit above a holder that is long overdue.
	statements = append(statements, statement{`INSERT INTO notifications (member_id, kind, title, body, link, event_key, created_at)
		SELECT x.head, 'task.overdue_superior', 'Cấp dưới quá hạn: ' || x.title,
			'Nhiệm vụ "' || x.title || '" do ' || x.holder || ' giữ đã quá hạn từ ngày ' || ` + vnDate("x.due_on") + ` || '.',
			CAST($2 AS TEXT) || CAST(x.id AS TEXT),
			'reminder:superior:task:' || CAST(x.id AS TEXT) || ':' || x.due_on || ':m:' || CAST(x.head AS TEXT), ` + db.castTime("$1") + `
		FROM (SELECT t.id, t.title, t.due_on, hu.name AS holder, ` + taskHeadSQL("hu.parent_id", "$4") + ` AS head
			FROM tasks t JOIN units hu ON hu.id = t.holder_unit_id
			WHERE ` + running + ` AND t.due_on >= $5 AND t.due_on < $3 AND hu.parent_id IS NOT NULL) x
		WHERE x.head IS NOT NULL
		ON CONFLICT (event_key) DO NOTHING RETURNING id`, []any{r.Now, r.LinkPrefix, r.SuperiorBefore, taskHeadPosition, r.RecentSince}})
	total := 0
	err := db.Write(ctx, func(tx *Tx) error {
		var ids []int64
		for _, st := range statements {
			more, err := queryAll(ctx, tx, scanValue[int64], st.query, st.args...)
			if err != nil {
				return fmt.Errorf("reminders: %w", err)
			}
			ids = append(ids, more...)
		}
		total = len(ids)
		for start := 0; start < len(ids); start += 500 {
			ns, err := tx.notificationsByID(ctx, ids[start:min(start+500, len(ids))])
			if err != nil {
				return err
			}
			if send != nil {
				if err := send(ctx, tx, ns); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return total, err
}

const notificationColumns = `n.id, n.account_id, n.member_id, n.kind, n.title, n.body, n.link, COALESCE(n.event_key, ''), n.created_at, n.read_at`

func scanNotification(sc interface{ Scan(...any) error }, extra ...any) (task.Notification, error) {
	var n task.Notification
	err := sc.Scan(append([]any{&n.ID, &n.AccountID, &n.MemberID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.EventKey, &n.CreatedAt, &n.ReadAt}, extra...)...)
	n.CreatedAt = n.CreatedAt.UTC()
	return n, err
}

// notificationsByID reads notifications with their recipient's name and
// e-mail address (the member's, or the account's member's).
func (tx *Tx) notificationsByID(ctx context.Context, ids []int64) ([]task.Notification, error) {
	var args argList
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = args.add(id)
	}
	return queryAll(ctx, tx, func(rows *sql.Rows) (task.Notification, error) {
		var name, email string
		n, err := scanNotification(rows, &name, &email)
		n.Name, n.Email = name, email
		return n, err
	}, `SELECT `+notificationColumns+`, COALESCE(m.full_name, am.full_name, ''), COALESCE(m.email, am.email, '')
		FROM notifications n LEFT JOIN members m ON m.id = n.member_id
		LEFT JOIN accounts a ON a.id = n.account_id LEFT JOIN members am ON am.id = a.member_id
		WHERE n.id IN (`+strings.Join(marks, ",")+`) ORDER BY n.id`, args...)
}

// HandoverAccounts returns the enabled accounts to tell of hand-overs (see
// internal/task/notices.go): by unit, those with one of a.Roles on the
// unit itself; by member, those linked to the member. One query; the
// units and members are those of one creation or step.
func (db Tasks) HandoverAccounts(ctx context.Context, a task.Audience) (byUnit, byMember map[int64][]int64, err error) {
	byUnit, byMember = map[int64][]int64{}, map[int64][]int64{}
	args := argList{false}
	var parts []string
	if len(a.UnitIDs) > 0 && len(a.Roles) > 0 {
		roles := make([]string, len(a.Roles))
		for i, r := range a.Roles {
			roles[i] = args.add(string(r))
		}
		parts = append(parts, `SELECT DISTINCT 'u', ar.unit_id, ac.id FROM account_roles ar JOIN accounts ac ON ac.id = ar.account_id
			WHERE ar.unit_id IN (`+idMarks(&args, a.UnitIDs)+`) AND ar.role IN (`+strings.Join(roles, ",")+`) AND ac.disabled = $1`)
	}
	if len(a.MemberIDs) > 0 {
		parts = append(parts, `SELECT 'm', ac.member_id, ac.id FROM accounts ac
			WHERE ac.member_id IN (`+idMarks(&args, a.MemberIDs)+`) AND ac.disabled = $1`)
	}
	if len(parts) == 0 {
		return byUnit, byMember, nil
	}
	err = queryEach(ctx, db.read, func(rows *sql.Rows) error {
		var by string
		var key, account int64
		err := rows.Scan(&by, &key, &account)
		if by == "u" {
			byUnit[key] = append(byUnit[key], account)
		} else {
			byMember[key] = append(byMember[key], account)
		}
		return err
	}, strings.Join(parts, " UNION ALL ")+` ORDER BY 1, 2, 3`, args...)
	return byUnit, byMember, err
}
