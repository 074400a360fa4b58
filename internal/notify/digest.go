package notify

import (
	"context"
	"encoding/json"
	"fmt"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/jobs"
	"github.com/sotay-vn/sotay/internal/mail"
)

// JobDigest is the kind of the daily digest job.
const JobDigest = "notify.digest"

// DigestPeriod is how often the digest goes out and how far back it looks.
// The job's slot starts at 00:00 UTC, which is 07:00 in Vietnam: the
// digest arrives at seven in the morning with the past 24 hours.
const DigestPeriod = 24 * time.Hour

// digestBatch is how many accounts one transaction of the digest covers.
const digestBatch = 200

// maxDigestItems bounds each list of one digest.
const maxDigestItems = 30

// DigestPayload is the payload of a digest job: the periodic job's Tick
// (Slot), or an explicit end of the period (Until) for a job queued by
// hand. Both zero means now.
type DigestPayload struct {
	Slot  time.Time `json:"slot"`
	Until time.Time `json:"until"`
}

// JobRunner is what RegisterJobs needs of a *jobs.Runner.
type JobRunner interface {
	Register(kind string, h jobs.Handler)
	Every(kind string, interval time.Duration)
}

// RegisterJobs registers the digest handler and schedules it daily.
func (s *Service) RegisterJobs(r JobRunner) {
	r.Register(JobDigest, s.digestHandler)
	r.Every(JobDigest, DigestPeriod)
}

func (s *Service) digestHandler(ctx context.Context, payload json.RawMessage) error {
	var p DigestPayload
	if len(payload) > 0 {
		if err := json.Unmarshal(payload, &p); err != nil {
			return jobs.Permanent(fmt.Errorf("digest: bad payload: %w", err))
		}
	}
	until := p.Until
	if until.IsZero() {
		until = p.Slot
	}
	if until.IsZero() {
		until = s.now()
	}
	_, err := s.Digest(ctx, until)
	return err
}

// DigestKey is the unique key of an account's digest of a day.
func DigestKey(accountID int64, day date.Date) string {
	return "digest:" + strconv.FormatInt(accountID, 10) + ":" + day.String()
}

// Digest queues the digest of the 24 hours before until for every account
// with an e-mail address and something unread in that period, batch by
// batch (each batch's messages in one transaction). The day of the digest
// is until's date in Vietnam, and each account's message has the unique
// key DigestKey(account, day): running Digest again for the same day
// queues nothing new. It returns how many messages it queued.
func (s *Service) Digest(ctx context.Context, until time.Time) (int, error) {
	until = until.UTC()
	since := until.Add(-DigestPeriod)
	day := date.Today(until)
	queued := 0
	var after int64
	for {
		accs, err := s.Store.DigestAccounts(ctx, after, digestBatch)
		if err != nil {
			return queued, err
		}
		var js []jobs.Job
		for _, a := range accs {
			after = a.AccountID
			d, err := s.collect(ctx, a, since, until)
			if err != nil {
				return queued, err
			}
			if len(d.Documents) == 0 && len(d.Notifications) == 0 {
				continue
			}
			m := Compose(d, s.BaseURL)
			if m.Validate() != nil {
				continue // a malformed address in a record: nothing to send to
			}
			js = append(js, mail.Job(m, DigestKey(a.AccountID, day)))
		}
		if len(js) > 0 {
			n, err := s.Store.EnqueueJobs(ctx, js)
			if err != nil {
				return queued, err
			}
			queued += n
		}
		if len(accs) < digestBatch {
			return queued, nil
		}
	}
}

// DigestContent is what one digest lists.
type DigestContent struct {
	Account DigestAccount
	// Day is the date of the digest in Vietnam.
	Day           date.Date
	Documents     []Item
	Notifications []Item
	// More counts items left out of each list.
	MoreDocuments, MoreNotifications int
}

