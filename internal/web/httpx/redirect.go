package httpx

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxRedirectTarget bounds a user-given redirect target.
const maxRedirectTarget = 2048

// localPath returns raw if it is a path on this site, else "/". It is the one
// check for every redirect to a target the visitor gave (sign-in, language
// switch, bookmark return): a link must never send the visitor elsewhere.
//
// The value is parsed with net/url, not pattern-matched: it must have no
// scheme, no host and no user; it must start with exactly one "/"; and
// neither the raw value nor its decoded path may hold a backslash, a space
// or other whitespace, a control character or an invisible formatting
// character (browsers strip a tab or a newline, so "/\t/evil.com" would
// become "//evil.com", a host).
func LocalPath(raw string) string {
	if raw == "" || len(raw) > maxRedirectTarget || !utf8.ValidString(raw) || !plainTarget(raw) {
		return "/"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	for _, p := range []string{raw, u.Path} {
		if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || !plainTarget(p) {
			return "/"
		}
	}
	return raw
}

// plainTarget reports whether s has no backslash, whitespace, control or
// formatting (bidi, zero-width) character.
func plainTarget(s string) bool {
	for _, r := range s {
		if r == '\\' || r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// SeeOther redirects after a POST, so that reloading does not resend it.
func SeeOther(w http.ResponseWriter, r *http.Request, url string) {
	http.Redirect(w, r, url, http.StatusSeeOther)
}
