package catalog

import (
	"hash/maphash"
	"sync"
)

// cache is a bounded LRU of decoded entries keyed by ISRC, split into
// shards with their own lock so partitions processed on several goroutines do not
// contend. It also remembers ISRCs known to be absent (a nil entry), so
// repeated lookups of unknown recordings do not reach the store.
//
// Promotion is lazy: a hit moves an entry to the front only when it is in
// the older half of the list (its last promotion is at least capacity/2
// promotions ago), so hot entries are found without touching their
// neighbours. The list stays an LRU order up to that granularity: an entry
// is never evicted before capacity/2 other entries were used after it.
//
// Each shard has an epoch that invalidation advances. A reader that missed
// notes the epoch, reads the store, and inserts only if the epoch is
// unchanged, so a record decoded before a concurrent Apply can never
// overwrite the invalidation.
type cache struct {
	seed   maphash.Seed
	shards []cacheShard
}

type cacheShard struct {
	mu        sync.Mutex
	short     map[shortKey]int32 // keys of up to 15 bytes (every ISRC)
	long      map[string]int32   // longer keys
	nodes     []cacheNode
	head      int32 // most recently used; -1 when empty
	tail      int32 // least recently used; -1 when empty
	capacity  int
	tick      uint32 // promotions and insertions so far
	epoch     uint64
	hits      uint64
	misses    uint64
	evictions uint64
}

// shortKey holds a key of up to 15 bytes inline, its length in the last
// byte, so a lookup compares keys without following a string pointer.
type shortKey [16]byte

func makeShortKey(s string) (k shortKey, ok bool) {
	if len(s) >= len(k) {
		return k, false
	}
	copy(k[:], s)
	k[len(k)-1] = byte(len(s))
	return k, true
}

func (s *cacheShard) find(key string) (int32, bool) {
	if k, ok := makeShortKey(key); ok {
		i, found := s.short[k]
		return i, found
	}
	i, found := s.long[key]
	return i, found
}

func (s *cacheShard) setIndex(key string, i int32) {
	if k, ok := makeShortKey(key); ok {
		s.short[k] = i
	} else {
		s.long[key] = i
	}
}

func (s *cacheShard) deleteIndex(key string) {
	if k, ok := makeShortKey(key); ok {
		delete(s.short, k)
	} else {
		delete(s.long, key)
	}
}

type cacheNode struct {
	key        string
	entry      *Entry // nil: the ISRC is known to be absent
	prev, next int32
	tick       uint32 // shard tick when last moved to the front
}

// CacheStats counts cache activity since the catalog was built.
type CacheStats struct {
	Capacity  int
	Size      int
	Hits      uint64
	Misses    uint64
	Evictions uint64
}

const (
	maxShards   = 16   // shards of a large cache
	minPerShard = 1024 // a cache smaller than two shards' worth has one shard, an exact LRU
	nilNode     = -1
)

// newCache returns a cache holding at most capacity entries; a capacity of
// zero or less disables it.
func newCache(capacity int) *cache {
	if capacity <= 0 {
		return &cache{seed: maphash.MakeSeed()}
	}
	n := min(maxShards, max(1, capacity/minPerShard))
	c := &cache{seed: maphash.MakeSeed(), shards: make([]cacheShard, n)}
	for i := range c.shards {
		per := capacity / n
		if i < capacity%n {
			per++
		}
		c.shards[i] = cacheShard{
			short: make(map[shortKey]int32, per), long: map[string]int32{},
			capacity: per, head: nilNode, tail: nilNode,
		}
	}
	return c
}

func (c *cache) shard(key string) *cacheShard {
	if len(c.shards) == 0 {
		return nil
	}
	if len(c.shards) == 1 {
		return &c.shards[0]
	}
	return &c.shards[maphash.String(c.seed, key)%uint64(len(c.shards))]
}

// get returns the cached entry for key. found is false on a miss, and then
// epoch is to be passed to put.
func (c *cache) get(key string) (entry *Entry, found bool, epoch uint64) {
	s := c.shard(key)
	if s == nil {
		return nil, false, 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.find(key)
	if !ok {
		s.misses++
		return nil, false, s.epoch
	}
	s.hits++
	if s.tick-s.nodes[i].tick >= uint32(s.capacity/2) {
		s.moveToFront(i)
	}
	return s.nodes[i].entry, true, 0
}

// put caches entry (nil for absent) under key unless the shard was
// invalidated since epoch was read.
func (c *cache) put(key string, entry *Entry, epoch uint64) {
	s := c.shard(key)
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.epoch != epoch {
		return
	}
	if i, ok := s.find(key); ok {
		s.nodes[i].entry = entry
		s.moveToFront(i)
		return
	}
	var i int32
	if len(s.nodes) < s.capacity {
		i = int32(len(s.nodes))
		s.nodes = append(s.nodes, cacheNode{})
	} else {
		i = s.tail
		s.unlink(i)
		s.deleteIndex(s.nodes[i].key)
		s.evictions++
	}
	s.nodes[i] = cacheNode{key: key, entry: entry, prev: nilNode, next: nilNode}
	s.setIndex(key, i)
	s.pushFront(i)
}

// remove drops key and advances the shard's epoch.
func (c *cache) remove(key string) {
	s := c.shard(key)
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.epoch++
	i, ok := s.find(key)
	if !ok {
		return
	}
	s.unlink(i)
	s.deleteIndex(key)
	// Move the last node into the freed slot so nodes stays dense.
	last := int32(len(s.nodes) - 1)
	if i != last {
		s.nodes[i] = s.nodes[last]
		s.setIndex(s.nodes[i].key, i)
		if p := s.nodes[i].prev; p != nilNode {
			s.nodes[p].next = i
		} else {
			s.head = i
		}
		if n := s.nodes[i].next; n != nilNode {
			s.nodes[n].prev = i
		} else {
			s.tail = i
		}
	}
	s.nodes[last] = cacheNode{}
	s.nodes = s.nodes[:last]
}

// reset empties the cache.
func (c *cache) reset() {
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		s.epoch++
		clear(s.short)
		clear(s.long)
		clear(s.nodes)
		s.nodes = s.nodes[:0]
		s.head, s.tail = nilNode, nilNode
		s.mu.Unlock()
	}
}

func (c *cache) stats() CacheStats {
	var st CacheStats
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		st.Capacity += s.capacity
		st.Size += len(s.nodes)
		st.Hits += s.hits
		st.Misses += s.misses
		st.Evictions += s.evictions
		s.mu.Unlock()
	}
	return st
}

func (s *cacheShard) moveToFront(i int32) {
	if s.head == i {
		return
	}
	s.unlink(i)
	s.pushFront(i)
}

func (s *cacheShard) pushFront(i int32) {
	n := &s.nodes[i]
	s.tick++
	n.prev, n.next, n.tick = nilNode, s.head, s.tick
	if s.head != nilNode {
		s.nodes[s.head].prev = i
	}
	s.head = i
	if s.tail == nilNode {
		s.tail = i
	}
}

func (s *cacheShard) unlink(i int32) {
	n := &s.nodes[i]
	if n.prev != nilNode {
		s.nodes[n.prev].next = n.next
	} else {
		s.head = n.next
	}
	if n.next != nilNode {
		s.nodes[n.next].prev = n.prev
	} else {
		s.tail = n.prev
	}
	n.prev, n.next = nilNode, nilNode
}
