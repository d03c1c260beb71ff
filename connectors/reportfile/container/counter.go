package container

import (
	"io"
	"sync/atomic"
)

// Counter counts raw input bytes. It is safe to read from another
// goroutine while the input is being consumed.
type Counter struct {
	n     atomic.Int64
	limit atomic.Int64
}

// Load returns the number of bytes counted so far, at most the input size
// when it is known (zip input, whose directory is read more than once).
func (c *Counter) Load() int64 {
	n := c.n.Load()
	if l := c.limit.Load(); l > 0 && n > l {
		return l
	}
	return n
}

type countingReader struct {
	r io.Reader
	c *Counter
}

func (cr countingReader) Read(p []byte) (int, error) {
	n, err := cr.r.Read(p)
	cr.c.n.Add(int64(n))
	return n, err
}

type countingReaderAt struct {
	r io.ReaderAt
	c *Counter
}

func (cr countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := cr.r.ReadAt(p, off)
	cr.c.n.Add(int64(n))
	return n, err
}
