//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package store

// shmHeld cannot probe the locks of other processes here; the BEGIN
// EXCLUSIVE probe still sees a server that is writing.
func shmHeld(string) bool { return false }
