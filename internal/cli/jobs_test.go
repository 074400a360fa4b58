package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/mail"
	"github.com/sotay-vn/sotay/internal/store"
	"github.com/sotay-vn/sotay/internal/testpg"
)

// mailbox is a real SMTP server (go-smtp) on 127.0.0.1 that keeps the
// messages it receives in memory.
type mailbox struct {
	addr string
	mu   sync.Mutex
	msgs []smtpMessage
}

type smtpMessage struct {
	from string
	to   []string
	data []byte
}

func startMailbox(t *testing.T) *mailbox {
	t.Helper()
	mb := &mailbox{}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{mb: mb}, nil }))
	s.Domain = "mail.test"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb.addr = ln.Addr().String()
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return mb
}

func (mb *mailbox) messages() []smtpMessage {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([]smtpMessage(nil), mb.msgs...)
}

type mailSession struct {
	mb  *mailbox
	cur smtpMessage
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error { s.cur.from = from; return nil }
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = b
	s.mb.mu.Lock()
	s.mb.msgs = append(s.mb.msgs, s.cur)
	s.mb.mu.Unlock()
	return nil
}
func (s *mailSession) Reset()        { s.cur = smtpMessage{} }
func (s *mailSession) Logout() error { return nil }

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	pollUntil(t, what, 20*time.Second, 20*time.Millisecond, cond)
}

// TestMailThroughJobQueue starts the real program with a mail server,
// queues e-mail the two ways modules do (a queue, and a store transaction)
// and reads the messages back from the server as a mail client would.
func TestMailThroughJobQueue(t *testing.T) {
	t.Parallel()
	mb := startMailbox(t)
	const from = "Văn phòng Huyện ủy Phú Xuyên <vanphong@phuxuyen.example.vn>"
	m := &Main{Flags: dbFlags{DB: "sqlite:" + filepath.Join(t.TempDir(), "t.db")}, Addr: "127.0.0.1:0",
		SMTP: mb.addr, MailFrom: from}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	ctx := context.Background()

	const subject = "Thông báo: Chỉ thị 24-CT/TU"
	text := "Kính gửi đồng chí Nguyễn Thị Hằng,\n\nĐề nghị chi bộ triển khai Chỉ thị 24-CT/TU về kỷ luật, kỷ cương trong giải quyết công việc trước ngày 30/11/2026.\n"
	html := "<p>Kính gửi đồng chí <b>Nguyễn Thị Hằng</b>,</p><p>Đề nghị chi bộ triển khai Chỉ thị 24-CT/TU.</p>"
	msg := mail.Message{To: []string{"Nguyễn Thị Hằng <hang@phutuc.example.vn>"}, Subject: subject, Text: text, HTML: html}
	for i, want := range []bool{true, false} {
		ok, err := mail.Enqueue(ctx, m.App.Jobs, msg, "notice:24-CT/TU:hang")
		if err != nil || ok != want {
			t.Fatalf("enqueue #%d: %v, %v; want %v", i+1, ok, err, want)
		}
	}
	eventually(t, "the message", func() bool { return len(mb.messages()) == 1 })
	got := mb.messages()[0]
	if got.from != "vanphong@phuxuyen.example.vn" || len(got.to) != 1 || got.to[0] != "hang@phutuc.example.vn" {
		t.Errorf("envelope: from %q to %q", got.from, got.to)
	}
	r, err := netmail.ReadMessage(bytes.NewReader(got.data))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	if s, err := dec.DecodeHeader(r.Header.Get("Subject")); err != nil || s != subject {
		t.Errorf("subject %q (%v), want %q", s, err, subject)
	}
	if a, err := netmail.ParseAddress(r.Header.Get("From")); err != nil || a.Name != "Văn phòng Huyện ủy Phú Xuyên" || a.Address != "vanphong@phuxuyen.example.vn" {
		t.Errorf("From %q: %+v, %v", r.Header.Get("From"), a, err)
	}
	if to, err := r.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Name != "Nguyễn Thị Hằng" || to[0].Address != "hang@phutuc.example.vn" {
		t.Errorf("To %q: %v, %v", r.Header.Get("To"), to, err)
	}
	job, err := store.Jobs{DB: m.App.DB}.ByKey(ctx, "notice:24-CT/TU:hang")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("<job-%d-", job.ID); !strings.HasPrefix(r.Header.Get("Message-ID"), want) {
		t.Errorf("Message-ID %q, want one derived from the job (%s…)", r.Header.Get("Message-ID"), want)
	}
	if _, err := r.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q", r.Header.Get("Content-Type"))
	}
	parts := map[string]string{}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		parts[strings.SplitN(p.Header.Get("Content-Type"), ";", 2)[0]] = string(b)
	}
	if parts["text/plain"] != strings.ReplaceAll(text, "\n", "\r\n") || parts["text/html"] != html || len(parts) != 2 {
		t.Errorf("parts: %q", parts)
	}
	eventually(t, "the job to be marked done", func() bool {
		j, err := store.Jobs{DB: m.App.DB}.ByKey(ctx, "notice:24-CT/TU:hang")
		return err == nil && j.DoneAt != nil && j.Attempts == 1
	})

	// Queued inside a store transaction: sent once the transaction commits.
	err = m.App.DB.Write(ctx, func(tx *store.Tx) error {
		_, err := mail.Enqueue(ctx, tx, mail.Message{To: []string{"an@phutuc.example.vn"}, Subject: "Họp chi bộ", Text: "Họp chi bộ lúc 8 giờ."}, "meeting:1:an")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the second message", func() bool { return len(mb.messages()) == 2 })
	if got := mb.messages()[1]; got.to[0] != "an@phutuc.example.vn" {
		t.Errorf("second message to %q", got.to)
	}
}

// eachDSN runs fn on a fresh SQLite file and, when there is a server, a
// fresh PostgreSQL database, both migrated.
func eachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "sqlite:"+filepath.Join(t.TempDir(), "t.db")) })
	t.Run("postgres", func(t *testing.T) {
		dsn := testpg.NewDatabase(t)
		if dsn == "" {
			t.Skip("no PostgreSQL: set SOTAY_TEST_POSTGRES or put initdb on PATH")
		}
		fn(t, dsn)
	})
}

