package state

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestRebuildAfterLocalDirDeleted: a store whose directory is gone, or
// corrupt, is rebuilt from the whole changelog, deletes and empty values
// included.
func TestRebuildAfterLocalDirDeleted(t *testing.T) {
	onBoth(t, func(t *testing.T, c *cluster) {
		topic := c.topic(t, "changelog", 1)
		dir := t.TempDir()
		producer := c.txnProducer(t, topic)
		s := openStore(t, c, dir, topic, 0, nil)
		for i := range 5 {
			for k := range 20 {
				put(t, s, fmt.Sprintf("k%02d", k), fmt.Sprintf("v%d", i))
			}
			commitThrough(t, s, producer, true)
		}
		for k := range 5 {
			if err := s.Delete(fmt.Appendf(nil, "k%02d", k)); err != nil {
				t.Fatal(err)
			}
		}
		commitThrough(t, s, producer, true)
		put(t, s, "empty", "")
		commitThrough(t, s, producer, true)
		check := func(s *Store) {
			t.Helper()
			for k := range 20 {
				key := fmt.Sprintf("k%02d", k)
				if k < 5 {
					wantAbsent(t, s, key)
				} else {
					wantValue(t, s, key, "v4")
				}
			}
			v, ok, err := s.Get([]byte("empty"))
			if err != nil || !ok || v == nil || len(v) != 0 {
				t.Fatalf("empty value: %q %v %v", v, ok, err)
			}
		}
		check(s)
		closeStore(t, s)

		const records = 5*20 + 5 + 1
		removeStoreDir(t, dir, 0)
		s = openStore(t, c, dir, topic, 0, nil)
		check(s)
		if r := s.Readiness(); r.Replayed != records {
			t.Errorf("rebuild replayed %d records, want %d", r.Replayed, records)
		}
		closeStore(t, s)

		// Corrupt: garbage where Badger keeps its manifest.
		manifest := filepath.Join(dir, "counts", "0", "MANIFEST")
		if err := os.WriteFile(manifest, []byte("not a manifest"), 0o644); err != nil {
			t.Fatal(err)
		}
		s = openStore(t, c, dir, topic, 0, nil)
		check(s)
		if r := s.Readiness(); r.Replayed != records {
			t.Errorf("rebuild of a corrupt directory replayed %d records, want %d", r.Replayed, records)
		}
	})
}

// TestRestoreEndsAtTransactionMarker: after transactions the last offset of
// the changelog is a commit or abort marker, never returned as a record;
// the restore must still finish, and wait for an open transaction to end.
func TestRestoreEndsAtTransactionMarker(t *testing.T) {
	onBoth(t, func(t *testing.T, c *cluster) {
		for _, tc := range []struct {
			name       string
			lastCommit bool
		}{
			{"commit marker last", true},
			{"abort marker last", false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				topic := c.topic(t, "changelog", 1)
				producer := c.txnProducer(t, topic)
				inTxn(t, producer, true, []*kgo.Record{{Topic: topic, Key: []byte("a"), Value: []byte("1")}})
				inTxn(t, producer, tc.lastCommit, []*kgo.Record{{Topic: topic, Key: []byte("b"), Value: []byte("2")}})

				ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
				defer cancel()
				s, err := Open(ctx, StoreConfig{Dir: t.TempDir(), Name: "counts", Topic: topic, ClientOpts: c.opts})
				if err != nil {
					t.Fatalf("open (a restore that never ends times out here): %v", err)
				}
				defer s.Close()
				wantValue(t, s, "a", "1")
				if tc.lastCommit {
					wantValue(t, s, "b", "2")
				} else {
					wantAbsent(t, s, "b")
				}
				end, err := listOffsets(ctx, c.adm.ListEndOffsets, topic, []int32{0})
				if err != nil {
					t.Fatal(err)
				}
				if got := s.Checkpoint(); got != end[0] {
					t.Errorf("checkpoint %d, want the end offset %d (past the marker)", got, end[0])
				}
				if r := s.Readiness(); r.Phase != PhaseReady || r.Partitions[0].Position != end[0] || r.Partitions[0].Target != end[0] {
					t.Errorf("readiness %+v, want ready at %d", r, end[0])
				}
			})
		}

		t.Run("open transaction", func(t *testing.T) {
			topic := c.topic(t, "changelog", 1)
			producer := c.txnProducer(t, topic)
			ctx := testCtx(t)
			if err := producer.BeginTransaction(); err != nil {
				t.Fatal(err)
			}
			produce(t, producer, &kgo.Record{Topic: topic, Key: []byte("late"), Value: []byte("1")})

			reg := NewRegistry()
			type result struct {
				s   *Store
				err error
			}
			done := make(chan result, 1)
			go func() {
				s, err := Open(ctx, StoreConfig{Dir: t.TempDir(), Name: "counts", Topic: topic, ClientOpts: c.opts, Registry: reg})
				done <- result{s, err}
			}()
			select {
			case r := <-done:
				t.Fatalf("restore finished (%v) while a transaction was open", r.err)
			case <-time.After(500 * time.Millisecond):
			}
			if snap := reg.Snapshot(); len(snap) != 1 || snap[0].Phase != PhaseRestoring || reg.Ready() {
				t.Errorf("registry while restoring: %+v", snap)
			}
			if err := producer.EndTransaction(ctx, kgo.TryCommit); err != nil {
				t.Fatal(err)
			}
			r := <-done
			if r.err != nil {
				t.Fatal(r.err)
			}
			defer r.s.Close()
			wantValue(t, r.s, "late", "1")
			if !reg.Ready() {
				t.Errorf("registry not ready: %+v", reg.Snapshot())
			}
		})
	})
}

// TestEndProbe checks HasRecordsBefore on a partition whose tail is a
// transaction marker.
func TestEndProbe(t *testing.T) {
	onBoth(t, func(t *testing.T, c *cluster) {
		topic := c.topic(t, "changelog", 1)
		producer := c.txnProducer(t, topic)
		recs := inTxn(t, producer, true, []*kgo.Record{
			{Topic: topic, Key: []byte("a"), Value: []byte("1")},
			{Topic: topic, Key: []byte("b"), Value: []byte("2")},
		})
		inTxn(t, producer, false, []*kgo.Record{{Topic: topic, Key: []byte("c"), Value: []byte("3")}})
		ctx := testCtx(t)
		end, err := stableEnds(ctx, c.adm, topic, nil, stablePoll)
		if err != nil {
			t.Fatal(err)
		}
		cl := c.client(t)
		last := LastOffset(recs)
		for _, tc := range []struct {
			from int64
			want bool
		}{
			{0, true},
			{last, true},
			{last + 1, false}, // commit marker, aborted record, abort marker
			{end[0], false},
		} {
			got, err := HasRecordsBefore(ctx, cl, topic, 0, tc.from, end[0])
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("HasRecordsBefore(from %d, end %d) = %v, want %v", tc.from, end[0], got, tc.want)
			}
		}
	})
}
