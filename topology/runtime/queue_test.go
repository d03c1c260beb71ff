package runtime

import (
	"sync"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
)

// fakePauser records pause state per partition.
type fakePauser struct {
	mu     sync.Mutex
	paused map[int32]bool
	calls  int
}

func (f *fakePauser) PauseFetchPartitions(tps map[string][]int32) map[string][]int32 {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ps := range tps {
		for _, p := range ps {
			f.paused[p] = true
		}
	}
	f.calls++
	return nil
}

func (f *fakePauser) ResumeFetchPartitions(tps map[string][]int32) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ps := range tps {
		for _, p := range ps {
			delete(f.paused, p)
		}
	}
	f.calls++
}

func (f *fakePauser) isPaused(p int32) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.paused[p]
}

func recs(from, n int) []*kgo.Record {
	out := make([]*kgo.Record, n)
	for i := range out {
		out[i] = &kgo.Record{Offset: int64(from + i)}
	}
	return out
}

func TestQueuePausesUntilReadyAndWhenFull(t *testing.T) {
	fp := &fakePauser{paused: map[int32]bool{}}
	depth, pauses := 0, 0
	q := newQueue("in", 3, 10, fp, func(n int) { depth = n }, func(p bool) {
		if p {
			pauses++
		} else {
			pauses--
		}
	})

	q.hold()
	if !fp.isPaused(3) || pauses != 1 {
		t.Fatal("hold did not pause the partition")
	}
	q.markReady()
	if fp.isPaused(3) || pauses != 0 {
		t.Fatal("markReady did not resume the partition")
	}

	q.push(recs(0, 9))
	if fp.isPaused(3) || depth != 9 {
		t.Fatalf("paused below the limit (depth %d)", depth)
	}
	q.push(recs(9, 3))
	if !fp.isPaused(3) || depth != 12 {
		t.Fatalf("not paused at depth %d", depth)
	}
	got := q.pop(6)
	if len(got) != 6 || got[0].Offset != 0 || got[5].Offset != 5 {
		t.Fatalf("pop(6) = %d records from %d", len(got), got[0].Offset)
	}
	if !fp.isPaused(3) {
		t.Fatal("resumed above the low mark (depth 6)")
	}
	got = q.pop(1)
	if fp.isPaused(3) || depth != 5 || got[0].Offset != 6 {
		t.Fatalf("not resumed at the low mark: depth %d, paused %v", depth, fp.isPaused(3))
	}
	rest := q.pop(0)
	if len(rest) != 5 || rest[0].Offset != 7 || rest[4].Offset != 11 {
		t.Fatalf("pop(0) = %d records, want offsets 7..11", len(rest))
	}
	if q.pop(0) != nil {
		t.Fatal("pop of an empty queue returned records")
	}
	if pauses != 0 {
		t.Fatalf("pause gauge %d, want 0", pauses)
	}
}

func TestQueueStaysPausedWhileNotReady(t *testing.T) {
	fp := &fakePauser{paused: map[int32]bool{}}
	q := newQueue("in", 0, 4, fp, func(int) {}, func(bool) {})
	q.hold()
	q.push(recs(0, 6))
	q.pop(0)
	if !fp.isPaused(0) {
		t.Fatal("resumed before the task was ready")
	}
	q.markReady()
	if fp.isPaused(0) {
		t.Fatal("not resumed once ready with an empty queue")
	}
}

func TestQueueStopDropsAndRefuses(t *testing.T) {
	fp := &fakePauser{paused: map[int32]bool{}}
	q := newQueue("in", 1, 2, fp, func(int) {}, func(bool) {})
	q.markReady()
	q.push(recs(0, 5))
	if !fp.isPaused(1) {
		t.Fatal("not paused when full")
	}
	if n := q.stop(); n != 5 {
		t.Fatalf("stop dropped %d records, want 5", n)
	}
	if fp.isPaused(1) {
		t.Fatal("a stopped queue left its partition paused")
	}
	if q.push(recs(5, 1)) {
		t.Fatal("push to a stopped queue succeeded")
	}
	if q.pop(0) != nil {
		t.Fatal("a stopped queue returned records")
	}
}

func TestQueueCompacts(t *testing.T) {
	fp := &fakePauser{paused: map[int32]bool{}}
	q := newQueue("in", 0, 1000, fp, func(int) {}, func(bool) {})
	q.markReady()
	next := 0
	for i := range 100 {
		q.push(recs(i*10, 10))
		for _, r := range q.pop(7) {
			if r.Offset != int64(next) {
				t.Fatalf("popped offset %d, want %d", r.Offset, next)
			}
			next++
		}
	}
	for _, r := range q.pop(0) {
		if r.Offset != int64(next) {
			t.Fatalf("popped offset %d, want %d", r.Offset, next)
		}
		next++
	}
	if next != 1000 {
		t.Fatalf("popped %d records, want 1000", next)
	}
	if cap(q.recs) > 2000 {
		t.Fatalf("queue backing array grew to %d", cap(q.recs))
	}
}
