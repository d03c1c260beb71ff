//go:build !unix

package ingest

import (
	"fmt"
	"os"
)

// openRegular opens path for reading after checking that it is not a
// symbolic link, and checks that what it opened is the regular file it
// checked.
func openRegular(path string) (*os.File, error) {
	before, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	if !before.Mode().IsRegular() {
		return nil, fmt.Errorf("ingest: %s: %w", path, errNotRegular)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	if st, err := f.Stat(); err != nil || !os.SameFile(before, st) {
		f.Close()
		return nil, fmt.Errorf("ingest: %s: %w", path, errNotRegular)
	}
	return checkRegular(f)
}

// isSymlinkLoop reports whether err is the refusal of a link; links are
// refused as errNotRegular here.
func isSymlinkLoop(error) bool { return false }
