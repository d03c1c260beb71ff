package state

import (
	"bytes"
	"slices"
	"strings"
)

// writeSet holds a Store's writes since the last Commit or Abort. A nil
// value in m marks a delete. Once sealed (by Pending) it rejects writes until
// reset, so that what was produced to the changelog is exactly what Commit
// applies.
type writeSet struct {
	m      map[string][]byte
	sealed []Mutation // non-nil once sealed
}

func newWriteSet() *writeSet {
	return &writeSet{m: make(map[string][]byte)}
}

// put records key = val, copying both. val must be non-nil.
func (w *writeSet) put(key, val []byte) error {
	if w.sealed != nil {
		return ErrSealed
	}
	w.m[string(key)] = append(make([]byte, 0, len(val)), val...)
	return nil
}

// del records a delete of key.
func (w *writeSet) del(key []byte) error {
	if w.sealed != nil {
		return ErrSealed
	}
	w.m[string(key)] = nil
	return nil
}

// get reports whether key has a pending write, and its value (nil for a
// pending delete).
func (w *writeSet) get(key []byte) (val []byte, found bool) {
	val, found = w.m[string(key)]
	return val, found
}

// len is the number of keys with pending writes.
func (w *writeSet) len() int { return len(w.m) }

// seal freezes the set and returns its mutations sorted by key. Sealing
// twice returns the same mutations.
func (w *writeSet) seal() []Mutation {
	if w.sealed == nil {
		w.sealed = w.withPrefix(nil)
	}
	return w.sealed
}

// isSealed reports whether seal was called since the last reset.
func (w *writeSet) isSealed() bool { return w.sealed != nil }

// reset empties and unseals the set.
func (w *writeSet) reset() {
	clear(w.m)
	w.sealed = nil
}

// withPrefix returns the pending mutations whose key starts with prefix,
// sorted by key. The result is never nil.
func (w *writeSet) withPrefix(prefix []byte) []Mutation {
	out := make([]Mutation, 0, len(w.m))
	p := string(prefix)
	for k, v := range w.m {
		if strings.HasPrefix(k, p) {
			out = append(out, Mutation{Key: []byte(k), Value: v})
		}
	}
	slices.SortFunc(out, func(a, b Mutation) int { return bytes.Compare(a.Key, b.Key) })
	return out
}
