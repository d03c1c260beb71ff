package state

import (
	"bytes"
	"fmt"
	"testing"
)

// TestLargeWriteSetIsSplitSafely commits a write-set far larger than one
// Badger transaction, and checks that a crash between two of its pieces is
// repaired by the replay from the checkpoint.
func TestLargeWriteSetIsSplitSafely(t *testing.T) {
	onBoth(t, func(t *testing.T, c *cluster) {
		topic := c.topic(t, "changelog", 1)
		dir := t.TempDir()
		producer := c.txnProducer(t, topic)
		s := openStore(t, c, dir, topic, 0, nil)

		const n = 4000
		val := bytes.Repeat([]byte("v"), 400) // ~1.6 MB, above the ~600 KB limit
		key := func(i int) []byte { return fmt.Appendf(nil, "key-%05d", i) }
		for i := range n {
			if err := s.Put(key(i), val); err != nil {
				t.Fatal(err)
			}
		}
		commitThrough(t, s, producer, true)
		for i := 0; i < n; i += 397 {
			wantValue(t, s, string(key(i)), string(val))
		}
		checkpoint := s.Checkpoint()

		// Overwrite everything, produce it, and "crash" after Badger
		// applied only the first piece: no checkpoint was written.
		val2 := bytes.Repeat([]byte("w"), 400)
		for i := range n {
			if err := s.Put(key(i), val2); err != nil {
				t.Fatal(err)
			}
		}
		muts := s.Pending()
		inTxn(t, producer, true, s.Records(muts))
		var firstPiece []write
		for _, m := range muts[:n/3] {
			firstPiece = append(firstPiece, write{key: dataKey(m.Key), val: m.Value})
		}
		if err := s.d.apply(firstPiece, nil); err != nil {
			t.Fatal(err)
		}
		closeStore(t, s)

		s = openStore(t, c, dir, topic, 0, nil)
		for i := range n {
			wantValue(t, s, string(key(i)), string(val2))
		}
		if r := s.Readiness(); r.Replayed != n || s.Checkpoint() <= checkpoint {
			t.Errorf("replayed %d from checkpoint %d to %d, want %d records", r.Replayed, checkpoint, s.Checkpoint(), n)
		}
	})
}
