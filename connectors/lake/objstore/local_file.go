package objstore

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

func writeTemp(dir, base string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, TempPrefix+base+"-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("objstore: open directory for sync: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("objstore: sync directory %s: %w", dir, err)
	}
	return nil
}

type localWriter struct {
	f     *os.File
	buf   *bufio.Writer
	final string
	name  string
	done  bool
}

func (w *localWriter) Write(p []byte) (int, error) {
	if w.done {
		return 0, fmt.Errorf("objstore: write %s: writer closed", w.name)
	}
	return w.buf.Write(p)
}

func (w *localWriter) Commit() error {
	if w.done {
		return fmt.Errorf("objstore: commit %s: writer closed", w.name)
	}
	w.done = true
	tmp := w.f.Name()
	if err := w.buf.Flush(); err != nil {
		w.f.Close()
		os.Remove(tmp)
		return fmt.Errorf("objstore: write %s: %w", w.name, err)
	}
	if err := w.f.Sync(); err != nil {
		w.f.Close()
		os.Remove(tmp)
		return fmt.Errorf("objstore: sync %s: %w", w.name, err)
	}
	if err := w.f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("objstore: close %s: %w", w.name, err)
	}
	if err := os.Rename(tmp, w.final); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("objstore: publish %s: %w", w.name, err)
	}
	if err := syncDir(filepath.Dir(w.final)); err != nil {
		return fmt.Errorf("objstore: publish %s: %w", w.name, err)
	}
	return nil
}

func (w *localWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	tmp := w.f.Name()
	w.f.Close()
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("objstore: abort %s: %w", w.name, err)
	}
	return nil
}

type localReader struct {
	*os.File
	size int64
}

func (r *localReader) Size() int64 { return r.size }
