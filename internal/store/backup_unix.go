//go:build linux || darwin || freebsd || netbsd || openbsd

package store

import (
	"os"
	"syscall"
)

// shmHeld tells whether another process holds the shared-memory index of
// a WAL database open. SQLite's unix VFS keeps a read lock on the "DMS"
// byte of the -shm file (offset 128) for as long as a connection is open;
// F_GETLK asks whether a write lock on it would conflict. It cannot see the
// locks of this process.
func shmHeld(shm string) bool {
	f, err := os.Open(shm)
	if err != nil {
		return false
	}
	defer f.Close()
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: 128, Len: 1}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk); err != nil {
		return false
	}
	return lk.Type != syscall.F_UNLCK
}
