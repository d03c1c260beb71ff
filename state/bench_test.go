package state

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

const benchKeys = 10000

func benchKey(i int) []byte { return fmt.Appendf(nil, "catalog/track/%08d", i) }

var benchValue = make([]byte, 200)

// BenchmarkStoreGet reads committed keys of a warm store (Badger, no
// cache), still in Badger's memtable.
func BenchmarkStoreGet(b *testing.B) { benchStoreGet(b, false) }

// BenchmarkStoreGetFromTables is BenchmarkStoreGet after a reopen, which
// moved the data into Badger's on-disk tables.
func BenchmarkStoreGetFromTables(b *testing.B) { benchStoreGet(b, true) }

func benchStoreGet(b *testing.B, reopen bool) {
	c := newFakeCluster(b)
	dir, topic := b.TempDir(), c.topic(b, "changelog", 1)
	producer := c.txnProducer(b, topic)
	s := openStore(b, c, dir, topic, 0, nil)
	for i := range benchKeys {
		if err := s.Put(benchKey(i), benchValue); err != nil {
			b.Fatal(err)
		}
	}
	commitThrough(b, s, producer, true)
	if reopen {
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		s = openStore(b, c, dir, topic, 0, nil)
	}
	keys := make([][]byte, benchKeys)
	for i := range keys {
		keys[i] = benchKey((i * 7919) % benchKeys)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok, err := s.Get(keys[i%benchKeys]); err != nil || !ok {
			b.Fatal(ok, err)
		}
		i++
	}
}

// BenchmarkStoreGetPending reads keys written in the current transaction.
func BenchmarkStoreGetPending(b *testing.B) {
	c := newFakeCluster(b)
	s := openStore(b, c, b.TempDir(), c.topic(b, "changelog", 1), 0, nil)
	for i := range 1000 {
		if err := s.Put(benchKey(i), benchValue); err != nil {
			b.Fatal(err)
		}
	}
	key := benchKey(500)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, err := s.Get(key); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

func benchGlobal(b *testing.B, cacheEntries int) {
	c := newFakeCluster(b)
	topic := c.topic(b, "catalog", 2)
	producer := c.client(b)
	recs := make([]*kgo.Record, benchKeys)
	for i := range recs {
		recs[i] = &kgo.Record{Topic: topic, Key: benchKey(i), Value: benchValue}
	}
	produce(b, producer, recs...)
	g, err := OpenGlobal(testCtx(b), GlobalConfig{Dir: b.TempDir(), Topic: topic, ClientOpts: c.opts, CacheEntries: cacheEntries})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = g.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := g.WaitReady(ctx); err != nil {
		b.Fatal(err)
	}
	const hot = 1000 // the hot set fits the cache
	keys := make([][]byte, hot)
	for i := range keys {
		keys[i] = benchKey((i * 7919) % benchKeys)
		if _, ok, err := g.Get(keys[i]); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok, err := g.Get(keys[i%hot]); err != nil || !ok {
			b.Fatal(ok, err)
		}
		i++
	}
}

// BenchmarkGlobalGetCached reads a hot key set through the LRU cache.
func BenchmarkGlobalGetCached(b *testing.B) { benchGlobal(b, 0) }

// BenchmarkGlobalGetUncached reads the same keys with the cache disabled.
func BenchmarkGlobalGetUncached(b *testing.B) { benchGlobal(b, -1) }
