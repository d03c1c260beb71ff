package processortest

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"sort"
	"sync"

	"github.com/ledgerline/ledgerline/processors"
)

// KV is an in-memory processors.KV indexed by a map. It is safe for
// concurrent use. Put copies the value it is given and Get returns a copy,
// as a real store does, so neither side can alias the other's buffers.
//
// Keys and values live in large byte chunks and the index holds only
// integers (key hash → position of the newest record with that hash,
// records of equal hashes chained), so the garbage collector never scans
// the contents: a store of millions of records, such as a generated
// catalog in a benchmark, costs no GC work. Space of overwritten or
// deleted records is not reclaimed until the KV is dropped.
type KV struct {
	mu     sync.RWMutex
	seed   maphash.Seed
	index  hashIndex // key hash -> ref of the chain's first record
	chunks [][]byte
	n      int
}

// A ref locates a record: chunk index << 32 | offset, plus one, so that
// zero means none. A record is the ref of the next record in its chain
// (8 bytes, little endian), the key and the value, each preceded by its
// length as a uvarint.
const (
	chunkSize = 1 << 20
	refSize   = 8
)

var _ processors.KV = (*KV)(nil)

// NewKV returns an empty store.
func NewKV() *KV { return &KV{seed: maphash.MakeSeed()} }

// Get implements processors.KV.
func (s *KV) Get(key []byte) ([]byte, bool, error) {
	h := maphash.Bytes(s.seed, key)
	s.mu.RLock()
	defer s.mu.RUnlock()
	for ref := s.index.get(h); ref != 0; {
		next, k, v := s.record(ref)
		if bytes.Equal(k, key) {
			return clone(v), true, nil
		}
		ref = next
	}
	return nil, false, nil
}

// Put implements processors.KV.
func (s *KV) Put(key, value []byte) error {
	h := maphash.Bytes(s.seed, key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.unlink(h, key) {
		s.n++
	}
	s.index.set(h, s.append(s.index.get(h), key, value))
	return nil
}

// Delete implements processors.KV.
func (s *KV) Delete(key []byte) error {
	h := maphash.Bytes(s.seed, key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unlink(h, key) {
		s.n--
	}
	return nil
}

// Len returns the number of keys.
func (s *KV) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.n
}

// Keys returns every key, sorted.
func (s *KV) Keys() []string {
	s.mu.RLock()
	keys := make([]string, 0, s.n)
	s.index.each(func(ref uint64) {
		for ref != 0 {
			next, k, _ := s.record(ref)
			keys = append(keys, string(k))
			ref = next
		}
	})
	s.mu.RUnlock()
	sort.Strings(keys)
	return keys
}

// record decodes the record at ref.
func (s *KV) record(ref uint64) (next uint64, key, value []byte) {
	ref--
	b := s.chunks[ref>>32][uint32(ref):]
	next = binary.LittleEndian.Uint64(b)
	b = b[refSize:]
	n, w := binary.Uvarint(b)
	key, b = b[w:w+int(n)], b[w+int(n):]
	n, w = binary.Uvarint(b)
	return next, key, b[w : w+int(n)]
}

// setNext rewrites the chain link of the record at ref.
func (s *KV) setNext(ref, next uint64) {
	ref--
	binary.LittleEndian.PutUint64(s.chunks[ref>>32][uint32(ref):], next)
}

// unlink removes key from the chain of hash h, reporting whether it was
// there.
func (s *KV) unlink(h uint64, key []byte) bool {
	var prev uint64
	for ref := s.index.get(h); ref != 0; {
		next, k, _ := s.record(ref)
		if bytes.Equal(k, key) {
			switch {
			case prev != 0:
				s.setNext(prev, next)
			case next != 0:
				s.index.set(h, next)
			default:
				s.index.remove(h)
			}
			return true
		}
		prev, ref = ref, next
	}
	return false
}

// append stores a record linking to next and returns its ref.
func (s *KV) append(next uint64, key, value []byte) uint64 {
	size := refSize + 2*binary.MaxVarintLen64 + len(key) + len(value)
	last := len(s.chunks) - 1
	if last < 0 || cap(s.chunks[last])-len(s.chunks[last]) < size {
		s.chunks = append(s.chunks, make([]byte, 0, max(chunkSize, size)))
		last++
	}
	c := s.chunks[last]
	ref := uint64(last)<<32 | uint64(len(c))
	c = binary.LittleEndian.AppendUint64(c, next)
	c = binary.AppendUvarint(c, uint64(len(key)))
	c = append(c, key...)
	c = binary.AppendUvarint(c, uint64(len(value)))
	c = append(c, value...)
	s.chunks[last] = c
	return ref + 1
}

// clone copies b; a nil or empty b becomes an empty, non-nil slice so a
// stored empty value reads back as present.
func clone(b []byte) []byte {
	out := make([]byte, len(b))
	copy(out, b)
	return out
}
