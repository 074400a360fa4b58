package conference

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strconv"
	"strings"
)

// A pass is "SOTAY1.<conference>.<member>.<mac>": the MAC is the first 80
// bits of HMAC-SHA256 under the server's pass key over the rest, in
// base32 without padding. Upper case letters, digits and dots only: QR's
// alphanumeric mode keeps the code small, and a phone's camera app reads
// it as plain text. It cannot be guessed (2^80) nor moved to another
// member or conference (both are under the MAC).
const passPrefix = "SOTAY1"

// PassKeyName names the server key the passes are signed with.
const PassKeyName = "conference.pass"

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func passMAC(key []byte, confID, memberID int64) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "%s.%d.%d", passPrefix, confID, memberID)
	return b32.EncodeToString(m.Sum(nil)[:10])
}

// SignPass returns the pass of a member for a conference.
func SignPass(key []byte, confID, memberID int64) string {
	return fmt.Sprintf("%s.%d.%d.%s", passPrefix, confID, memberID, passMAC(key, confID, memberID))
}

// VerifyPass reads a pass: ok is false when it is not one of ours (wrong
// shape or a MAC that does not match). The conference is the pass's own;
// the caller compares it with the one checked in to.
func VerifyPass(key []byte, code string) (confID, memberID int64, ok bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) > 100 {
		return 0, 0, false
	}
	parts := strings.Split(code, ".")
	if len(parts) != 4 || parts[0] != passPrefix {
		return 0, 0, false
	}
	c, err1 := strconv.ParseInt(parts[1], 10, 64)
	m, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || c <= 0 || m <= 0 || parts[1] != strconv.FormatInt(c, 10) || parts[2] != strconv.FormatInt(m, 10) {
		return 0, 0, false
	}
	if !hmac.Equal([]byte(parts[3]), []byte(passMAC(key, c, m))) {
		return 0, 0, false
	}
	return c, m, true
}
