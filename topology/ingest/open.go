package ingest

import (
	"errors"
	"fmt"
	"os"
)

// errNotRegular is returned for a path that is not a regular file (a
// symbolic link, a directory, a FIFO).
var errNotRegular = errors.New("not a regular file")

// checkRegular returns f if it is a regular file, and closes it otherwise.
func checkRegular(f *os.File) (*os.File, error) {
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = errNotRegular
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("ingest: %s: %w", f.Name(), err)
	}
	return f, nil
}
