package state

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// updates records OnUpdate calls.
type updates struct {
	mu  sync.Mutex
	got []string
}

func (u *updates) record(key, old, new []byte) {
	u.mu.Lock()
	defer u.mu.Unlock()
	show := func(b []byte) string {
		if b == nil {
			return "<nil>"
		}
		return string(b)
	}
	u.got = append(u.got, fmt.Sprintf("%s:%s->%s", key, show(old), show(new)))
}

func (u *updates) take() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := u.got
	u.got = nil
	return out
}

func (u *updates) has(s string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, g := range u.got {
		if g == s {
			return true
		}
	}
	return false
}

func openGlobal(t testing.TB, c *cluster, dir, topic string, u *updates, reg *Registry) *GlobalTable {
	t.Helper()
	cfg := GlobalConfig{
		Dir: dir, Topic: topic, ClientOpts: c.opts,
		DiscoveryInterval: 200 * time.Millisecond,
		Registry:          reg,
	}
	if u != nil {
		cfg.OnUpdate = u.record
	}
	g, err := OpenGlobal(testCtx(t), cfg)
	if err != nil {
		t.Fatalf("open global: %v", err)
	}
	t.Cleanup(func() { _ = g.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := g.WaitReady(ctx); err != nil {
		t.Fatalf("wait ready: %v", err)
	}
	return g
}

func rec(topic string, partition int32, k, v string) *kgo.Record {
	r := &kgo.Record{Topic: topic, Partition: partition, Key: []byte(k)}
	if v != "<del>" {
		r.Value = []byte(v)
	}
	return r
}

// TestGlobalTable: catch-up over all partitions (transactional and plain
// records, aborted ones skipped), live updates with OnUpdate, cache
// invalidation, partitions added after open, and restart from checkpoints.
func TestGlobalTable(t *testing.T) {
	onBoth(t, func(t *testing.T, c *cluster) {
		topic := c.topic(t, "catalog", 2)
		plain := c.client(t, kgo.RecordPartitioner(kgo.ManualPartitioner()))
		txn := c.txnProducer(t, topic)
		produce(t, plain, rec(topic, 0, "a", "1"), rec(topic, 1, "b", "1"), rec(topic, 1, "gone", "x"))
		inTxn(t, txn, true, []*kgo.Record{rec(topic, 0, "c", "1"), rec(topic, 1, "gone", "<del>")})
		inTxn(t, txn, false, []*kgo.Record{rec(topic, 0, "a", "aborted"), rec(topic, 1, "ghost", "1")})

		dir := t.TempDir()
		reg := NewRegistry()
		u := &updates{}
		g := openGlobal(t, c, dir, topic, u, reg)

		// Caught up, transaction markers last on both partitions.
		wantValue(t, g, "a", "1")
		wantValue(t, g, "b", "1")
		wantValue(t, g, "c", "1")
		wantAbsent(t, g, "gone")
		wantAbsent(t, g, "ghost")
		if !reg.Ready() || g.Readiness().Replayed != 5 {
			t.Fatalf("readiness %+v", g.Readiness())
		}
		if !u.has("gone:x-><nil>") {
			t.Errorf("updates %v lack the delete of gone", u.got)
		}
		u.take()

		// Live update; the cached value is invalidated.
		wantValue(t, g, "a", "1") // cached now
		produce(t, plain, rec(topic, 0, "a", "2"))
		eventually(t, "update of a", func() bool { v, _ := mustGet(t, g, "a"); return v == "2" })
		eventually(t, "OnUpdate of a", func() bool { return u.has("a:1->2") })

		// A cached absent key is invalidated too.
		wantAbsent(t, g, "new")
		inTxn(t, txn, true, []*kgo.Record{rec(topic, 1, "new", "1")})
		eventually(t, "new key", func() bool { _, ok := mustGet(t, g, "new"); return ok })

		// A partition added after open.
		resp, err := c.adm.CreatePartitions(testCtx(t), 1, topic)
		if err == nil {
			err = resp.Error()
		}
		if err != nil {
			t.Fatalf("create partitions: %v", err)
		}
		eventually(t, "3 partitions", func() bool {
			md, err := c.adm.ListTopics(testCtx(t), topic)
			return err == nil && len(md[topic].Partitions) == 3
		})
		plain = c.client(t, kgo.RecordPartitioner(kgo.ManualPartitioner())) // fresh metadata
		produce(t, plain, rec(topic, 2, "p2", "1"))
		eventually(t, "record on the new partition", func() bool { _, ok := mustGet(t, g, "p2"); return ok })
		eventually(t, "readiness lists the new partition", func() bool { return len(g.Readiness().Partitions) == 3 })

		// Restart from checkpoints: only records produced while closed
		// are replayed.
		if err := g.Close(); err != nil {
			t.Fatal(err)
		}
		if err := g.Close(); err != nil {
			t.Fatalf("second close: %v", err)
		}
		if len(reg.Snapshot()) != 0 {
			t.Fatalf("closed table still registered")
		}
		produce(t, plain, rec(topic, 2, "p2", "2"))
		u.take()
		g = openGlobal(t, c, dir, topic, u, reg)
		wantValue(t, g, "p2", "2")
		wantValue(t, g, "a", "2")
		if got := u.take(); len(got) != 1 || got[0] != "p2:1->2" {
			t.Errorf("updates after restart %v, want only p2:1->2", got)
		}
	})
}

// TestGlobalTableWaitReadyBlocksUntilCaughtUp checks WaitReady against a
// table still waiting for an open transaction, and that Close releases it.
func TestGlobalTableWaitReadyBlocksUntilCaughtUp(t *testing.T) {
	c := newFakeCluster(t)
	topic := c.topic(t, "catalog", 1)
	txn := c.txnProducer(t, topic)
	if err := txn.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	produce(t, txn, rec(topic, 0, "a", "1"))
	g, err := OpenGlobal(testCtx(t), GlobalConfig{Dir: t.TempDir(), Topic: topic, ClientOpts: c.opts})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := g.WaitReady(ctx); err == nil {
		t.Fatal("ready while a transaction is open")
	}
	if err := txn.EndTransaction(testCtx(t), kgo.TryCommit); err != nil {
		t.Fatal(err)
	}
	if err := g.WaitReady(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	wantValue(t, g, "a", "1")
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if err := g.WaitReady(testCtx(t)); err != nil {
		t.Fatalf("WaitReady after close of a ready table: %v", err)
	}
	if _, _, err := g.Get([]byte("a")); err != ErrClosed {
		t.Fatalf("get after close: %v", err)
	}
}
