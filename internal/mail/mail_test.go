package mail

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/sotay-vn/sotay/internal/jobs"
)

const (
	subject = "Thông báo: Chỉ thị 24-CT/TU"
	text    = "Kính gửi các đồng chí,\n\nĐề nghị các chi bộ triển khai Chỉ thị 24-CT/TU về kỷ luật, kỷ cương trong giải quyết công việc.\n"
	html    = "<p>Kính gửi các đồng chí,</p><p>Đề nghị các chi bộ triển khai <b>Chỉ thị 24-CT/TU</b>.</p>"
)

// received is one message as a test SMTP server got it.
type received struct {
	From   string
	To     []string
	Data   []byte
	TLS    bool
	AuthAs string
}

// testServer is a real SMTP server (go-smtp) on 127.0.0.1 that keeps what
// it receives in memory.
type testServer struct {
	Addr string
	mu   sync.Mutex
	msgs []received
	// rejectRcpt makes RCPT TO fail with 550 for this address.
	rejectRcpt string
	password   string
}

func startServer(t *testing.T, tlsConfig *tls.Config, password string) *testServer {
	t.Helper()
	ts := &testServer{password: password}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		_, isTLS := c.TLSConnectionState()
		return &session{srv: ts, cur: received{TLS: isTLS}}, nil
	}))
	s.Domain = "mail.test"
	s.ErrorLog = log.New(io.Discard, "", 0)
	s.TLSConfig = tlsConfig
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.Addr = ln.Addr().String()
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return ts
}

func (ts *testServer) messages() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.msgs...)
}

type session struct {
	srv *testServer
	cur received
}

func (s *session) AuthMechanisms() []string {
	if s.srv.password == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if password != s.srv.password {
			return errors.New("bad password")
		}
		s.cur.AuthAs = username
		return nil
	}), nil
}

func (s *session) Mail(from string, opts *smtp.MailOptions) error {
	if s.srv.password != "" && s.cur.AuthAs == "" {
		return smtp.ErrAuthRequired
	}
	s.cur.From = from
	return nil
}

func (s *session) Rcpt(to string, opts *smtp.RcptOptions) error {
	if to == s.srv.rejectRcpt {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = b
	s.srv.mu.Lock()
	s.srv.msgs = append(s.srv.msgs, s.cur)
	s.srv.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = received{TLS: s.cur.TLS, AuthAs: s.cur.AuthAs} }
func (s *session) Logout() error { return nil }

// selfSigned returns a server certificate for 127.0.0.1 and a pool that
// trusts it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mail.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

// parsed is a message read back the way a mail client reads it.
type parsed struct {
	Subject, From, MessageID, Date string
	To                             []*mail.Address
	Parts                          map[string]string // content type → decoded body
}

func parseMessage(t *testing.T, data []byte) parsed {
	t.Helper()
	for i, c := range data {
		if c >= 0x80 {
			t.Fatalf("byte %d of the message is not 7-bit: %q", i, data[max(0, i-20):i+1])
		}
	}
	for _, line := range strings.Split(string(data), "\r\n") {
		// Body lines are quoted-printable (76); a header line holds at
		// most a name and one encoded word (75).
		if len(line) > 90 {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	var p parsed
	if p.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	from, err := mail.ParseAddress(msg.Header.Get("From"))
	if err != nil {
		t.Fatal(err)
	}
	p.From = from.String()
	if p.To, err = msg.Header.AddressList("To"); err != nil {
		t.Fatal(err)
	}
	p.MessageID, p.Date = msg.Header.Get("Message-ID"), msg.Header.Get("Date")
	if msg.Header.Get("MIME-Version") != "1.0" {
		t.Error("no MIME-Version")
	}
	p.Parts = map[string]string{}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		if msg.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
			t.Errorf("single part encoded as %q", msg.Header.Get("Content-Transfer-Encoding"))
		}
		b, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
		p.Parts[mt] = string(b)
		return p
	}
	if mt != "multipart/alternative" {
		t.Errorf("content type %s", mt)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, cp, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if cp["charset"] != "utf-8" {
			t.Errorf("part %s has charset %q", ct, cp["charset"])
		}
		b, _ := io.ReadAll(part)
		p.Parts[ct] = string(b)
	}
	return p
}

func TestCompose(t *testing.T) {
	s := &SMTP{Now: func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) }}
	from, _ := mail.ParseAddress("Văn phòng Huyện ủy <vanphong@phuxuyen.example.vn>")
	to, _ := Message{To: []string{"Nguyễn Thị Hằng <hang@example.vn>", "an@example.vn"}}.recipients()
	long := strings.Repeat("Đảng bộ xã Phú Túc triển khai nghị quyết. ", 20)
	data, err := s.compose(from, to, Message{Subject: subject + "\r\nBcc: spy@example.com", Text: text + long, HTML: html, ID: "job-7-abc"})
	if err != nil {
		t.Fatal(err)
	}
	p := parseMessage(t, data)
	if p.Subject != subject+" Bcc: spy@example.com" {
		t.Errorf("subject %q", p.Subject)
	}
	if bytes.Contains(data, []byte("\r\nBcc:")) {
		t.Error("a line break in the subject made a header")
	}
	if p.From != from.String() || len(p.To) != 2 || p.To[0].Name != "Nguyễn Thị Hằng" || p.To[1].Address != "an@example.vn" {
		t.Errorf("from %q, to %v", p.From, p.To)
	}
	if p.MessageID != "<job-7-abc@phuxuyen.example.vn>" || p.Date != "Fri, 20 Nov 2026 10:00:00 +0700" {
		t.Errorf("Message-ID %q, Date %q", p.MessageID, p.Date)
	}
	if got := p.Parts["text/plain"]; got != strings.ReplaceAll(text+long, "\n", "\r\n") {
		t.Errorf("text part %q", got)
	}
	if p.Parts["text/html"] != html {
		t.Errorf("html part %q", p.Parts["text/html"])
	}

	// One body: no multipart.
	data, err = s.compose(from, to[:1], Message{Subject: "Hello", HTML: html})
	if err != nil {
		t.Fatal(err)
	}
	if p := parseMessage(t, data); len(p.Parts) != 1 || p.Parts["text/html"] != html || !strings.HasSuffix(p.MessageID, "@phuxuyen.example.vn>") {
		t.Errorf("single part message: %+v", p)
	}
}

