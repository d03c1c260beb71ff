package container

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// gzipStream annotates errors of a gzip reader with the number of
// decompressed bytes produced before the failure.
type gzipStream struct {
	zr  *gzip.Reader
	out int64
}

func newGzipStream(r io.Reader) (*gzipStream, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, classifyGzipError(err, 0)
	}
	return &gzipStream{zr: zr}, nil
}

func (g *gzipStream) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	g.out += int64(n)
	if err != nil && err != io.EOF {
		err = classifyGzipError(err, g.out)
	}
	return n, err
}

func classifyGzipError(err error, produced int64) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: gzip data ends after %d decompressed bytes: %w", ErrTruncated, produced, err)
	}
	return fmt.Errorf("%w: gzip data unreadable after %d decompressed bytes: %w", ErrCorrupt, produced, err)
}
