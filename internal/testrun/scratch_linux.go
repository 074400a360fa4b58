package testrun

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// tmpfsMagic is the file system type statfs(2) reports for a tmpfs.
const tmpfsMagic = 0x01021994

// ScratchInMemory makes the test binary's temporary files (t.TempDir,
// os.MkdirTemp with no directory, and what the children it starts write
// there) live in memory: it sets TMPDIR to a new directory under /dev/shm
// when TMPDIR is not set and /dev/shm is a tmpfs with at least minFree
// bytes free, and returns a function that removes that directory (call it
// after m.Run). Otherwise it changes nothing and returns a function that
// does nothing. A binary killed before its cleanup (a -timeout panic, a
// SIGKILL) leaves its directory in memory: the next call removes the
// directories of processes that are gone (the name holds the process id).
//
// Why: a package whose tests copy a 70 MB SQLite file per test and let
// SQLite write, checkpoint and fsync it spends a share of its CPU in the
// kernel's disk file system (ext4's block allocation and journal, fsync's
// journal commits, the copies), and leaves the kernel gigabytes to write
// back to the disk for files deleted a few seconds later. On a tmpfs the
// same calls are memory copies and fsync returns at once. What the tests
// check does not change: SIGKILL-style crashes (the crash tests) keep the
// page cache on either file system, and no test pulls the power.
func ScratchInMemory(minFree uint64) (cleanup func()) {
	none := func() {}
	if os.Getenv("TMPDIR") != "" {
		return none
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs("/dev/shm", &st); err != nil || st.Type != tmpfsMagic {
		return none
	}
	if uint64(st.Bavail)*uint64(st.Bsize) < minFree {
		return none
	}
	removeStale("/dev/shm")
	dir, err := os.MkdirTemp("/dev/shm", "sotay-test-"+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return none
	}
	// PostgreSQL clusters the tests start (testpg, as the postgres user
	// when run as root) create their directories here too.
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		return none
	}
	os.Setenv("TMPDIR", dir)
	return func() {
		os.Unsetenv("TMPDIR")
		os.RemoveAll(dir)
	}
}

// removeStale removes the directories ScratchInMemory made in shm for
// processes that no longer run.
func removeStale(shm string) {
	dirs, _ := filepath.Glob(filepath.Join(shm, "sotay-test-*-*"))
	for _, d := range dirs {
		pid, err := strconv.Atoi(strings.Split(strings.TrimPrefix(filepath.Base(d), "sotay-test-"), "-")[0])
		if err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
			os.RemoveAll(d)
		}
	}
}
