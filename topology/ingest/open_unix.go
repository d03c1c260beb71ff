//go:build unix

package ingest

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// openRegular opens path for reading without following a symbolic link
// in its last element (O_NOFOLLOW) or blocking on a FIFO, and checks that
// what it opened is a regular file.
func openRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	return checkRegular(f)
}

// isSymlinkLoop reports whether err is O_NOFOLLOW refusing a link.
func isSymlinkLoop(err error) bool { return errors.Is(err, syscall.ELOOP) }