// collect finds what an account's digest lists: unread items of the
// period, without the kinds it turned off.
func (s *Service) collect(ctx context.Context, a DigestAccount, since, until time.Time) (DigestContent, error) {
	d := DigestContent{Account: a, Day: date.Today(until)}
	r := a.Reader
	r.Since = since
	q := Query{Limit: maxDigestItems + 1, UnreadOnly: true, Since: since, Until: until}
	if !contains(a.DigestOff, NewDocument) {
		docs, err := s.Store.DerivedDocuments(ctx, r, q)
		if err != nil {
			return d, err
		}
		if len(docs) > maxDigestItems {
			d.MoreDocuments, docs = 1, docs[:maxDigestItems]
		}
		d.Documents = docs
	}
	q.Limit = 100
	ns, err := s.Store.Stored(ctx, r, q)
	if err != nil {
		return d, err
	}
	for _, n := range ns {
		if set := Setting(n.Kind); set != "" && contains(a.DigestOff, set) {
			continue
		}
		if len(d.Notifications) == maxDigestItems {
			d.MoreNotifications++
			continue
		}
		d.Notifications = append(d.Notifications, n)
	}
	return d, nil
}

// Compose writes the digest message (in Vietnamese, the language of the
// recipients) for d; links are prefixed with baseURL.
func Compose(d DigestContent, baseURL string) mail.Message {
	baseURL = strings.TrimRight(baseURL, "/")
	var parts []string
	if n := len(d.Documents); n > 0 {
		parts = append(parts, fmt.Sprintf("%d văn bản mới", n))
	}
	if n := len(d.Notifications); n > 0 {
		parts = append(parts, fmt.Sprintf("%d thông báo", n))
	}
	subject := "Sổ tay ngày " + d.Day.VN() + ": " + strings.Join(parts, ", ")
	name := d.Account.FullName
	if name == "" {
		name = d.Account.Username
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Kính gửi đồng chí %s,\n\n", name)
	fmt.Fprintf(&b, "Trong 24 giờ qua (đến 7 giờ sáng ngày %s) Sổ tay có những mục sau mà đồng chí chưa đọc.\n", d.Day.VN())
	if len(d.Documents) > 0 {
		fmt.Fprintf(&b, "\nVĂN BẢN MỚI (%d)\n", len(d.Documents))
		for _, it := range d.Documents {
			title := it.Title
			if it.Number != "" {
				title = "Số " + it.Number + ": " + title
			}
			fmt.Fprintf(&b, "\n- %s\n  %s\n", title, baseURL+it.Link)
		}
		if d.MoreDocuments > 0 {
			fmt.Fprintf(&b, "\n  … và các văn bản khác: %s\n", baseURL+"/van-ban")
		}
	}
	if len(d.Notifications) > 0 {
		fmt.Fprintf(&b, "\nTHÔNG BÁO (%d)\n", len(d.Notifications))
		for _, it := range d.Notifications {
			fmt.Fprintf(&b, "\n- %s\n", it.Title)
			if it.Body != "" {
				fmt.Fprintf(&b, "  %s\n", strings.ReplaceAll(it.Body, "\n", "\n  "))
			}
			if it.Link != "" {
				fmt.Fprintf(&b, "  %s\n", baseURL+it.Link)
			}
		}
		if d.MoreNotifications > 0 {
			fmt.Fprintf(&b, "\n  … và %d thông báo khác: %s\n", d.MoreNotifications, baseURL+"/thong-bao")
		}
	}
	fmt.Fprintf(&b, "\nMở Sổ tay: %s\n", baseURL+"/so-tay")
	fmt.Fprintf(&b, "Không muốn nhận thư này, hoặc chỉ muốn nhận một số loại thông báo? Đổi cài đặt tại %s\n", baseURL+"/thong-bao/cai-dat")
	to := (&netmail.Address{Name: d.Account.FullName, Address: d.Account.Email}).String()
	return mail.Message{To: []string{to}, Subject: subject, Text: b.String()}
}
