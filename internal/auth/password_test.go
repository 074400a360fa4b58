package auth

import (
	"os"
	"strings"
	"testing"
)

// TestMain hashes with cheap parameters, as the other packages' tests do;
// TestHashParamsRecorded checks the program's own.
func TestMain(m *testing.M) {
	SetHashParamsForTests(HashParams{Time: 1, Memory: 64, Threads: 1})
	os.Exit(m.Run())
}

// TestHashParamsRecorded: a hash made with the cheap test parameters
// records them, and so does the dummy hash; the program's own parameters
// are argon2id m=64 MiB, t=3, p=2, and a hash made with them verifies
// while the test parameters are in force (parameters come from the hash).
func TestHashParamsRecorded(t *testing.T) {
	defer hashParams.Store(hashParams.Load())
	const pw = "một mật khẩu dài"
	hashParams.Store(nil)
	def, err := HashPassword(pw) // the program's parameters: the costly part of the test
	if err != nil {
		t.Fatal(err)
	}
	SetHashParamsForTests(HashParams{Time: 1, Memory: 64, Threads: 1})
	cheap, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, hash, params string
		checkWrong         bool
	}{
		{"program parameters", def, "$m=65536,t=3,p=2$", false},
		{"test parameters", cheap, "$m=64,t=1,p=1$", true},
	}
	for _, tt := range tests {
		if !strings.Contains(tt.hash, tt.params) {
			t.Errorf("%s: got %q, want it to record %s", tt.name, tt.hash, tt.params)
		}
		if got := CheckPassword(tt.hash, pw); !got {
			t.Errorf("%s: CheckPassword(right password) = false, want true", tt.name)
		}
		if got := tt.checkWrong && CheckPassword(tt.hash, "mot mat khau dai"); got {
			t.Errorf("%s: CheckPassword(wrong password) = true, want false", tt.name)
		}
	}
	if got := dummyHash(); !strings.Contains(got, "$m=64,t=1,p=1$") {
		t.Errorf("dummy hash with test parameters: got %q, want m=64,t=1,p=1", got)
	}
}
