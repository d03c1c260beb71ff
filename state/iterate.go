package state

import (
	"bytes"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// Iterate calls fn for every key starting with prefix, in key order, with
// the write-set merged over the committed data: pending values replace
// committed ones and pending deletes hide them.
//
// It iterates a snapshot taken when it starts; writes made by fn (Put and
// Delete are allowed) are not seen by the iteration. key and val are valid
// only during fn. If fn returns an error, iteration stops and Iterate
// returns that error unchanged.
func (s *Store) Iterate(prefix []byte, fn func(key, val []byte) error) error {
	if !s.g.enter() {
		return ErrClosed
	}
	defer s.g.exit()
	s.mu.Lock()
	pend := s.ws.withPrefix(prefix)
	s.mu.Unlock()

	var fnErr error
	call := func(k, v []byte) bool {
		fnErr = fn(k, v)
		return fnErr == nil
	}
	emitPending := func(m Mutation) bool {
		if m.IsDelete() {
			return true
		}
		return call(m.Key, m.Value)
	}

	err := s.d.bdb.View(func(txn *badger.Txn) error {
		start := dataKey(prefix)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: start})
		defer it.Close()
		i := 0
		for it.Seek(start); it.ValidForPrefix(start); it.Next() {
			item := it.Item()
			k := userKey(item.Key())
			for i < len(pend) && bytes.Compare(pend[i].Key, k) < 0 {
				if !emitPending(pend[i]) {
					return nil
				}
				i++
			}
			if i < len(pend) && bytes.Equal(pend[i].Key, k) {
				if !emitPending(pend[i]) {
					return nil
				}
				i++
				continue
			}
			var cont bool
			if err := item.Value(func(v []byte) error {
				if v == nil {
					v = []byte{}
				}
				cont = call(k, v)
				return nil
			}); err != nil {
				return err
			}
			if !cont {
				return nil
			}
		}
		for ; i < len(pend); i++ {
			if !emitPending(pend[i]) {
				return nil
			}
		}
		return nil
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("state: iterate %s/%d: %w", s.name, s.partition, err)
	}
	return nil
}
