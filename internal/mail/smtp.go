package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SMTP sends e-mail through an SMTP server: a relay, or a provider's
// submission port. It uses STARTTLS whenever the server offers it (and
// then verifies the server's certificate), implicit TLS on port 465, and
// authenticates (PLAIN or LOGIN) when Username is set — which net/smtp
// allows only over TLS or to localhost, so a password never crosses the
// network in clear.
type SMTP struct {
	Host string
	Port int // 0: 25
	// From is the sender, e.g. "Sổ tay Huyện ủy <sotay@phuxuyen.example.vn>".
	From     string
	Username string // optional
	Password string
	// HelloName is the name given in EHLO (empty: this machine's host name).
	HelloName string
	// TLSConfig is used for STARTTLS and port 465 (nil: verify Host
	// against the system's roots).
	TLSConfig *tls.Config
	// Timeout bounds one message's whole conversation (0: one minute).
	Timeout time.Duration
	// Now is the clock for the Date header (nil: time.Now).
	Now func() time.Time
}

// NewSMTP returns a sender for the server at hostport ("host:port", or
// "host" for port 25) sending as from.
func NewSMTP(hostport, from string) (*SMTP, error) {
	host, portText, err := net.SplitHostPort(hostport)
	if err != nil {
		host, portText = hostport, "25"
	}
	port, err := strconv.Atoi(portText)
	if host == "" || err != nil || port <= 0 || port > 65535 {
		return nil, fmt.Errorf("mail server %q: want host:port", hostport)
	}
	if from == "" {
		return nil, errors.New("the sender's address (--mail-from) is required to send mail")
	}
	if _, err := parseAddress(from); err != nil {
		return nil, fmt.Errorf("sender address %q: %w", from, err)
	}
	return &SMTP{Host: host, Port: port, From: from}, nil
}

func (s *SMTP) port() int {
	if s.Port == 0 {
		return 25
	}
	return s.Port
}

func (s *SMTP) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		c := s.TLSConfig.Clone()
		if c.ServerName == "" {
			c.ServerName = s.Host
		}
		return c
	}
	return &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
}

func (s *SMTP) helloName() string {
	if s.HelloName != "" {
		return s.HelloName
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "localhost"
}

// Send delivers m to the server. It returns a *SendError naming the stage
// of the conversation that failed.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	from, err := parseAddress(s.From)
	if err != nil {
		return fmt.Errorf("mail: sender %q: %w", s.From, err)
	}
	to, err := m.recipients()
	if err != nil {
		return err
	}
	data, err := s.compose(from, to, m)
	if err != nil {
		return err
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err = s.converse(ctx, from, to, data)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("%w (%v)", err, context.Cause(ctx))
	}
	return err
}

