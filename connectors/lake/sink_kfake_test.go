package lake

import (
	"testing"
	"time"
)

func TestSinkWritesExactlyTheCommittedEvents(t *testing.T) {
	const topic = "usage-enriched"
	seeds := fakeCluster(t, topic, 3)
	want := newTotals()
	batches := [][2]int{{0, 40}, {40, 30}, {70, 25}, {95, 40}, {135, 20}}
	for i, b := range batches {
		produceEvents(t, seeds, topic, want, b[0], b[1], i != 1 && i != 4) // the last transaction is aborted too: the topic ends in an abort marker
	}
	root := t.TempDir()
	opts := testOptions(root, topic, "g1")
	st, err := drain(t, opts, fastGroup(seeds)...)
	if err != nil {
		t.Fatalf("drain: %v", err)
	}
	t.Logf("first drain: %+v", st)
	if st.Rows != int64(len(want.ids)) {
		t.Fatalf("stats rows %d, want %d", st.Rows, len(want.ids))
	}
	assertExactly(t, root, want)

	// More data, a new sink in the same group: only the new events are added.
	evs := produceEvents(t, seeds, topic, want, 200, 35, true)
	st, err = drain(t, opts, fastGroup(seeds)...)
	if err != nil {
		t.Fatalf("second drain: %v", err)
	}
	if st.Rows != int64(len(evs)) || st.Replayed != 0 {
		t.Fatalf("second drain stats %+v, want %d rows and no replay", st, len(evs))
	}
	assertExactly(t, root, want)

	// Nothing new: the group is caught up from the start (its committed
	// offsets already equal the end offsets) and Drain returns at once.
	start := time.Now()
	st, err = drain(t, opts, fastGroup(seeds)...)
	if err != nil || st.Rows != 0 {
		t.Fatalf("third drain: %+v, %v", st, err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("drain of a caught-up group took %v", d)
	}
	assertExactly(t, root, want)
}
