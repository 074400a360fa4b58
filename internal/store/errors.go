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

// notFound turns sql.ErrNoRows into the application's NotFound.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.NotFoundf(format, args...)
	}
	return err
}

// prefixEnd returns the smallest string greater than every string that
// starts with the path prefix p (paths end in '/', and '0' follows '/').
func prefixEnd(p string) string {
	return p[:len(p)-1] + "0"
}