func (s *SMTP) converse(ctx context.Context, from *mail.Address, to []*mail.Address, data []byte) error {
	fail := func(stage string, err error) error { return &SendError{Stage: stage, Err: err} }
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(s.Host, strconv.Itoa(s.port())))
	if err != nil {
		return fail("connect", err)
	}
	defer conn.Close()
	// net/smtp knows no contexts: the deadline bounds every read and
	// write, and cancelling ctx makes the pending one fail at once.
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	implicitTLS := s.port() == 465
	if implicitTLS {
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return fail("connect", err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		return fail("connect", err)
	}
	defer c.Close()
	if err := c.Hello(s.helloName()); err != nil {
		return fail("hello", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok && !implicitTLS {
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fail("starttls", err)
		}
	}
	if s.Username != "" {
		ok, mechs := c.Extension("AUTH")
		if !ok {
			return fail("auth", errors.New("the server offers no authentication"))
		}
		var a smtp.Auth
		switch fields := strings.Fields(strings.ToUpper(mechs)); {
		case slices.Contains(fields, "PLAIN"):
			a = smtp.PlainAuth("", s.Username, s.Password, s.Host)
		case slices.Contains(fields, "LOGIN"):
			a = &loginAuth{user: s.Username, pass: s.Password, host: s.Host}
		default:
			return fail("auth", fmt.Errorf("the server offers %q; sotay speaks PLAIN and LOGIN", mechs))
		}
		if err := c.Auth(a); err != nil {
			return fail("auth", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fail("mail", err)
	}
	for _, r := range to {
		if err := c.Rcpt(r.Address); err != nil {
			return &SendError{Stage: "rcpt", Addr: r.Address, Err: err}
		}
	}
	w, err := c.Data()
	if err != nil {
		return fail("data", err)
	}
	if _, err := w.Write(data); err != nil {
		return fail("data", err)
	}
	if err := w.Close(); err != nil {
		return fail("data", err)
	}
	// The server has accepted the message; a failed QUIT changes nothing
	// and must not make the job send it again.
	_ = c.Quit()
	return nil
}

// loginAuth is the LOGIN mechanism, which some servers offer instead of
// PLAIN. Like net/smtp's PlainAuth it refuses to send the password over a
// connection that is neither TLS nor to localhost.
type loginAuth struct{ user, pass, host string }

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLocalhost(server.Name) {
		return "", nil, errors.New("unencrypted connection")
	}
	if server.Name != a.host {
		return "", nil, errors.New("wrong host name")
	}
	return "LOGIN", nil, nil
}

func (a *loginAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch q := strings.ToLower(string(fromServer)); {
	case strings.HasPrefix(q, "user"):
		return []byte(a.user), nil
	case strings.HasPrefix(q, "pass"):
		return []byte(a.pass), nil
	}
	return nil, fmt.Errorf("unexpected LOGIN challenge %q", fromServer)
}

func isLocalhost(name string) bool {
	return name == "localhost" || name == "127.0.0.1" || name == "::1"
}

// vietnam is the zone of the Date header (Asia/Ho_Chi_Minh has no DST).
var vietnam = time.FixedZone("+07", 7*3600)

// compose writes the message in 7-bit MIME: the subject and display names
// as RFC 2047 encoded words, the bodies as UTF-8 quoted-printable, text and
// HTML together as multipart/alternative.
func (s *SMTP) compose(from *mail.Address, to []*mail.Address, m Message) ([]byte, error) {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	header := func(name, value string) { b.WriteString(fold(name+": "+value) + "\r\n") }
	header("From", from.String())
	tos := make([]string, len(to))
	for i, a := range to {
		tos[i] = a.String()
	}
	header("To", strings.Join(tos, ", "))
	header("Subject", encodeHeader(m.Subject))
	header("Date", now.In(vietnam).Format(time.RFC1123Z))
	header("Message-ID", "<"+messageID(m.ID)+"@"+domainOf(from.Address)+">")
	header("MIME-Version", "1.0")
	if m.Text != "" && m.HTML != "" {
		header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
		b.WriteString("\r\n")
		for _, p := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
			pw, err := mw.CreatePart(textproto.MIMEHeader{
				"Content-Type":              {p.typ + "; charset=utf-8"},
				"Content-Transfer-Encoding": {"quoted-printable"},
			})
			if err != nil {
				return nil, err
			}
			if err := writeQP(pw, p.body); err != nil {
				return nil, err
			}
		}
		if err := mw.Close(); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	typ, body := "text/plain", m.Text
	if m.Text == "" {
		typ, body = "text/html", m.HTML
	}
	header("Content-Type", typ+"; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	if err := writeQP(&b, body); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// encodeHeader encodes a header value as RFC 2047 Q-encoded words when it
// is not plain ASCII, folding the line between words. Line breaks in the
// value become spaces, so nothing can be smuggled in as another header.
func encodeHeader(v string) string {
	v = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(v)
	return mime.QEncoding.Encode("utf-8", v)
}

// fold breaks a header line at spaces so that its lines stay within 78
// characters where the words allow (RFC 5322 2.2.3); an encoded word is
// at most 75 characters, so no line comes near the hard limit of 998.
func fold(line string) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Split(line, " ") {
		if i > 0 {
			if n+1+len(w) > 78 {
				b.WriteString("\r\n")
				n = 0
			}
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

func writeQP(w io.Writer, body string) error {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	qp := quotedprintable.NewWriter(w)
	if _, err := io.WriteString(qp, body); err != nil {
		return err
	}
	return qp.Close()
}

func messageID(id string) string {
	if id != "" {
		return id
	}
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i+1 < len(addr) {
		return addr[i+1:]
	}
	return "sotay.invalid"
}
