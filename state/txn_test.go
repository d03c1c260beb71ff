package state

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestAbortedTransactionLeavesNoTrace: writes made under an aborted Kafka
// transaction are gone from the store, from its disk after a reopen, and
// from a rebuild out of the changelog; a committed transaction survives all
// three.
func TestAbortedTransactionLeavesNoTrace(t *testing.T) {
	onBoth(t, func(t *testing.T, c *cluster) {
		topic := c.topic(t, "changelog", 1)
		dir := t.TempDir()
		producer := c.txnProducer(t, topic)

		s := openStore(t, c, dir, topic, 0, nil)
		put(t, s, "kept", "1")
		commitThrough(t, s, producer, true)

		put(t, s, "ghost", "x")
		put(t, s, "kept", "overwritten-then-aborted")
		wantValue(t, s, "ghost", "x") // read-your-writes before the abort
		commitThrough(t, s, producer, false)

		check := func(s *Store) {
			t.Helper()
			wantAbsent(t, s, "ghost")
			wantValue(t, s, "kept", "1")
		}
		check(s)
		closeStore(t, s)

		// From disk.
		s = openStore(t, c, dir, topic, 0, nil)
		check(s)
		closeStore(t, s)

		// From the changelog alone.
		removeStoreDir(t, dir, 0)
		s = openStore(t, c, dir, topic, 0, nil)
		check(s)
		if r := s.Readiness(); r.Replayed != 1 {
			t.Errorf("replayed %d records, want 1 (the aborted ones must be skipped)", r.Replayed)
		}
	})
}

// TestCrashBeforeCommitIsReplayed: the Kafka transaction committed but the
// process died before Store.Commit; reopening replays the changelog.
func TestCrashBeforeCommitIsReplayed(t *testing.T) {
	onBoth(t, func(t *testing.T, c *cluster) {
		topic := c.topic(t, "changelog", 2)
		dir := t.TempDir()
		producer := c.txnProducer(t, topic)

		s := openStore(t, c, dir, topic, 1, nil)
		put(t, s, "a", "1")
		commitThrough(t, s, producer, true)
		before := s.Checkpoint()

		put(t, s, "a", "2")
		put(t, s, "b", "1")
		if err := s.Delete([]byte("gone")); err != nil {
			t.Fatal(err)
		}
		inTxn(t, producer, true, s.Records(s.Pending()))
		closeStore(t, s) // the crash: the write-set is never applied

		s = openStore(t, c, dir, topic, 1, nil)
		wantValue(t, s, "a", "2")
		wantValue(t, s, "b", "1")
		wantAbsent(t, s, "gone")
		if s.Checkpoint() <= before {
			t.Errorf("checkpoint %d did not advance past %d", s.Checkpoint(), before)
		}
		if r := s.Readiness(); r.Replayed != 3 {
			t.Errorf("replayed %d records, want 3 (only those after the checkpoint)", r.Replayed)
		}
	})
}

func put(t testing.TB, s *Store, k, v string) {
	t.Helper()
	if err := s.Put([]byte(k), []byte(v)); err != nil {
		t.Fatalf("put %q: %v", k, err)
	}
}

func closeStore(t testing.TB, s *Store) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
}

func removeStoreDir(t testing.TB, dir string, partition int) {
	t.Helper()
	p := filepath.Join(dir, "counts", strconv.Itoa(partition))
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("store dir: %v", err)
	}
	if err := os.RemoveAll(p); err != nil {
		t.Fatal(err)
	}
}
