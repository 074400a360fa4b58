package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// sseBoard reads a conference's live board as a browser's EventSource
// does: it reconnects when the stream ends or the server is away, after
// the server's "retry:" delay, sending the last event id it saw.
type sseBoard struct {
	mu       sync.Mutex
	present  int
	events   int
	connects int // streams opened (answered 200)
	lastID   string
	// firsts is the present figure of each stream's first event: what a
	// client that (re)connects sees at once.
	firsts []int
	// hold, while set, keeps the client from reconnecting until it is
	// closed (a client away for a while).
	hold chan struct{}
}

func watchBoard(ctx context.Context, base, token string, confID int64) *sseBoard {
	b := &sseBoard{present: -1}
	hc := &http.Client{Transport: &http.Transport{}}
	go func() {
		retry := 500 * time.Millisecond // until the server says
		for ctx.Err() == nil {
			b.mu.Lock()
			hold := b.hold
			b.mu.Unlock()
			if hold != nil {
				select {
				case <-ctx.Done():
					return
				case <-hold:
				}
			}
			req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/conferences/%d/events", base, confID), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Accept", "text/event-stream")
			b.mu.Lock()
			if b.lastID != "" {
				req.Header.Set("Last-Event-ID", b.lastID)
			}
			b.mu.Unlock()
			resp, err := hc.Do(req)
			if err == nil {
				if resp.StatusCode == http.StatusOK {
					b.mu.Lock()
					b.connects++
					first := true
					b.mu.Unlock()
					sc := bufio.NewScanner(resp.Body)
					sc.Buffer(make([]byte, 1<<16), 1<<20)
					for sc.Scan() {
						line := sc.Text()
						switch {
						case strings.HasPrefix(line, "retry: "):
							if ms, err := strconv.Atoi(strings.TrimPrefix(line, "retry: ")); err == nil {
								retry = time.Duration(ms) * time.Millisecond
							}
						case strings.HasPrefix(line, "id: "):
							b.mu.Lock()
							b.lastID = strings.TrimPrefix(line, "id: ")
							b.mu.Unlock()
						case strings.HasPrefix(line, "data: "):
							var a struct {
								Total struct{ Present int } `json:"total"`
							}
							if json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &a) == nil {
								b.mu.Lock()
								b.present, b.events = a.Total.Present, b.events+1
								if first {
									b.firsts, first = append(b.firsts, a.Total.Present), false
								}
								b.mu.Unlock()
							}
						}
					}
				}
				resp.Body.Close()
			}
			select {
			case <-ctx.Done():
			case <-time.After(retry):
			}
		}
	}()
	return b
}

func (b *sseBoard) state() (present, connects int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.present, b.connects
}

// waitBoard waits (up to a generous bound, not a timing assertion) until
// the board shows present with at least connects streams opened.
func (b *sseBoard) wait(t *testing.T, step string, present, connects int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		p, c := b.state()
		if p == present && c >= connects {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the board shows %d present after %d streams, want %d after at least %d", step, p, c, present, connects)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestConferenceBoardSurvivesRestart: a live board (server-sent events,
// read by a client that reconnects as EventSource does) keeps working
// when the server stops and starts again on the same database and port,
// and catches up with check-ins made after the restart.
//
// The boards' periodic refresh is turned off on both of its servers
// (noBoardTick), so that what the board shows comes from the figures a
// stream starts with and from the pushes on each change.
func TestConferenceBoardSurvivesRestart(t *testing.T) {
	m := parallelDemo(t)
	noBoardTick(m)
	office := m.signIn(t, "vanphong")
	district, phuTuc := phuTucUnits(t, m)
	var c struct {
		ID int64 `json:"id"`
	}
	if st := office.do("POST", "/api/v1/conferences", map[string]any{"title": "Hội nghị trực tuyến (khởi động lại)", "starts_at": time.Now().Add(time.Hour).UTC(),
		"host_unit_id": district.ID, "audience": map[string]any{"unit_id": phuTuc.ID}}, &c); st != 201 {
		t.Fatalf("create: %d", st)
	}
	var ps []struct {
		ID int64 `json:"id"`
	}
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", c.ID), []map[string]any{{"unit_id": phuTuc.ID, "name": "Hội trường xã Phú Túc"}}, &ps); st != 201 || len(ps) != 1 {
		t.Fatalf("points: %d %+v", st, ps)
	}
	var roll listJSON[struct {
		MemberID int64 `json:"member_id"`
	}]
	if st := office.do("GET", fmt.Sprintf("/api/v1/conferences/%d/bridge-points/%d/roll?limit=3", c.ID, ps[0].ID), nil, &roll); st != 200 || len(roll.Items) < 3 {
		t.Fatalf("roll: %d %+v", st, roll)
	}
	checkin := func(cl *client, k int) {
		t.Helper()
		if st := cl.do("POST", fmt.Sprintf("/api/v1/conferences/%d/checkins", c.ID), map[string]any{"member_id": roll.Items[k].MemberID, "bridge_point_id": ps[0].ID}, nil); st != 201 {
			t.Fatalf("check-in %d: %d", k, st)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	board := watchBoard(ctx, "http://"+m.Addr, office.token, c.ID)
	board.wait(t, "opened", 0, 1)
	checkin(office, 0)
	board.wait(t, "a check-in before the restart", 1, 1)

	// Stop the server (its streams end) and start it again on the same
	// database and port.
	addr, flags := m.Addr, m.Flags
	hold := make(chan struct{})
	board.mu.Lock()
	board.hold = hold
	board.mu.Unlock()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m.server, m.App = nil, nil // closed: the test's cleanup has nothing left to close
	m2 := &Main{Flags: flags, Addr: addr}
	if err := m2.Run(context.Background()); err != nil {
		t.Fatalf("restart on %s: %v", addr, err)
	}
	t.Cleanup(func() { m2.Close() })
	noBoardTick(m2)
	if m2.Addr != addr {
		t.Fatalf("restarted on %s, want %s", m2.Addr, addr)
	}
	// A check-in after the restart, through the new server (the session
	// is in the database, so the same token works).
	again := &client{t: t, base: "http://" + m2.Addr, token: office.token}
	checkin(again, 1)
	// The client comes back after the check-in: the new stream's first
	// event already has it.
	board.mu.Lock()
	board.hold = nil
	board.mu.Unlock()
	close(hold)
	board.wait(t, "a check-in after the restart", 2, 2)
	// And the board goes on following the new server.
	checkin(again, 2)
	board.wait(t, "the next check-in", 3, 2)
	board.mu.Lock()
	firsts := board.firsts
	board.mu.Unlock()
	if len(firsts) != 2 || firsts[0] != 0 || firsts[1] != 2 {
		t.Errorf("the first event of each stream showed %v present, want [0 2] (the current figures at once)", firsts)
	}
}

// noBoardTick turns off the periodic refresh of m's conference boards (an
// hour: longer than any test), before any board of m has started.
func noBoardTick(m *Main) {
	m.App.Conferences.BoardTick = time.Hour
}
