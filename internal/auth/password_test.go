package auth

import (
	"strings"
	"testing"
)

// TestHashParamsRecorded: a hash made with the cheap test parameters
// records them and still verifies after the parameters change back, and
// the program's own parameters are argon2id m=64 MiB, t=3, p=2.
func TestHashParamsRecorded(t *testing.T) {
	defer hashParams.Store(hashParams.Load())
	SetHashParamsForTests(HashParams{Time: 1, Memory: 64, Threads: 1})
	cheap, err := HashPassword("một mật khẩu dài")
	if err != nil {
		t.Fatal(err)
	}
	if cheapDummy := dummyHash(); !strings.Contains(cheapDummy, "$m=64,t=1,p=1$") {
		t.Errorf("dummy hash with test parameters: got %q, want m=64,t=1,p=1", cheapDummy)
	}
	hashParams.Store(nil)
	def, err := HashPassword("một mật khẩu dài")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, hash, params string
	}{
		{"test parameters", cheap, "$m=64,t=1,p=1$"},
		{"program parameters", def, "$m=65536,t=3,p=2$"},
		{"dummy hash", dummyHash(), "$m=65536,t=3,p=2$"},
	}
	for _, tt := range tests {
		if !strings.Contains(tt.hash, tt.params) {
			t.Errorf("%s: got %q, want it to record %s", tt.name, tt.hash, tt.params)
		}
		if tt.name == "dummy hash" {
			continue
		}
		if got := CheckPassword(tt.hash, "một mật khẩu dài"); !got {
			t.Errorf("%s: CheckPassword(right password) = false, want true", tt.name)
		}
		if got := CheckPassword(tt.hash, "mot mat khau dai"); got {
			t.Errorf("%s: CheckPassword(wrong password) = true, want false", tt.name)
		}
	}
}
