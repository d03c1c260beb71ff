//go:build unix

package state

import (
	"fmt"
	"os"
	"syscall"
)

// dirLock is an exclusive advisory lock on a file beside a Badger directory.
// Holding it proves no other process uses the directory, so that a Badger
// open failure can be treated as corruption and the directory rebuilt.
type dirLock struct {
	f *os.File
}

func lockFile(path string) (*dirLock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("state: open lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("state: lock %s (in use by another process?): %w", path, err)
	}
	return &dirLock{f: f}, nil
}

func (l *dirLock) release() error {
	// Closing the descriptor drops the flock.
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("state: release lock %s: %w", l.f.Name(), err)
	}
	return nil
}
