package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sotay-vn/sotay/internal/apperr"
	"golang.org/x/crypto/argon2"
)

// HashParams are the argon2id cost parameters of new hashes. Each hash
// records the parameters it was made with (the PHC string), and
// CheckPassword reads them from there, so changing them never breaks a
// stored hash.
type HashParams struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// defaultHashParams is RFC 9106's second recommended option, with less
// memory so that a small server can take a burst of sign-ins.
var defaultHashParams = HashParams{Time: 3, Memory: 64 * 1024, Threads: 2}

const argonKeyLen = 32

// hashParams are the parameters HashPassword uses: defaultHashParams,
// unless a test binary called SetHashParamsForTests.
var hashParams atomic.Pointer[HashParams]

func currentParams() HashParams {
	if p := hashParams.Load(); p != nil {
		return *p
	}
	return defaultHashParams
}

// SetHashParamsForTests makes new hashes (and the dummy hash checked for
// unknown users) use p, so that test suites that create and sign in many
// accounts do not pay 64 MiB and three passes for each. It panics outside
// a test binary: no flag or setting of the program reaches it.
func SetHashParamsForTests(p HashParams) {
	if !testing.Testing() {
		panic("auth.SetHashParamsForTests called outside a test binary")
	}
	hashParams.Store(&p)
}

// hashSlots bounds how many argon2id computations run at once: each holds
// 64 MiB, so a burst of sign-ins must queue rather than exhaust memory.
var hashSlots = make(chan struct{}, max(2, runtime.NumCPU()))

func acquireSlot() { hashSlots <- struct{}{} }
func releaseSlot() { <-hashSlots }

// HashPassword returns an encoded argon2id hash in the PHC string format.
func HashPassword(pw string) (string, error) {
	acquireSlot()
	defer releaseSlot()
	return hashWith(pw, currentParams())
}

func hashWith(pw string, p HashParams) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the encoded hash.
func CheckPassword(encoded, pw string) bool {
	acquireSlot()
	defer releaseSlot()
	return checkPassword(encoded, pw)
}

func checkPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked when the user does not exist, so that an unknown
// user costs the same time as a wrong password. It is made on first use
// with the current parameters (again if a test changed them).
func dummyHash() string {
	p := currentParams()
	dummy.Lock()
	defer dummy.Unlock()
	if dummy.hash == "" || dummy.params != p {
		dummy.hash, _ = hashWith("not a real password", p)
		dummy.params = p
	}
	return dummy.hash
}

var dummy struct {
	sync.Mutex
	params HashParams
	hash   string
}

// NewToken returns a random session token and the hash stored for it.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, TokenHash(token)
}

// TokenHash is what the database keeps of a token, so a stolen database
// copy does not hold usable sessions.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CheckPasswordPolicy rejects passwords that are too short or too common:
// it returns the problem's English text, "" for an acceptable password.
func CheckPasswordPolicy(pw, username string) string {
	if f := passwordProblem("password", pw, username); f != nil {
		return f.Message
	}
	return ""
}

// passwordProblem says what is wrong with a new password given in field,
// nil when nothing is.
func passwordProblem(field, pw, username string) *apperr.FieldError {
	var f apperr.FieldError
	lower := strings.ToLower(pw)
	switch {
	case len([]rune(pw)) < 10:
		f = apperr.FieldKeyed(field, "auth.password_short", "at least %d characters", 10)
	case len([]rune(pw)) > 256:
		f = apperr.FieldKeyed(field, "auth.password_long", "at most %d characters", 256)
	case lower == strings.ToLower(username):
		f = apperr.FieldKeyed(field, "auth.password_username", "must not be the user name")
	case slices.Contains(commonPasswords, lower):
		f = apperr.FieldKeyed(field, "auth.password_common", "too common")
	default:
		return nil
	}
	return &f
}

var commonPasswords = []string{"1234567890", "12345678910", "0123456789", "1111111111", "qwertyuiop", "password123", "matkhau123",
	"abc1234567", "1234512345", "iloveyou123", "password12", "vietnam123", "admin12345", "123456789a", "a123456789", "qwerty1234"}
