//go:build !unix

package state

import (
	"fmt"
	"os"
)

// dirLock on platforms without flock: an exclusive-create lock file. A
// crashed process leaves it behind; delete it by hand after making sure no
// other process uses the directory.
type dirLock struct {
	path string
}

func lockFile(path string) (*dirLock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("state: lock %s (in use by another process?): %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("state: lock %s: %w", path, err)
	}
	return &dirLock{path: path}, nil
}

func (l *dirLock) release() error {
	if err := os.Remove(l.path); err != nil {
		return fmt.Errorf("state: release lock %s: %w", l.path, err)
	}
	return nil
}
