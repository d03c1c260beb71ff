package objstore

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// Store is a flat namespace of immutable objects with atomic publication.
// Implementations are safe for concurrent use.
type Store interface {
	// Create starts writing a new object at name. Nothing is visible at
	// name until Commit on the returned Writer succeeds.
	Create(ctx context.Context, name string) (Writer, error)
	// PutIfAbsent atomically creates name holding data. It fails with an
	// error matching fs.ErrExist when name already exists; then nothing
	// was written.
	PutIfAbsent(ctx context.Context, name string, data []byte) error
	// Open opens name for random-access reading. A missing object is an
	// error matching fs.ErrNotExist.
	Open(ctx context.Context, name string) (Reader, error)
	// List returns the direct children of dir ("" is the root), sorted by
	// name. A directory that does not exist has no children.
	List(ctx context.Context, dir string) ([]Entry, error)
	// Delete removes name. Removing a missing object is not an error.
	Delete(ctx context.Context, name string) error
}

// Writer receives the bytes of an object being created.
type Writer interface {
	io.Writer
	// Commit makes the object durable and visible at its name, replacing
	// an existing object atomically.
	Commit() error
	// Abort discards the object. It is a no-op after Commit.
	Abort() error
}

// Reader reads an object at random offsets.
type Reader interface {
	io.ReaderAt
	io.Closer
	// Size is the object's length in bytes.
	Size() int64
}

// Entry is one child of a listed directory.
type Entry struct {
	Name    string // base name
	Dir     bool   // true for a directory (a prefix with objects below it)
	Size    int64  // object size; 0 for directories
	ModTime time.Time
}

// Join joins name elements with '/'.
func Join(elem ...string) string { return path.Join(elem...) }

// ReadAll reads the whole object name.
func ReadAll(ctx context.Context, s Store, name string) ([]byte, error) {
	r, err := s.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	buf := make([]byte, r.Size())
	if _, err := r.ReadAt(buf, 0); err != nil && err != io.EOF {
		return nil, fmt.Errorf("objstore: read %s: %w", name, err)
	}
	return buf, nil
}

// CheckName reports whether name is a valid relative object name: non-empty,
// slash-separated, without empty, "." or ".." elements.
func CheckName(name string) error {
	if name == "" || strings.HasPrefix(name, "/") {
		return fmt.Errorf("objstore: invalid object name %q", name)
	}
	for _, el := range strings.Split(name, "/") {
		if el == "" || el == "." || el == ".." || strings.ContainsRune(el, 0) {
			return fmt.Errorf("objstore: invalid object name %q", name)
		}
	}
	return nil
}
