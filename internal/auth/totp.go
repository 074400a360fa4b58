package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1,
// 30-second steps, 6 digits — what every authenticator app reads from an
// otpauth:// QR code without further parameters.
const (
	TOTPPeriod = 30
	TOTPDigits = 6
	// TOTPSkew is how many steps either side of now are accepted, for
	// phones whose clocks drift and people who type slowly.
	TOTPSkew = 1
	// TOTPIssuer names the service in the authenticator app.
	TOTPIssuer = "Sổ tay"
	// RecoveryCodes is how many single-use recovery codes an enrolment makes.
	RecoveryCodes = 10
)

// TOTPRequired are the roles that must sign in with a second factor: they
// can read or change the records of a whole district or city.
var TOTPRequired = []Role{RoleAdmin, RoleOffice, RoleStandingCommittee}

// NeedsTOTPEnrolment reports whether an account holding grants must enrol
// a second factor before it may do anything else.
func NeedsTOTPEnrolment(grants []Grant, enabled, exempt bool) bool {
	if enabled || exempt {
		return false
	}
	for _, g := range grants {
		if slices.Contains(TOTPRequired, g.Role) {
			return true
		}
	}
	return false
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a random 160-bit key in base32 (RFC 4226 §4
// recommends 160 bits), as authenticator apps expect it.
func NewTOTPSecret() string {
	b := make([]byte, 20)
	rand.Read(b)
	return b32.EncodeToString(b)
}

// decodeSecret reads a base32 secret, forgiving case, spaces and padding.
func decodeSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(s))
	return b32.DecodeString(s)
}

// HOTP is RFC 4226's HMAC-based one-time password of counter, with digits
// digits (6 to 8).
func HOTP(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTPStep is the time step that t falls in.
func TOTPStep(t time.Time) int64 { return t.Unix() / TOTPPeriod }

// TOTPCode is the code of a base32 secret at time t (for tests and tools).
func TOTPCode(secret string, t time.Time) string {
	key, err := decodeSecret(secret)
	if err != nil {
		return ""
	}
	return HOTP(key, uint64(TOTPStep(t)), TOTPDigits)
}

// VerifyTOTP checks a code against the steps around now and returns the
// step it matched. Steps at or before lastStep — the last one accepted for
// this secret — are refused, so a code seen once (over a shoulder, in a
// proxy's log) cannot be replayed within its window (RFC 6238 §5.2).
func VerifyTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != TOTPDigits || strings.Trim(code, "0123456789") != "" {
		return 0, false
	}
	key, err := decodeSecret(secret)
	if err != nil || len(key) == 0 {
		return 0, false
	}
	cur := TOTPStep(now)
	for step := cur - TOTPSkew; step <= cur+TOTPSkew; step++ {
		if step <= lastStep || step < 0 {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(HOTP(key, uint64(step), TOTPDigits)), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// OTPAuthURL is the key URI that authenticator apps read from a QR code
// (otpauth://totp/Issuer:account?secret=…&issuer=Issuer).
func OTPAuthURL(username, secret string) string {
	return "otpauth://totp/" + url.PathEscape(TOTPIssuer) + ":" + url.PathEscape(username) +
		"?secret=" + secret + "&issuer=" + url.PathEscape(TOTPIssuer)
}

// NewRecoveryCodes returns n single-use codes to show once, and the hashes
// to store. Each holds 50 random bits, as "xxxxx-xxxxx".
func NewRecoveryCodes(n int) (codes, hashes []string) {
	for range n {
		b := make([]byte, 7)
		rand.Read(b)
		s := strings.ToLower(b32.EncodeToString(b))[:10]
		code := s[:5] + "-" + s[5:]
		codes = append(codes, code)
		hashes = append(hashes, RecoveryCodeHash(code))
	}
	return codes, hashes
}

// RecoveryCodeHash is what the database keeps of a recovery code. The codes
// are random, so a plain hash is enough; typing is forgiven (case, spaces,
// dashes).
func RecoveryCodeHash(code string) string {
	c := strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(code)))
	h := sha256.Sum256([]byte("sotay-recovery:" + c))
	return hex.EncodeToString(h[:])
}

// looksLikeTOTP tells a code from an app from a recovery code.
func looksLikeTOTP(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) == TOTPDigits && strings.Trim(s, "0123456789") == ""
}
