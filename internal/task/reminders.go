package task

import (
	"context"
	"encoding/json"
	"fmt"
	netmail "net/mail"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/mail"
)

// Reminders, through the durable job queue. The periodic "task.remind" job
// writes in-app notifications and queues e-mail for three events of every
// running task:
//
//	reminder:due       the due date is at most RemindBefore working days away: to the holder
//	reminder:overdue   the due date has passed: to the holder
//	reminder:superior  the task is more than SuperiorAfter working days overdue: to the
//	                   head of the unit above the holder
//
// The holder is the holder member when the task has one; otherwise every
// account with an office, committee or cell officer role on the holder
// unit. Each notification carries an event key naming the event, the due
// date and the recipient ("reminder:due:task:123:2026-11-20:m:77"): the
// notifications table keeps it unique, so a reminder is written once
// however often the job runs, and the e-mail job is queued with the same
// key ("mail:" + key) in the same transaction, so it is queued once too.
// An extension (a new due date) is a new event. Overdue reminders look
// back ReminderWindowDays at most. E-mail goes to the
// member's address (the account's member for account recipients) when it
// has one.

// ReminderWindowDays bounds the overdue reminders to tasks that fell due
// in the last so many days: the job runs hourly, so each overdue task is
// reminded the day it falls due; only after a longer stop of every app node
// would older ones go unreminded (their flags and the board still show them).
const ReminderWindowDays = 30

// Job kinds.
const (
	JobScan   = "task.scan"
	JobRemind = "task.remind"
)

// ReminderRequest is one reminder pass.
type ReminderRequest struct {
	Now   time.Time
	Today date.Date
	// SoonUntil: running tasks due from Today through SoonUntil are due soon.
	SoonUntil date.Date
	// SuperiorBefore: running tasks due before it go to the superior.
	SuperiorBefore date.Date
	// RecentSince bounds the overdue events to due dates from it on, so a
	// pass reads the tasks that fell due lately, not the whole backlog.
	RecentSince date.Date
	// LinkPrefix is the path of a task's page without its id.
	LinkPrefix string
}

// TaskLinkPrefix is where a task's page lives in the web UI.
const TaskLinkPrefix = "/cong-viec/"

// Notification is one in-app message as a reminder pass wrote it (the
// inbox itself is internal/notify's).
type Notification struct {
	ID        int64      `json:"id"`
	AccountID *int64     `json:"account_id"`
	MemberID  *int64     `json:"member_id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
	// For e-mail: the key of the event, and the recipient's name and address.
	EventKey string `json:"-"`
	Name     string `json:"-"`
	Email    string `json:"-"`
}

// Remind writes the reminders that are due now (see above). It returns
// how many notifications it wrote.
func (s *Service) Remind(ctx context.Context) (int, error) {
	cal, err := s.calendar(ctx)
	if err != nil {
		return 0, err
	}
	before, after := s.RemindBefore, s.SuperiorAfter
	if before <= 0 {
		before = DefaultRemindBefore
	}
	if after <= 0 {
		after = DefaultSuperiorAfter
	}
	now := s.now().UTC()
	today := date.Today(now)
	req := ReminderRequest{Now: now, Today: today, SoonUntil: cal.AddWorkdays(today, before),
		SuperiorBefore: OverdueCutoff(cal, today, after), RecentSince: today.AddDays(-ReminderWindowDays), LinkPrefix: TaskLinkPrefix}
	return s.Store.Reminders(ctx, req, queueMail)
}

// queueMail queues one e-mail per notification whose recipient has an
// address, inside the transaction that wrote the notifications.
func queueMail(ctx context.Context, q jobs.Enqueuer, ns []Notification) error {
	for _, n := range ns {
		if n.Email == "" {
			continue
		}
		to := (&netmail.Address{Name: n.Name, Address: n.Email}).String()
		m := mail.Message{To: []string{to}, Subject: n.Title,
			Text: fmt.Sprintf("%s\n\n%s\n\nSổ tay: %s\n", n.Title, n.Body, n.Link)}
		if m.Validate() != nil {
			continue // a malformed address in a record: the in-app notice stays
		}
		if _, err := mail.Enqueue(ctx, q, m, "mail:"+n.EventKey); err != nil {
			return err
		}
	}
	return nil
}

// JobRunner is what RegisterJobs needs of a *jobs.Runner.
type JobRunner interface {
	Register(kind string, h jobs.Handler)
	Every(kind string, interval time.Duration)
}

// RegisterJobs registers the scan and reminder handlers and schedules both
// every interval (0: hourly). The jobs are durable: a slot's job is
// created once for all app nodes and retried when it fails.
func (s *Service) RegisterJobs(r JobRunner, interval time.Duration) {
	if interval <= 0 {
		interval = time.Hour
	}
	r.Register(JobScan, func(ctx context.Context, _ json.RawMessage) error {
		_, err := s.Scan(ctx)
		return err
	})
	r.Register(JobRemind, func(ctx context.Context, _ json.RawMessage) error {
		_, err := s.Remind(ctx)
		return err
	})
	r.Every(JobScan, interval)
	r.Every(JobRemind, interval)
}
