package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/sotay-vn/sotay/internal/demo"
	"github.com/sotay-vn/sotay/internal/mail"
)

// Main is the server program, so that tests can start the real thing:
// set the fields, call Run, use Addr, then Close.
type Main struct {
	Flags dbFlags
	Addr  string // listen address; after Run, the actual address
	Demo  bool
	// BehindProxy: a TLS-terminating reverse proxy on this machine forwards
	// requests; cookies are marked Secure and X-Forwarded-For is believed
	// when the request comes from a loopback address.
	BehindProxy bool
	// TrustedProxies are load balancers on other machines whose
	// X-Forwarded-For is believed (--trusted-proxies); they imply
	// BehindProxy.
	TrustedProxies []netip.Prefix
	Out            io.Writer
	Log            *slog.Logger
	App            *App
	server         *http.Server
	ln             net.Listener
	done           chan error

	// SMTP is the mail server (host:port); empty: e-mail jobs wait in the
	// queue until a node with a mail server runs them.
	SMTP         string
	MailFrom     string
	SMTPUsername string
	SMTPPassword string
}

// Run opens the database, loads the demo when asked and the database is
// empty, and starts serving in the background.
func (m *Main) Run(ctx context.Context) error {
	if m.Log == nil {
		m.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if m.Out == nil {
		m.Out = io.Discard
	}
	a, err := openApp(ctx, m.Flags, m.Log)
	if err != nil {
		return err
	}
	m.App = a
	if err := importLegacyFiles(ctx, a, m.Flags, m.Log); err != nil {
		a.Close()
		return err
	}
	if m.SMTP != "" {
		sender, err := mail.NewSMTP(m.SMTP, m.MailFrom)
		if err != nil {
			a.Close()
			return err
		}
		sender.Username, sender.Password, sender.Now = m.SMTPUsername, m.SMTPPassword, a.DB.Now
		a.Runner.Register(mail.JobKind, mail.Handler(sender))
		m.Log.Info("e-mail goes through " + m.SMTP)
	} else {
		m.Log.Info("no mail server (--smtp): e-mail waits in the job queue")
	}
	if m.Demo {
		if err := m.demo(ctx); err != nil {
			a.Close()
			return err
		}
	}
	ln, err := net.Listen("tcp", m.Addr)
	if err != nil {
		a.Close()
		return err
	}
	m.ln, m.Addr = ln, ln.Addr().String()
	a.Web.Secure, a.Web.TrustProxy = m.BehindProxy, m.BehindProxy
	if len(m.TrustedProxies) > 0 {
		// A balancer on other machines terminates TLS for several processes.
		a.Web.Secure, a.Web.TrustProxy, a.Web.TrustedProxies = true, true, m.TrustedProxies
	}
	m.server = &http.Server{Handler: a.Web.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn)}
	m.server.RegisterOnShutdown(a.Conferences.Shutdown) // the live boards' streams end
	m.done = make(chan error, 1)
	go func() { m.done <- m.server.Serve(ln) }()
	if err := a.Runner.Start(ctx); err != nil {
		m.Close()
		return err
	}
	a.listen(context.WithoutCancel(ctx), m.Log)
	// On PostgreSQL: link the audit entries other processes (or this one,
	// killed before) left pending, then those this process writes.
	a.DB.StartAuditChainer(m.Log)
	return nil
}

func (m *Main) demo(ctx context.Context) error {
	empty, err := m.App.DB.IsEmpty(ctx)
	if err != nil {
		return err
	}
	var accounts []demo.Account
	if empty {
		fmt.Fprintln(m.Out, "Loading the demo district (Huyện ủy Phú Xuyên)…")
		sum, err := m.App.loadDemo(ctx, "district", 1, m.Out)
		if err != nil {
			return err
		}
		accounts = sum.Accounts
	} else {
		if accounts, err = demoAccounts(); err != nil {
			return err
		}
	}
	printAccounts(m.Out, accounts)
	return nil
}

// demoAccounts lists the demo district's accounts when the demo is already
// loaded. Listing them means generating the district again (in memory), so
// a process does it once.
var demoAccounts = sync.OnceValues(func() ([]demo.Account, error) {
	sum, err := demo.Generate(demo.Options{Scale: "district", Seed: 1}, discard{})
	return sum.Accounts, err
})

// Close shuts the server down gracefully and closes the database.
func (m *Main) Close() error {
	var err error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = m.server.Shutdown(ctx)
		if e := <-m.done; e != nil && !errors.Is(e, http.ErrServerClosed) {
			err = errors.Join(err, e)
		}
	}
	if m.App != nil && m.App.Runner != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = errors.Join(err, m.App.Runner.Stop(ctx))
	}
	if m.App != nil {
		err = errors.Join(err, m.App.Close())
	}
	return err
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	m := &Main{Out: stdout, Log: log}
	fs := newFlags("serve", stderr, &m.Flags)
	fs.StringVar(&m.Addr, "addr", envOr("SOTAY_ADDR", "127.0.0.1:8080"), "listen address")
	fs.BoolVar(&m.Demo, "demo", false, "load the demo district into an empty database")
	fs.BoolVar(&m.BehindProxy, "behind-proxy", envOr("SOTAY_BEHIND_PROXY", "") != "", "served through a TLS reverse proxy on this machine: Secure cookies, client address from X-Forwarded-For")
	fs.Func("trusted-proxies", "comma-separated addresses or CIDR ranges of the load balancers in front of several processes (SOTAY_TRUSTED_PROXIES); implies --behind-proxy for them", func(v string) error {
		ps, err := parsePrefixes(v)
		m.TrustedProxies = ps
		return err
	})
	if v := os.Getenv("SOTAY_TRUSTED_PROXIES"); v != "" {
		ps, err := parsePrefixes(v)
		if err != nil {
			return fmt.Errorf("SOTAY_TRUSTED_PROXIES: %w", err)
		}
		m.TrustedProxies = ps
	}
	fs.StringVar(&m.SMTP, "smtp", envOr("SOTAY_SMTP", ""), "mail server host:port for e-mail (STARTTLS when offered; 465 is implicit TLS)")
	fs.StringVar(&m.MailFrom, "mail-from", envOr("SOTAY_MAIL_FROM", ""), `sender of e-mail, e.g. "Sổ tay <sotay@example.vn>"`)
	m.SMTPUsername, m.SMTPPassword = os.Getenv("SOTAY_SMTP_USERNAME"), os.Getenv("SOTAY_SMTP_PASSWORD")
	pprofAddr := fs.String("pprof", "", "serve the Go profiler on this loopback address (benchmarks only)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *pprofAddr != "" {
		if err := servePprof(*pprofAddr, stdout); err != nil {
			return err
		}
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Sổ tay is listening on http://%s/\n", m.Addr)
	select {
	case <-ctx.Done():
		fmt.Fprintln(stdout, "Shutting down…")
	case err := <-m.done:
		m.done <- err
	}
	return m.Close()
}

// discard is a demo sink that keeps nothing.
type discard struct{}

func (discard) Unit(*demoUnit) error     { return nil }
func (discard) Member(*demoMember) error { return nil }

// parsePrefixes reads "10.0.0.5, 10.0.1.0/24": addresses and CIDR ranges.
func parsePrefixes(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR range", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