func TestValidate(t *testing.T) {
	for _, m := range []Message{
		{Text: "x"},
		{To: []string{"not an address"}, Text: "x"},
		{To: []string{"a@example.vn\r\nBcc: b@example.vn"}, Text: "x"},
		{To: []string{"a@example.vn"}},
		{To: []string{"a@example.vn"}, Text: "x", ID: "a@b"},
	} {
		if err := m.Validate(); err == nil {
			t.Errorf("%+v accepted", m)
		}
	}
	for _, bad := range [][2]string{{"", "a@example.vn"}, {"host:x", "a@example.vn"}, {"host:25", ""}, {"host:25", "nope"}} {
		if _, err := NewSMTP(bad[0], bad[1]); err == nil {
			t.Errorf("NewSMTP(%q, %q) accepted", bad[0], bad[1])
		}
	}
	if s, err := NewSMTP("mail.example.vn", "a@example.vn"); err != nil || s.Port != 25 {
		t.Errorf("NewSMTP without a port: %+v, %v", s, err)
	}
}

func TestSendSTARTTLSAndAuth(t *testing.T) {
	serverTLS, roots := selfSigned(t)
	srv := startServer(t, serverTLS, "mật khẩu")
	s, err := NewSMTP(srv.Addr, "Sổ tay <sotay@phuxuyen.example.vn>")
	if err != nil {
		t.Fatal(err)
	}
	s.Username, s.Password = "sotay", "mật khẩu"
	s.TLSConfig = &tls.Config{RootCAs: roots}
	ctx := context.Background()
	m := Message{To: []string{"Trần Văn Bình <binh@example.vn>"}, Subject: subject, Text: text, HTML: html}
	if err := s.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 1 || !got[0].TLS || got[0].AuthAs != "sotay" || got[0].From != "sotay@phuxuyen.example.vn" ||
		len(got[0].To) != 1 || got[0].To[0] != "binh@example.vn" {
		t.Fatalf("server got %+v", got)
	}
	if p := parseMessage(t, got[0].Data); p.Subject != subject || p.Parts["text/html"] != html {
		t.Errorf("message read back: %+v", p)
	}

	// A certificate the client does not trust is an error, never a silent
	// fallback to plain text.
	s.TLSConfig = nil
	var se *SendError
	if err := s.Send(ctx, m); !errors.As(err, &se) || se.Stage != "starttls" {
		t.Errorf("untrusted certificate: %v, want a starttls error", err)
	}
	// A wrong password is retried (the configuration may be fixed), not failed for good.
	s.TLSConfig, s.Password = &tls.Config{RootCAs: roots}, "sai"
	err = Handler(s)(ctx, mustJSON(t, m))
	if !errors.As(err, &se) || se.Stage != "auth" || jobs.IsPermanent(err) {
		t.Errorf("wrong password: %v, want a temporary auth error", err)
	}
}

func TestHandlerPermanentErrors(t *testing.T) {
	srv := startServer(t, nil, "")
	srv.rejectRcpt = "nobody@example.vn"
	s, err := NewSMTP(srv.Addr, "sotay@phuxuyen.example.vn")
	if err != nil {
		t.Fatal(err)
	}
	h := Handler(s)
	ctx := context.Background()
	err = h(ctx, mustJSON(t, Message{To: []string{"nobody@example.vn"}, Subject: "x", Text: "x"}))
	var se *SendError
	if !jobs.IsPermanent(err) || !errors.As(err, &se) || se.Stage != "rcpt" || se.Addr != "nobody@example.vn" || !strings.Contains(err.Error(), "550") {
		t.Errorf("rejected recipient: %v, want a permanent rcpt error", err)
	}
	if err := h(ctx, json.RawMessage(`{"to": 5}`)); !jobs.IsPermanent(err) {
		t.Errorf("bad payload: %v, want permanent", err)
	}
	if err := h(ctx, mustJSON(t, Message{To: []string{"a@example.vn"}})); !jobs.IsPermanent(err) {
		t.Errorf("no body: %v, want permanent", err)
	}
	if err := h(ctx, mustJSON(t, Message{To: []string{"an@example.vn"}, Subject: "Chào", Text: "Xin chào"})); err != nil {
		t.Fatal(err)
	}
	if got := srv.messages(); len(got) != 1 || got[0].TLS {
		t.Errorf("server got %+v", got)
	}

	// A server that is down is a temporary error.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	down, _ := NewSMTP(addr, "sotay@phuxuyen.example.vn")
	err = Handler(down)(ctx, mustJSON(t, Message{To: []string{"an@example.vn"}, Text: "x"}))
	if !errors.As(err, &se) || se.Stage != "connect" || jobs.IsPermanent(err) {
		t.Errorf("server down: %v, want a temporary connect error", err)
	}
	// A cancelled context stops the conversation.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Send(cctx, Message{To: []string{"an@example.vn"}, Text: "x"}); err == nil {
		t.Error("sent with a cancelled context")
	}
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
