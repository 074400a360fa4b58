package cli

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// testClock is a clock that stands still until the test moves it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// On moves the clock to 10:00 in Vietnam on day d (YYYY-MM-DD).
func (c *testClock) On(d string) {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t.Add(3 * time.Hour)
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// restartWith stops the running program's server (and its job runner when
// stopJobs), calls swap to put a clock into the services, and starts the
// server again, so that no request races with the swap.
func (m *Main) restartWith(swap func(), stopJobs bool) {
	if err := m.server.Shutdown(context.Background()); err != nil {
		panic(err)
	}
	if err := <-m.done; !errors.Is(err, http.ErrServerClosed) {
		panic(err)
	}
	if stopJobs {
		if err := m.App.Runner.Stop(context.Background()); err != nil {
			panic(err)
		}
	}
	swap()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	m.ln, m.Addr = ln, ln.Addr().String()
	m.server = &http.Server{Handler: m.App.Web.Handler(), ReadHeaderTimeout: 10 * time.Second}
	m.done = make(chan error, 1)
	go func() { m.done <- m.server.Serve(ln) }()
}
