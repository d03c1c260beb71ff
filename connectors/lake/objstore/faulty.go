package objstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrCrashed is returned by a Faulty store from the injected fault on.
var ErrCrashed = errors.New("objstore: injected crash")

// Faulty wraps a Store and simulates a process crash at a chosen step.
// Every mutating operation (Create, Writer.Commit, PutIfAbsent, Delete) and
// every explicit Step is numbered from 1. The step numbered FailAt fails
// with ErrCrashed without taking effect, and so does every operation after
// it: the store behaves like a dead process, leaving temporary files and
// half-finished protocols exactly as they were. FailAt 0 never fails, which
// lets a test count the steps of a clean run.
type Faulty struct {
	inner  Store
	failAt int

	mu      sync.Mutex
	steps   int
	crashed bool
	trace   []string
}

var _ Store = (*Faulty)(nil)

// NewFaulty wraps inner, failing at step failAt (0: never).
func NewFaulty(inner Store, failAt int) *Faulty {
	return &Faulty{inner: inner, failAt: failAt}
}

// Step records a protocol step that is not a storage operation (for
// example a Kafka offset commit) so that it can fail like one.
func (f *Faulty) Step(what string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.crashed {
		return fmt.Errorf("%s: %w", what, ErrCrashed)
	}
	f.steps++
	f.trace = append(f.trace, what)
	if f.failAt > 0 && f.steps >= f.failAt {
		f.crashed = true
		return fmt.Errorf("%s (step %d): %w", what, f.steps, ErrCrashed)
	}
	return nil
}

// Steps returns the number of steps taken so far.
func (f *Faulty) Steps() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.steps
}

// Crashed reports whether the injected fault has fired.
func (f *Faulty) Crashed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.crashed
}

// Trace returns the names of the steps taken, in order.
func (f *Faulty) Trace() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.trace...)
}

func (f *Faulty) alive() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.crashed {
		return ErrCrashed
	}
	return nil
}

// Create implements Store.
func (f *Faulty) Create(ctx context.Context, name string) (Writer, error) {
	if err := f.Step("create " + name); err != nil {
		return nil, err
	}
	w, err := f.inner.Create(ctx, name)
	if err != nil {
		return nil, err
	}
	return &faultyWriter{f: f, w: w, name: name}, nil
}

// PutIfAbsent implements Store.
func (f *Faulty) PutIfAbsent(ctx context.Context, name string, data []byte) error {
	if err := f.Step("put " + name); err != nil {
		return err
	}
	return f.inner.PutIfAbsent(ctx, name, data)
}

// Open implements Store.
func (f *Faulty) Open(ctx context.Context, name string) (Reader, error) {
	if err := f.alive(); err != nil {
		return nil, err
	}
	return f.inner.Open(ctx, name)
}

// List implements Store.
func (f *Faulty) List(ctx context.Context, dir string) ([]Entry, error) {
	if err := f.alive(); err != nil {
		return nil, err
	}
	return f.inner.List(ctx, dir)
}

// Delete implements Store.
func (f *Faulty) Delete(ctx context.Context, name string) error {
	if err := f.Step("delete " + name); err != nil {
		return err
	}
	return f.inner.Delete(ctx, name)
}

type faultyWriter struct {
	f    *Faulty
	w    Writer
	name string
}

func (w *faultyWriter) Write(p []byte) (int, error) {
	if err := w.f.alive(); err != nil {
		return 0, err
	}
	return w.w.Write(p)
}

func (w *faultyWriter) Commit() error {
	if err := w.f.Step("commit " + w.name); err != nil {
		return err // the temporary object stays behind, as after a crash
	}
	return w.w.Commit()
}

func (w *faultyWriter) Abort() error {
	if err := w.f.alive(); err != nil {
		return err
	}
	return w.w.Abort()
}
