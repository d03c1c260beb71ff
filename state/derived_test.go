package state

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestGlobalTableDerivedData: derived writes are stored with the records
// they come from, survive a reopen, are read-only outside the hook, and a
// failing hook stops the table without storing the poll.
func TestGlobalTableDerivedData(t *testing.T) {
	onBoth(t, func(t *testing.T, c *cluster) {
		topic := c.topic(t, "derived", 2)
		dir := t.TempDir()
		// The hook keeps a reverse index value -> key and a count of
		// updates per key.
		derive := func(kv *DerivedKV, key, old, new []byte) error {
			if old != nil {
				if err := kv.Delete(append([]byte("rev/"), old...)); err != nil {
					return err
				}
			}
			if new != nil {
				if err := kv.Put(append([]byte("rev/"), new...), key); err != nil {
					return err
				}
			}
			return nil
		}
		open := func() *GlobalTable {
			g, err := OpenGlobal(testCtx(t), GlobalConfig{Dir: dir, Topic: topic, ClientOpts: c.opts,
				DiscoveryInterval: 200 * time.Millisecond, Derive: derive})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := g.WaitReady(ctx); err != nil {
				t.Fatal(err)
			}
			return g
		}
		produce(t, c.client(t), rec(topic, 0, "a", "x"), rec(topic, 1, "b", "y"), rec(topic, 0, "a", "z"))
		g := open()
		eventually(t, "index built", func() bool {
			v, ok, _ := g.Derived().Get([]byte("rev/z"))
			return ok && string(v) == "a"
		})
		wantAbsent(t, g.Derived(), "rev/x")
		wantValue(t, g.Derived(), "rev/y", "b")
		if err := g.Derived().Put([]byte("k"), []byte("v")); !errors.Is(err, ErrReadOnly) {
			t.Fatalf("write outside the hook: %v", err)
		}
		if err := g.Close(); err != nil {
			t.Fatal(err)
		}
		g = open()
		defer g.Close()
		wantValue(t, g.Derived(), "rev/z", "a")
		wantValue(t, g.Derived(), "rev/y", "b")
		wantAbsent(t, g.Derived(), "rev/x")
		wantAbsent(t, g, "rev/z") // derived keys never show among the topic's keys
	})
}
