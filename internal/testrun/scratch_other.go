//go:build !linux

package testrun

// ScratchInMemory does nothing outside Linux (see scratch_linux.go).
func ScratchInMemory(minFree uint64) (cleanup func()) { return func() {} }
