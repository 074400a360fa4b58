package cli

import (
	"errors"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDBCommand(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		nargs     int
		wantArgs  []string
		wantData  string
		wantUsage bool
	}{
		{"one argument", []string{"--data", "d", "f.bak"}, 1, []string{"f.bak"}, "d", false},
		{"one missing", []string{"--data", "d"}, 1, nil, "", true},
		{"one too many", []string{"a", "b"}, 1, nil, "", true},
		{"none wanted", []string{"--data", "x"}, 0, []string{}, "x", false},
		{"none wanted, one given", []string{"x"}, 0, nil, "", true},
		{"any", []string{"--data", "y", "p", "q"}, -1, []string{"p", "q"}, "y", false},
		{"an unknown flag", []string{"--nope"}, -1, nil, "", true},
	}
	for _, tt := range tests {
		f, got, err := dbCommand("test", io.Discard, tt.args, tt.nargs, "usage: test")
		var u usageError
		if isUsage := errors.As(err, &u); isUsage != tt.wantUsage || (err != nil && !isUsage) {
			t.Errorf("%s: got error %v, want a usage error: %v", tt.name, err, tt.wantUsage)
			continue
		}
		if err != nil {
			continue
		}
		if diff := cmp.Diff(tt.wantArgs, got); diff != "" || f.Data != tt.wantData {
			t.Errorf("%s: got args %q and --data %q, want %q and %q", tt.name, got, f.Data, tt.wantArgs, tt.wantData)
		}
	}
}
