package state

import (
	"errors"
	"sync"
)

// ErrReadOnly is returned by writes to a global table's derived data
// outside its Derive hook.
var ErrReadOnly = errors.New("state: derived data is written only by the Derive hook")

// DerivedKV is the derived key space of a global table: data a caller
// computes from the topic's records (indexes, version history) and that
// must stay in step with them. Within GlobalConfig.Derive it is writable
// and its writes are staged; they are stored in the same Badger
// transaction as the poll's records and checkpoints, so derived data never
// runs ahead of or behind the records it was derived from, and a crash
// simply derives them again. Outside the hook it is read-only. Reads see
// staged writes. It is safe for concurrent use.
type DerivedKV struct {
	d *db

	mu     sync.RWMutex
	open   bool
	staged map[string][]byte // nil value: deleted
	order  []string
}

func newDerivedKV(d *db) *DerivedKV { return &DerivedKV{d: d, staged: map[string][]byte{}} }

// Get returns the value of key in the derived key space.
func (k *DerivedKV) Get(key []byte) ([]byte, bool, error) {
	k.mu.RLock()
	v, staged := k.staged[string(key)]
	k.mu.RUnlock()
	if staged {
		return v, v != nil, nil
	}
	return k.d.getRaw(derivedKey(key))
}

// Put stages key=val; only within the Derive hook.
func (k *DerivedKV) Put(key, val []byte) error {
	if val == nil {
		val = []byte{}
	}
	return k.stage(key, append([]byte(nil), val...))
}

// Delete stages the deletion of key; only within the Derive hook.
func (k *DerivedKV) Delete(key []byte) error { return k.stage(key, nil) }

func (k *DerivedKV) stage(key, val []byte) error {
	if len(key) == 0 {
		return ErrEmptyKey
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.open {
		return ErrReadOnly
	}
	s := string(key)
	if _, seen := k.staged[s]; !seen {
		k.order = append(k.order, s)
	}
	k.staged[s] = val
	return nil
}

func (k *DerivedKV) begin() {
	k.mu.Lock()
	k.open = true
	k.mu.Unlock()
}

// writes returns the staged writes and closes the hook's window; they stay
// visible to readers until cleared after they are stored.
func (k *DerivedKV) writes() []write {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.open = false
	out := make([]write, 0, len(k.order))
	for _, s := range k.order {
		v := k.staged[s]
		out = append(out, write{key: derivedKey([]byte(s)), val: v, del: v == nil})
	}
	return out
}

func (k *DerivedKV) clear() {
	k.mu.Lock()
	k.open = false
	k.staged = map[string][]byte{}
	k.order = k.order[:0]
	k.mu.Unlock()
}
