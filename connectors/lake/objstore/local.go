package objstore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// TempPrefix starts the base name of every temporary object a Local store
// creates. Lake maintenance removes stale ones.
const TempPrefix = ".tmp-"

// Local is a Store on a local directory tree. Publication is durable: data
// is fsynced before it becomes visible and directories are fsynced after
// entries are added or renamed into them.
type Local struct {
	root string
}

var _ Store = (*Local)(nil)

// NewLocal returns a Store rooted at dir, creating dir if needed.
func NewLocal(dir string) (*Local, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("objstore: root %q: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("objstore: create root: %w", err)
	}
	return &Local{root: abs}, nil
}

// Root returns the absolute directory the store is rooted at.
func (l *Local) Root() string { return l.root }

func (l *Local) path(name string) (string, error) {
	if err := CheckName(name); err != nil {
		return "", err
	}
	return filepath.Join(l.root, filepath.FromSlash(name)), nil
}

// Create implements Store.
func (l *Local) Create(ctx context.Context, name string) (Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := l.path(name)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(p)
	if err := l.mkdirAll(dir); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, TempPrefix+filepath.Base(p)+"-*")
	if err != nil {
		return nil, fmt.Errorf("objstore: create %s: %w", name, err)
	}
	return &localWriter{f: f, buf: bufio.NewWriterSize(f, 1<<20), final: p, name: name}, nil
}

// PutIfAbsent implements Store.
func (l *Local) PutIfAbsent(ctx context.Context, name string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := l.path(name)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := l.mkdirAll(dir); err != nil {
		return err
	}
	tmp, err := writeTemp(dir, filepath.Base(p), data)
	if err != nil {
		return fmt.Errorf("objstore: put %s: %w", name, err)
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, p); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("objstore: put %s: %w", name, fs.ErrExist)
		}
		return fmt.Errorf("objstore: put %s: %w", name, err)
	}
	if err := os.Remove(tmp); err != nil {
		return fmt.Errorf("objstore: put %s: remove temporary: %w", name, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("objstore: put %s: %w", name, err)
	}
	return nil
}

// Open implements Store.
func (l *Local) Open(ctx context.Context, name string) (Reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := l.path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("objstore: open %s: %w", name, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("objstore: stat %s: %w", name, err)
	}
	return &localReader{File: f, size: st.Size()}, nil
}

// List implements Store.
func (l *Local) List(ctx context.Context, dir string) ([]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := l.root
	if dir != "" {
		var err error
		if p, err = l.path(dir); err != nil {
			return nil, err
		}
	}
	des, err := os.ReadDir(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("objstore: list %s: %w", dir, err)
	}
	out := make([]Entry, 0, len(des))
	for _, de := range des {
		info, err := de.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed while listing
		}
		if err != nil {
			return nil, fmt.Errorf("objstore: list %s: %w", dir, err)
		}
		e := Entry{Name: de.Name(), Dir: de.IsDir(), ModTime: info.ModTime()}
		if !e.Dir {
			e.Size = info.Size()
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Delete implements Store.
func (l *Local) Delete(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := l.path(name)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("objstore: delete %s: %w", name, err)
	}
	return nil
}

// mkdirAll creates dir and its missing parents, fsyncing each parent after
// adding an entry so that the new directories survive a crash.
func (l *Local) mkdirAll(dir string) error {
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return nil
	}
	rel, err := filepath.Rel(l.root, dir)
	if err != nil || strings.HasPrefix(rel, "..") {
		return fmt.Errorf("objstore: directory %s outside root", dir)
	}
	cur := l.root
	for _, el := range strings.Split(filepath.ToSlash(rel), "/") {
		next := filepath.Join(cur, el)
		err := os.Mkdir(next, 0o755)
		switch {
		case err == nil:
			if err := syncDir(cur); err != nil {
				return err
			}
		case errors.Is(err, fs.ErrExist):
		default:
			return fmt.Errorf("objstore: mkdir %s: %w", path.Base(next), err)
		}
		cur = next
	}
	return nil
}

// OpenLocal returns a Store rooted at an existing directory dir.
func OpenLocal(dir string) (*Local, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("objstore: root %q: %w", dir, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("objstore: root: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("objstore: root %s is not a directory", abs)
	}
	return &Local{root: abs}, nil
}