func openMigrated(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

const helperEnv = "SOTAY_JOBS_HELPER_DSN"

// TestJobsKillHelper is the process that TestJobsSurviveKilledProcess
// kills: it claims the job, says so and hangs.
func TestJobsKillHelper(t *testing.T) {
	dsn := os.Getenv(helperEnv)
	if dsn == "" {
		t.Skip("helper process for TestJobsSurviveKilledProcess")
	}
	db, err := store.Open(context.Background(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	r := &jobs.Runner{Store: store.Jobs{DB: db}, Lease: time.Second, PollInterval: 50 * time.Millisecond, ID: "doomed"}
	r.Register("test.report", func(ctx context.Context, payload json.RawMessage) error {
		fmt.Println("running")
		select {} // hangs until killed, ignoring ctx
	})
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {}
}

// TestJobsSurviveKilledProcess kills (SIGKILL) a process in the middle of
// a job: nothing marks it done or gives it back. A new runner claims it
// once the dead one's lease has expired, and runs it exactly once more.
func TestJobsSurviveKilledProcess(t *testing.T) {
	t.Parallel()
	eachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openMigrated(t, dsn)
		q := &jobs.Queue{Store: store.Jobs{DB: db}}
		if ok, err := q.Enqueue(ctx, jobs.Job{Kind: "test.report", UniqueKey: "report:2026-11", Payload: map[string]string{"unit": "HN.PX"}}); !ok || err != nil {
			t.Fatalf("enqueue: %v, %v", ok, err)
		}

		cmd := exec.Command(os.Args[0], "-test.run=^TestJobsKillHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"="+dsn)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		running := make(chan struct{})
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if sc.Text() == "running" {
					close(running)
					break
				}
			}
			io.Copy(io.Discard, out)
		}()
		select {
		case <-running:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the helper never ran the job; its stderr:\n%s", stderr.String())
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()

		dead, err := store.Jobs{DB: db}.ByKey(ctx, "report:2026-11")
		if err != nil {
			t.Fatal(err)
		}
		if dead.LockedBy != "doomed" || dead.Attempts != 1 || dead.DoneAt != nil || dead.LockedUntil == nil {
			t.Fatalf("job after the kill: %+v, want held by the dead process", dead)
		}

		var runs atomic.Int32
		var ranAt atomic.Pointer[time.Time]
		r := &jobs.Runner{Store: store.Jobs{DB: db}, PollInterval: 50 * time.Millisecond, ID: "survivor"}
		r.Register("test.report", func(ctx context.Context, payload json.RawMessage) error {
			now := time.Now()
			ranAt.Store(&now)
			runs.Add(1)
			if string(payload) != `{"unit":"HN.PX"}` {
				return jobs.Permanent(errors.New("payload " + string(payload)))
			}
			return nil
		})
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the job to be done", func() bool {
			j, err := store.Jobs{DB: db}.ByKey(ctx, "report:2026-11")
			return err == nil && j.DoneAt != nil
		})
		if err := r.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		done, _ := store.Jobs{DB: db}.ByKey(ctx, "report:2026-11")
		if runs.Load() != 1 || done.Attempts != 2 || done.LockedBy != "survivor" || done.FailedAt != nil {
			t.Errorf("job: %+v after %d runs, want done once by the survivor on attempt 2", done, runs.Load())
		}
		if at := *ranAt.Load(); at.Before(*dead.LockedUntil) {
			t.Errorf("ran at %v, before the dead process's lease ended at %v", at, dead.LockedUntil)
		}
		if n, err := r.RunDue(ctx); n != 0 || err != nil {
			t.Errorf("a done job ran again: %d, %v", n, err)
		}
	})
}
