package cli

import (
	"errors"
	"flag"
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

func TestSubcommand(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantArgs  []string
		wantData  string
		wantFix   bool
		wantUsage string
	}{
		{"no word", nil, nil, "", false, "usage: test run"},
		{"another word", []string{"walk", "--fix"}, nil, "", false, "usage: test run"},
		{"the word", []string{"run"}, []string{}, "data", false, ""},
		{"its flags and the database's", []string{"run", "--fix", "--data", "d", "a", "b"}, []string{"a", "b"}, "d", true, ""},
		{"an unknown flag", []string{"run", "--nope"}, nil, "", false, "flag provided but not defined: -nope"},
	}
	t.Setenv("SOTAY_DATA", "")
	for _, tt := range tests {
		var fix bool
		f, got, err := subcommand("test run", "usage: test run", io.Discard, tt.args, func(fs *flag.FlagSet) {
			fs.BoolVar(&fix, "fix", false, "")
		})
		var u usageError
		if isUsage := errors.As(err, &u); isUsage != (tt.wantUsage != "") || (err != nil && !isUsage) || (isUsage && u.msg != tt.wantUsage) {
			t.Errorf("%s: got error %v, want the usage error %q", tt.name, err, tt.wantUsage)
			continue
		}
		if err != nil {
			continue
		}
		if diff := cmp.Diff(tt.wantArgs, got); diff != "" || f.Data != tt.wantData || fix != tt.wantFix {
			t.Errorf("%s: got args %q, --data %q, --fix %v; want %q, %q, %v", tt.name, got, f.Data, fix, tt.wantArgs, tt.wantData, tt.wantFix)
		}
	}
}
