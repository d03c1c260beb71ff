package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"sync"

	"github.com/minio/minio-go/v7"
)

// s3Reader reads one version of an object with ranged GETs. It keeps the
// last block it fetched, so that the many small sequential reads of a
// Parquet reader (footer, page headers, pages) cost few requests.
type s3Reader struct {
	ctx  context.Context
	s    *S3
	key  string
	name string
	etag string
	size int64

	mu       sync.Mutex
	block    []byte
	blockOff int64
	closed   bool
}

func (r *s3Reader) Size() int64 { return r.size }

// ReadAt implements io.ReaderAt. It is safe for concurrent use.
func (r *s3Reader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("objstore: read %s: negative offset %d", r.name, off)
	}
	if off >= r.size {
		if len(p) == 0 {
			return 0, nil
		}
		return 0, io.EOF
	}
	want := p
	if rest := r.size - off; int64(len(want)) > rest {
		want = want[:rest]
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0, fmt.Errorf("objstore: read %s: reader closed", r.name)
	}
	n := 0
	for n < len(want) {
		pos := off + int64(n)
		if pos >= r.blockOff && pos < r.blockOff+int64(len(r.block)) {
			n += copy(want[n:], r.block[pos-r.blockOff:])
			continue
		}
		remaining := want[n:]
		if len(remaining) >= s3BlockBytes {
			// A large read goes straight into p.
			if err := r.fetch(remaining, pos); err != nil {
				return n, err
			}
			n += len(remaining)
			continue
		}
		// Fetch a block around pos. A read near the end fetches the whole
		// tail, which holds the Parquet footer and its length.
		start := pos
		if r.size-pos <= s3BlockBytes {
			start = max(0, r.size-s3BlockBytes)
		}
		end := min(r.size, start+s3BlockBytes)
		if cap(r.block) < int(end-start) {
			r.block = make([]byte, end-start)
		}
		r.block = r.block[:end-start]
		if err := r.fetch(r.block, start); err != nil {
			r.block = r.block[:0]
			return n, err
		}
		r.blockOff = start
	}
	if len(want) < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// fetch fills p with the object's bytes from off with one ranged GET of the
// version the reader was opened on.
func (r *s3Reader) fetch(p []byte, off int64) error {
	opts := minio.GetObjectOptions{}
	if err := opts.SetRange(off, off+int64(len(p))-1); err != nil {
		return fmt.Errorf("objstore: read %s: %w", r.name, err)
	}
	if r.etag != "" {
		if err := opts.SetMatchETag(r.etag); err != nil {
			return fmt.Errorf("objstore: read %s: %w", r.name, err)
		}
	}
	obj, err := r.s.client.GetObject(r.ctx, r.s.bucket, r.key, opts)
	if err != nil {
		return r.wrap(err)
	}
	defer obj.Close()
	if _, err := io.ReadFull(obj, p); err != nil {
		return r.wrap(err)
	}
	return nil
}

func (r *s3Reader) wrap(err error) error {
	switch {
	case isS3NotFound(err):
		return fmt.Errorf("objstore: read %s: %w", r.name, fs.ErrNotExist)
	case s3Code(err) == minio.PreconditionFailed || s3Status(err) == http.StatusPreconditionFailed:
		return fmt.Errorf("objstore: read %s: replaced since it was opened: %w", r.name, fs.ErrNotExist)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("objstore: read %s: object shorter than its size %d: %w", r.name, r.size, io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("objstore: read %s: %w", r.name, err)
}

func (r *s3Reader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	r.block = nil
	return nil
}
