// Package mail sends e-mail. Modules do not send mail directly: they
// enqueue a "mail.send" job (Job, or Enqueue), in the same transaction as
// the change it reports when there is one, and the job runner hands it to
// the configured Sender — so a message is not lost when the process stops
// or the mail server is down, and is retried with backoff.
package mail

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"net/textproto"
	"strings"

	"github.com/sotay-vn/sotay/internal/jobs"
)

// JobKind is the kind of the jobs that send e-mail.
const JobKind = "mail.send"

// Message is one e-mail. It is also the payload of a "mail.send" job.
type Message struct {
	// To are the recipients: "a@example.vn" or "Nguyễn Văn An <a@example.vn>".
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	// Text and HTML are the two forms of the body; at least one is needed.
	// With both, the message is multipart/alternative.
	Text string `json:"text,omitempty"`
	HTML string `json:"html,omitempty"`
	// ID, when set, is the local part of the Message-ID, so that a message
	// sent twice (a retried job) has the same Message-ID and mail clients
	// show it once. The job handler sets it from the job.
	ID string `json:"id,omitempty"`
}

// Sender sends e-mail.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Validate checks the recipients and that there is a body.
func (m Message) Validate() error {
	_, err := m.recipients()
	if err != nil {
		return err
	}
	if m.Text == "" && m.HTML == "" {
		return errors.New("mail: the message has no body")
	}
	if strings.ContainsAny(m.ID, "<>@\r\n \t") {
		return fmt.Errorf("mail: bad message ID %q", m.ID)
	}
	return nil
}

func (m Message) recipients() ([]*mail.Address, error) {
	if len(m.To) == 0 {
		return nil, errors.New("mail: the message has no recipient")
	}
	out := make([]*mail.Address, 0, len(m.To))
	for _, to := range m.To {
		a, err := parseAddress(to)
		if err != nil {
			return nil, fmt.Errorf("mail: recipient %q: %w", to, err)
		}
		out = append(out, a)
	}
	return out, nil
}

func parseAddress(s string) (*mail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("line break in an address")
	}
	return mail.ParseAddress(s)
}

// Job returns the job that sends m. uniqueKey names the event the message
// is about ("task.overdue:123:2026-11-20"), so that the message is queued
// once however often the event is seen; "" for none.
func Job(m Message, uniqueKey string) jobs.Job {
	return jobs.Job{Kind: JobKind, Payload: m, UniqueKey: uniqueKey}
}

// Enqueue validates m and queues it for sending; see Job. q is a
// *jobs.Queue, or a store transaction to queue it atomically with a change.
func Enqueue(ctx context.Context, q jobs.Enqueuer, m Message, uniqueKey string) (bool, error) {
	if err := m.Validate(); err != nil {
		return false, err
	}
	return q.Enqueue(ctx, Job(m, uniqueKey))
}

// Handler is the "mail.send" job handler: it sends the job's message with
// s. A message that cannot be read, and a permanent refusal of a recipient
// or of the message by the server (5xx to RCPT or DATA), fail the job at
// once; other errors (connection, TLS, authentication, 4xx) are retried
// with backoff, so a fixed configuration still delivers. The Message-ID
// is derived from the job, so a retried send is recognisably the same
// message.
func Handler(s Sender) jobs.Handler {
	return func(ctx context.Context, payload json.RawMessage) error {
		var m Message
		if err := json.Unmarshal(payload, &m); err != nil {
			return jobs.Permanent(fmt.Errorf("mail: bad payload: %w", err))
		}
		if m.ID == "" {
			if c, ok := jobs.Current(ctx); ok {
				sum := sha256.Sum256(payload)
				m.ID = fmt.Sprintf("job-%d-%s", c.ID, hex.EncodeToString(sum[:6]))
			}
		}
		if err := m.Validate(); err != nil {
			return jobs.Permanent(err)
		}
		err := s.Send(ctx, m)
		if err != nil && permanentSMTP(err) {
			return jobs.Permanent(err)
		}
		return err
	}
}

// permanentSMTP reports whether the server refused a recipient or the
// message for good.
func permanentSMTP(err error) bool {
	var se *SendError
	if !errors.As(err, &se) || (se.Stage != "rcpt" && se.Stage != "data") {
		return false
	}
	var tp *textproto.Error
	return errors.As(err, &tp) && tp.Code >= 500 && tp.Code < 600
}

// SendError is an SMTP failure and the stage of the conversation where it
// happened: "connect", "hello", "starttls", "auth", "mail", "rcpt",
// "data" or "quit".
type SendError struct {
	Stage string
	Addr  string // the recipient, at the "rcpt" stage
	Err   error
}

func (e *SendError) Error() string {
	if e.Addr != "" {
		return fmt.Sprintf("smtp %s %s: %v", e.Stage, e.Addr, e.Err)
	}
	return fmt.Sprintf("smtp %s: %v", e.Stage, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }
