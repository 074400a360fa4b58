package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"
)

// The store writes one SQL text for both engines, with PostgreSQL's $N
// parameters. SQLite takes $N for a named parameter ("$" and a name): the
// parser looks each one up by name in the statement's list of parameters,
// one by one, and so does the driver when it asks each parameter's name to
// bind it, so a statement's cost grows with the square of its parameters
// (2,800 parameters: 80–160 ms against 6 ms, docs/benchmarks.md, "SQLite
// parameters and the write path"). Anonymous parameters (?) are neither
// looked up nor named. So every SQLite connection the store opens goes
// through sqliteConn, which hands the driver the text with its $N written
// as ? when they read 1, 2, 3… in order (the texts of an argList), and as
// ?N, SQLite's numbered parameter (bound by index, the same argument as $N),
// when a number repeats or comes out of order.

// openSQLiteDB opens a pool on modernc's SQLite driver whose connections
// rewrite the parameters (sqliteParams).
func openSQLiteDB(dsn string) (*sql.DB, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(paramConnector{c}), nil
}

type paramConnector struct{ driver.Connector }

func (c paramConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	full, ok := conn.(fullConn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("sqlite: the driver's connection %T lacks an interface the store forwards", conn)
	}
	return &sqliteConn{fullConn: full}, nil
}

// fullConn is what every connection of modernc's driver implements and a
// wrapper must forward (sqlite.NewConnector's documentation).
type fullConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// sqliteConn is a connection of the driver whose statements' texts go
// through sqliteParams, and which keeps the statements it ran
// (sqlitestmts.go: ExecContext, QueryContext, Close).
type sqliteConn struct {
	fullConn
	stmts stmtCache
}

// Unwrap is the driver's connection (sqlite.Limit looks through it).
func (c *sqliteConn) Unwrap() driver.Conn { return c.fullConn }

func (c *sqliteConn) Prepare(query string) (driver.Stmt, error) {
	return c.fullConn.Prepare(sqliteParams(query))
}

func (c *sqliteConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.fullConn.PrepareContext(ctx, sqliteParams(query))
}

// paramTexts keeps rewritten texts by their original, up to
// paramTextsBudget bytes of originals (then the rest are rewritten on
// every use: a scan of the text, small beside SQLite's parsing of it).
var (
	paramTexts      sync.Map
	paramTextsBytes atomic.Int64
)

const paramTextsBudget = 4 << 20

// sqliteParams returns query with its $N parameters written for SQLite
// (rewriteParams), from the cache when it was seen before.
func sqliteParams(query string) string {
	if strings.IndexByte(query, '$') < 0 {
		return query
	}
	if v, ok := paramTexts.Load(query); ok {
		return v.(string)
	}
	out := rewriteParams(query)
	if paramTextsBytes.Load() < paramTextsBudget {
		if _, loaded := paramTexts.LoadOrStore(query, out); !loaded {
			paramTextsBytes.Add(int64(len(query)))
		}
	}
	return out
}

// rewriteParams writes each parameter $N of query (outside string
// literals, quoted identifiers and comments) as ? when the numbers read
// 1, 2, 3… in the text's order, each once, and as ?N otherwise. It leaves
// the text as it is when the text has other parameters (?, ?N, :name,
// @name, $name, SQLite's $N(…) and $N::…), and writes ?N in a text of
// several statements (where each statement's ? would count from 1 again).
//
// long: one pass over the text in the tokenizer's states (a literal '…' or
// a quoted identifier "…", `…`, […]; a comment -- or /* */; elsewhere), noting
// where each $N is, then a second pass that writes the text anew.
func rewriteParams(query string) string {
	type mark struct{ at, end, n int }
	var marks []mark
	inOrder, several, ended := true, false, false
	for i := 0; i < len(query); {
		c := query[i]
		switch {
		case c == '\'' || c == '"' || c == '`' || c == '[':
			closer := c
			if c == '[' {
				closer = ']'
			}
			j := strings.IndexByte(query[i+1:], closer)
			if j < 0 {
				return query // unterminated: let SQLite say so
			}
			i += j + 2
			continue // a doubled quote ('') is two literals side by side here: same result
		case c == '-' && strings.HasPrefix(query[i:], "--"):
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				i = len(query)
			} else {
				i += j + 1
			}
			continue
		case c == '/' && strings.HasPrefix(query[i:], "/*"):
			j := strings.Index(query[i+2:], "*/")
			if j < 0 {
				i = len(query)
			} else {
				i += j + 4
			}
			continue
		case c == ';':
			ended = true
		case c == '?' || c == ':' || c == '@':
			if c != ':' || i+1 < len(query) && isIDChar(query[i+1]) {
				return query // another kind of parameter (a time's colon is in a literal)
			}
		case c == '$' && (i == 0 || !isIDChar(query[i-1])):
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			if j == i+1 || query[i+1] == '0' || j-i > 7 || j < len(query) && (isIDChar(query[j]) || query[j] == '(' || strings.HasPrefix(query[j:], "::")) {
				return query // $name, $0…, or SQLite's Tcl-style $N(…), $N::…
			}
			n, _ := strconv.Atoi(query[i+1 : j])
			marks = append(marks, mark{i, j, n})
			inOrder = inOrder && n == len(marks)
			several = several || ended
			i = j
			continue
		case ended && c != ' ' && c != '\t' && c != '\n' && c != '\r':
			several = true
		}
		i++
	}
	if len(marks) == 0 {
		return query
	}
	var b strings.Builder
	b.Grow(len(query))
	last := 0
	for _, m := range marks {
		b.WriteString(query[last:m.at])
		b.WriteByte('?')
		if !inOrder || several {
			b.WriteString(query[m.at+1 : m.end])
		}
		last = m.end
	}
	b.WriteString(query[last:])
	return b.String()
}

// isIDChar is SQLite's IdChar: a byte that continues an identifier (or a
// number), so that a $ after it is not a parameter.
func isIDChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}
