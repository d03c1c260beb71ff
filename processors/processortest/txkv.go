package processortest

import (
	"sync"

	"github.com/ledgerline/ledgerline/processors"
)

// TxKV is a KV with transaction semantics: writes go to a pending set that
// reads see (read your writes), Commit applies them to the committed KV and
// Abort discards them. It is safe for concurrent use.
type TxKV struct {
	mu        sync.Mutex
	committed *KV
	pending   map[string]pendingWrite
}

type pendingWrite struct {
	value   []byte
	deleted bool
}

var _ processors.KV = (*TxKV)(nil)

// NewTxKV returns an empty transactional store.
func NewTxKV() *TxKV {
	return &TxKV{committed: NewKV(), pending: map[string]pendingWrite{}}
}

// Get implements processors.KV.
func (s *TxKV) Get(key []byte) ([]byte, bool, error) {
	s.mu.Lock()
	w, ok := s.pending[string(key)]
	s.mu.Unlock()
	if ok {
		if w.deleted {
			return nil, false, nil
		}
		return clone(w.value), true, nil
	}
	return s.committed.Get(key)
}

// Put implements processors.KV.
func (s *TxKV) Put(key, value []byte) error {
	v := clone(value)
	s.mu.Lock()
	s.pending[string(key)] = pendingWrite{value: v}
	s.mu.Unlock()
	return nil
}

// Delete implements processors.KV.
func (s *TxKV) Delete(key []byte) error {
	s.mu.Lock()
	s.pending[string(key)] = pendingWrite{deleted: true}
	s.mu.Unlock()
	return nil
}

// Commit makes the pending writes durable.
func (s *TxKV) Commit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, w := range s.pending {
		if w.deleted {
			_ = s.committed.Delete([]byte(k))
		} else {
			_ = s.committed.Put([]byte(k), w.value)
		}
	}
	clear(s.pending)
}

// Abort discards the pending writes.
func (s *TxKV) Abort() {
	s.mu.Lock()
	clear(s.pending)
	s.mu.Unlock()
}

// Pending returns the number of uncommitted writes.
func (s *TxKV) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// Committed returns the committed state, for inspection.
func (s *TxKV) Committed() *KV { return s.committed }
