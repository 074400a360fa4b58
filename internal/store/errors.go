package store

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/sotay-vn/sotay/internal/apperr"
)

// uniqueViolation reports whether err is a unique-constraint violation and
// names the constraint or column list the engine reported.
func uniqueViolation(err error) (string, bool) {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.ConstraintName, pg.Code == "23505"
	}
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		msg := err.Error()
		return msg[strings.Index(msg, "UNIQUE constraint failed")+len("UNIQUE constraint failed: "):], true
	}
	return "", false
}

// notFound turns sql.ErrNoRows into the application's NotFound, with the
// key the services give the same message: a missing object and one out of
// reach answer the same, key included.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Keyed(apperr.NotFound, notFoundKeys[format], format, args...)
	}
	return err
}

// notFoundKeys are the keys of the store's not-found messages by format;
// the catalogue (internal/web/ui) has their texts.
var notFoundKeys = map[string]string{
	"unit %d not found":                    "common.unit_not_found",
	"unit %s not found":                    "org.unit_not_found_2",
	"member %d not found":                  "common.member_not_found",
	"account %d not found":                 "auth.account_not_found",
	"no account %s":                        "auth.no_account",
	"session %s not found":                 "auth.session_not_found",
	"document %d not found":                "doc.document_not_found",
	"news %d not found":                    "doc.news_not_found",
	"comment %d not found":                 "doc.comment_not_found",
	"attachment %d not found":              "doc.attachment_not_found",
	"revision %d of document %d not found": "doc.revision_not_found",
	"no note":                              "doc.no_note",
	"task %d not found":                    "task.task_not_found",
	"no schedule for %d":                   "task.no_schedule",
	"notification %s not found":            "notify.notification_not_found",
	"unit %d did not exist on %s":          "org.unit_not_on",
	"job %d not found":                     "store.job_not_found",
	"no job with key %q":                   "store.job_key_not_found",
}

// prefixEnd returns the smallest string greater than every string that
// starts with the path prefix p (paths end in '/', and '0' follows '/').
func prefixEnd(p string) string {
	return p[:len(p)-1] + "0"
}
