package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/testpg"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testpg.Stop()
	os.Exit(code)
}

// startDemo runs the real program on a fresh SQLite database with the demo
// district loaded, and stops it when the test ends.
func startDemo(t testing.TB) *Main {
	t.Helper()
	m := &Main{Flags: dbFlags{DB: "sqlite:" + filepath.Join(t.TempDir(), "t.db")}, Addr: "127.0.0.1:0", Demo: true}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// client is a small JSON API client for scenario tests.
type client struct {
	t     testing.TB
	base  string
	token string
}

func (m *Main) client(t testing.TB) *client { return &client{t: t, base: "http://" + m.Addr} }

// signIn returns a client signed in as username with the demo password.
func (m *Main) signIn(t testing.TB, username string) *client {
	t.Helper()
	c := m.client(t)
	var out struct{ Token string }
	if st := c.do("POST", "/api/v1/session", map[string]string{"username": username, "password": demoPassword()}, &out); st != 200 {
		t.Fatalf("sign in %s: status %d", username, st)
	}
	c.token = out.Token
	return c
}

// do sends a JSON request and decodes the JSON answer into out (if not nil).
func (c *client) do(method, path string, body any, out any, headers ...string) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.send(req, out)
}

func (c *client) send(req *http.Request, out any) int {
	c.t.Helper()
	if c.token != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if p, ok := out.(*[]byte); ok {
			*p = b
		} else if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: status %d, body not JSON: %v: %.300s", req.Method, req.URL.Path, resp.StatusCode, err, b)
		}
	}
	return resp.StatusCode
}
