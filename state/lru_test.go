package state

import (
	"fmt"
	"testing"
)

func TestLRU(t *testing.T) {
	c := newLRU(3, 1<<20)
	add := func(k, v string) { c.add([]byte(k), []byte(v), true, c.epoch()) }
	add("a", "1")
	add("b", "2")
	add("c", "3")
	if _, _, hit := c.get([]byte("a")); !hit { // a becomes most recent
		t.Fatal("miss on a")
	}
	add("d", "4") // evicts b, the least recently used
	if _, _, hit := c.get([]byte("b")); hit {
		t.Fatal("b not evicted")
	}
	for _, k := range []string{"a", "c", "d"} {
		if _, _, hit := c.get([]byte(k)); !hit {
			t.Fatalf("%s evicted", k)
		}
	}

	// Absent keys are cached as such.
	c.add([]byte("x"), nil, false, c.epoch())
	if _, ok, hit := c.get([]byte("x")); !hit || ok {
		t.Fatalf("absent entry: ok %v hit %v", ok, hit)
	}

	// A lookup that raced an invalidation is not cached.
	epoch := c.epoch()
	c.invalidate([][]byte{[]byte("a")})
	c.add([]byte("a"), []byte("stale"), true, epoch)
	if _, _, hit := c.get([]byte("a")); hit {
		t.Fatal("stale value cached after invalidation")
	}
	if c.len() > 3 {
		t.Fatalf("len %d over bound", c.len())
	}
}

func TestLRUByteBound(t *testing.T) {
	c := newLRU(1000, 100)
	for i := range 20 {
		c.add(fmt.Appendf(nil, "k%02d", i), make([]byte, 17), true, c.epoch()) // 20 bytes each
	}
	if c.len() != 5 || c.bytes != 100 {
		t.Fatalf("len %d bytes %d, want 5 and 100", c.len(), c.bytes)
	}
	c.add([]byte("huge"), make([]byte, 200), true, c.epoch())
	if _, _, hit := c.get([]byte("huge")); hit {
		t.Fatal("entry larger than the cache was cached")
	}
	var nilCache *lru
	nilCache.add([]byte("a"), nil, false, 0)
	if _, _, hit := nilCache.get([]byte("a")); hit || newLRU(0, 1) != nil {
		t.Fatal("disabled cache caches")
	}
}
