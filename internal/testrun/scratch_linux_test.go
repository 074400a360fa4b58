package testrun

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestScratchInMemory: with TMPDIR unset and room on /dev/shm, TMPDIR
// becomes a new directory there (on the tmpfs) that the cleanup removes
// and unsets; with TMPDIR set, or less room than asked for, nothing
// changes.
func TestScratchInMemory(t *testing.T) {
	var st syscall.Statfs_t
	if err := syscall.Statfs("/dev/shm", &st); err != nil || st.Type != tmpfsMagic {
		t.Skip("no tmpfs on /dev/shm")
	}
	tests := []struct {
		name    string
		tmpdir  string
		minFree uint64
		inShm   bool
	}{
		{"unset, room", "", 1 << 20, true},
		{"TMPDIR set", "/var/tmp", 1 << 20, false},
		{"not enough room", "", 1 << 62, false},
	}
	t.Run("stale directories", testRemoveStale)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TMPDIR", tt.tmpdir)
			if tt.tmpdir == "" {
				os.Unsetenv("TMPDIR")
			}
			cleanup := ScratchInMemory(tt.minFree)
			got := os.Getenv("TMPDIR")
			if !tt.inShm {
				cleanup()
				if got != tt.tmpdir {
					t.Errorf("TMPDIR = %q, want %q unchanged", got, tt.tmpdir)
				}
				return
			}
			if filepath.Dir(got) != "/dev/shm" || !strings.HasPrefix(filepath.Base(got), fmt.Sprintf("sotay-test-%d-", os.Getpid())) {
				cleanup()
				t.Fatalf("TMPDIR = %q, want a new directory in /dev/shm", got)
			}
			f, err := os.CreateTemp("", "x")
			if err != nil {
				cleanup()
				t.Fatal(err)
			}
			f.Close()
			if filepath.Dir(f.Name()) != got {
				t.Errorf("a temporary file went to %s, want %s", f.Name(), got)
			}
			cleanup()
			if _, err := os.Stat(got); !os.IsNotExist(err) {
				t.Errorf("after the cleanup %s: %v, want it gone", got, err)
			}
			if v, ok := os.LookupEnv("TMPDIR"); ok {
				t.Errorf("after the cleanup TMPDIR = %q, want it unset", v)
			}
		})
	}
}

// testRemoveStale: a directory named for a process that is gone is
// removed; one named for a live process (this one) and one not named as
// ScratchInMemory names them stay.
func testRemoveStale(t *testing.T) {
	shm := t.TempDir()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	dirs := []struct {
		name string
		kept bool
	}{
		{fmt.Sprintf("sotay-test-%d-1", gone.Process.Pid), false},
		{fmt.Sprintf("sotay-test-%d-2", os.Getpid()), true},
		{"sotay-test-other", true},
	}
	for _, d := range dirs {
		if err := os.Mkdir(filepath.Join(shm, d.name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	removeStale(shm)
	for _, d := range dirs {
		_, err := os.Stat(filepath.Join(shm, d.name))
		if got := err == nil; got != d.kept {
			t.Errorf("%s: kept %v, want %v", d.name, got, d.kept)
		}
	}
}
