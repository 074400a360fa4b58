package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters (RFC 9106's second recommended option, with less
// memory so that a small server can take a burst of sign-ins).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// hashSlots bounds how many argon2id computations run at once: each holds
// 64 MiB, so a burst of sign-ins must queue rather than exhaust memory.
var hashSlots = make(chan struct{}, max(2, runtime.NumCPU()))

func acquireSlot() { hashSlots <- struct{}{} }
func releaseSlot() { <-hashSlots }

// HashPassword returns an encoded argon2id hash in the PHC string format.
func HashPassword(pw string) (string, error) {
	acquireSlot()
	defer releaseSlot()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
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
// user costs the same time as a wrong password.
var dummyHash = func() string {
	h, _ := HashPassword("not a real password")
	return h
}()

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

// CheckPasswordPolicy rejects passwords that are too short or too common.
func CheckPasswordPolicy(pw, username string) string {
	if len([]rune(pw)) < 10 {
		return "at least 10 characters"
	}
	if len([]rune(pw)) > 256 {
		return "at most 256 characters"
	}
	lower := strings.ToLower(pw)
	if lower == strings.ToLower(username) {
		return "must not be the user name"
	}
	for _, c := range commonPasswords {
		if lower == c {
			return "too common"
		}
	}
	return ""
}

var commonPasswords = []string{"1234567890", "12345678910", "0123456789", "1111111111", "qwertyuiop", "password123", "matkhau123",
	"abc1234567", "1234512345", "iloveyou123", "password12", "vietnam123", "admin12345", "123456789a", "a123456789", "qwerty1234"}
