package state

import (
	"container/list"
	"sync"
)

// lru is a bounded least-recently-used cache of key lookups, absent keys
// included, bounded both in entries and in bytes of keys plus values.
//
// It is invalidated by key, and guards against a lookup racing an update:
// a reader takes epoch() before reading the database and add() drops the
// result if any invalidation happened since, so a value read before an
// update can never be cached after it.
//
// It is a plain LRU rather than Badger's ristretto because ristretto admits
// and applies writes asynchronously, which makes "invalidated on update"
// hard to guarantee, and because the hot set (catalog lookups) is small.
type lru struct {
	mu         sync.Mutex
	maxEntries int
	maxBytes   int
	bytes      int
	epochN     uint64
	order      *list.List // front = most recently used; values are *lruEntry
	byKey      map[string]*list.Element
}

type lruEntry struct {
	key string
	val []byte
	ok  bool
}

func (e *lruEntry) size() int { return len(e.key) + len(e.val) }

// newLRU returns a cache of at most maxEntries entries and maxBytes bytes.
// It returns nil, a valid cache that holds nothing, if either bound is <= 0.
func newLRU(maxEntries, maxBytes int) *lru {
	if maxEntries <= 0 || maxBytes <= 0 {
		return nil
	}
	return &lru{
		maxEntries: maxEntries,
		maxBytes:   maxBytes,
		order:      list.New(),
		byKey:      make(map[string]*list.Element),
	}
}

// get returns a cached lookup of key; hit is false on a miss.
func (c *lru) get(key []byte) (val []byte, ok, hit bool) {
	if c == nil {
		return nil, false, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, found := c.byKey[string(key)]
	if !found {
		return nil, false, false
	}
	c.order.MoveToFront(el)
	e := el.Value.(*lruEntry)
	return e.val, e.ok, true
}

// epoch returns the invalidation counter to pass to add.
func (c *lru) epoch() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epochN
}

// add caches a lookup made after epoch() returned epoch, unless an
// invalidation happened since.
func (c *lru) add(key, val []byte, ok bool, epoch uint64) {
	if c == nil {
		return
	}
	e := &lruEntry{key: string(key), val: val, ok: ok}
	if e.size() > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epochN {
		return
	}
	if el, found := c.byKey[e.key]; found {
		c.removeElement(el)
	}
	c.byKey[e.key] = c.order.PushFront(e)
	c.bytes += e.size()
	for c.order.Len() > c.maxEntries || c.bytes > c.maxBytes {
		c.removeElement(c.order.Back())
	}
}

// invalidate drops keys and fails every add whose epoch predates this call.
func (c *lru) invalidate(keys [][]byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epochN++
	for _, k := range keys {
		if el, found := c.byKey[string(k)]; found {
			c.removeElement(el)
		}
	}
}

// len returns the number of cached entries.
func (c *lru) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

func (c *lru) removeElement(el *list.Element) {
	e := el.Value.(*lruEntry)
	c.order.Remove(el)
	delete(c.byKey, e.key)
	c.bytes -= e.size()
}
