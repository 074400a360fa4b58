package conference

import (
	"context"
	"sync"
	"time"

	"github.com/sotay-vn/sotay/internal/auth"
)

// Changes carries "the attendance of conference N changed". Broker does it
// within one process; on PostgreSQL the store's LISTEN/NOTIFY feeds a
// Broker in every process, so that a board on any process sees every
// check-in (see docs/api.md "Conferences").
type Changes interface {
	Publish(confID int64)
	Subscribe(confID int64) (<-chan struct{}, func())
}

// Broker is the in-process Changes.
type Broker struct {
	mu   sync.Mutex
	subs map[int64]map[chan struct{}]struct{}
	// Forward, when set, is called instead of the local fan-out by Publish
	// (a NOTIFY that comes back through Deliver).
	Forward func(confID int64)
}

// NewBroker returns an empty broker.
func NewBroker() *Broker { return &Broker{subs: map[int64]map[chan struct{}]struct{}{}} }

// Publish tells the subscribers of a conference (or forwards).
func (b *Broker) Publish(confID int64) {
	if b.Forward != nil {
		b.Forward(confID)
		return
	}
	b.Deliver(confID)
}

// Deliver wakes every subscriber of a conference without blocking: a
// subscriber that has not yet taken the last wake-up keeps just one.
func (b *Broker) Deliver(confID int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs[confID] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// DeliverAll wakes the subscribers of every conference (changes may have
// been missed).
func (b *Broker) DeliverAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, subs := range b.subs {
		for ch := range subs {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}

// Subscribe returns a channel woken on each change, and its cancel.
func (b *Broker) Subscribe(confID int64) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	b.mu.Lock()
	if b.subs[confID] == nil {
		b.subs[confID] = map[chan struct{}]struct{}{}
	}
	b.subs[confID][ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		delete(b.subs[confID], ch)
		if len(b.subs[confID]) == 0 {
			delete(b.subs, confID)
		}
		b.mu.Unlock()
	}
}

// Board refresh: after a change the board waits BoardCoalesce for more
// before it reads the figures once for all its watchers; it also reads
// them every BoardTick (bridge points fall silent without a check-in).
var (
	BoardCoalesce = 100 * time.Millisecond
	BoardTick     = 10 * time.Second
)

// boards shares one reader of the figures among the watchers of a
// conference in this process.
type boards struct {
	mu sync.Mutex
	m  map[int64]*board
}

type board struct {
	watchers map[chan *Attendance]struct{}
	latest   *Attendance
	stop     func()
}

// Watch returns the board's figures now and then on every change, until
// ctx ends. Officers and the points' hosts may watch. The watchers of a
// conference in this process share one reader: a change costs one query
// however many boards are open.
func (s *Service) Watch(ctx context.Context, actor *auth.Actor, confID int64) (<-chan *Attendance, error) {
	first, err := s.Attendance(ctx, actor, confID)
	if err != nil {
		return nil, err
	}
	ch := make(chan *Attendance, 1)
	ch <- first
	s.boards.join(s, confID, ch)
	go func() {
		select {
		case <-ctx.Done():
		case <-s.stopping():
		}
		// Out of the board first (under its lock), so nothing sends on
		// the channel once it is closed.
		s.boards.leave(confID, ch)
		close(ch)
	}()
	return ch, nil
}

func (s *Service) stopping() <-chan struct{} {
	s.stopOnce.Do(func() { s.stop = make(chan struct{}) })
	return s.stop
}

// Shutdown ends every watch (the event streams end, so that a server
// shutting down does not wait for the boards; they reconnect to the next
// server and catch up).
func (s *Service) Shutdown() {
	s.stopping()
	s.shutOnce.Do(func() { close(s.stop) })
}

func (bs *boards) join(s *Service, confID int64, ch chan *Attendance) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if bs.m == nil {
		bs.m = map[int64]*board{}
	}
	b := bs.m[confID]
	if b == nil {
		wake, cancel := s.changes().Subscribe(confID)
		done := make(chan struct{})
		b = &board{watchers: map[chan *Attendance]struct{}{}, stop: func() { cancel(); close(done) }}
		bs.m[confID] = b
		go s.runBoard(confID, wake, done)
	}
	b.watchers[ch] = struct{}{}
}

func (bs *boards) leave(confID int64, ch chan *Attendance) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	b := bs.m[confID]
	if b == nil {
		return
	}
	delete(b.watchers, ch)
	if len(b.watchers) == 0 {
		b.stop()
		delete(bs.m, confID)
	}
}

// send gives every watcher the newest figures, replacing any they have
// not taken yet (a slow screen skips to the latest, never blocks).
func (bs *boards) send(confID int64, a *Attendance) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	b := bs.m[confID]
	if b == nil {
		return
	}
	b.latest = a
	for ch := range b.watchers {
		select {
		case ch <- a:
		default:
			select {
			case <-ch:
			default:
			}
			select {
			case ch <- a:
			default:
			}
		}
	}
}

func (s *Service) runBoard(confID int64, wake <-chan struct{}, done <-chan struct{}) {
	tick := BoardTick
	if s.BoardTick != 0 {
		tick = s.BoardTick
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-wake:
			select {
			case <-done:
				return
			case <-time.After(BoardCoalesce):
			}
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		a, err := s.attendance(ctx, confID)
		cancel()
		if err == nil {
			s.boards.send(confID, a)
		}
	}
}
