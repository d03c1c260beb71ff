package lake

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
	"github.com/ledgerline/ledgerline/internal/kafkatest"
)

// The tests in this file need the real Apache Kafka that
// deploy/kafka/with-broker.sh starts; without it they skip (fail under
// CI=true).

func brokerTopic(t *testing.T, partitions int32) (string, []string) {
	t.Helper()
	seeds := kafkatest.Brokers(t)
	adm := kafkatest.NewAdmin(t)
	topic := kafkatest.TopicName(t, "usage-enriched")
	kafkatest.CreateTopic(t, adm, topic, partitions, nil)
	return topic, seeds
}

func TestBrokerSinkWritesExactlyTheCommittedEvents(t *testing.T) {
	topic, seeds := brokerTopic(t, 3)
	want := newTotals()
	for i, b := range [][2]int{{0, 40}, {40, 30}, {70, 25}, {95, 20}} {
		produceEvents(t, seeds, topic, want, b[0], b[1], i%2 == 0) // the topic ends in an aborted transaction
	}
	root := t.TempDir()
	group := topic + ".lake"
	st, err := drain(t, testOptions(root, topic, group), fastGroup(seeds)...)
	if err != nil {
		t.Fatalf("drain: %v", err)
	}
	t.Logf("drain: %+v", st)
	assertExactly(t, root, want)

	evs := produceEvents(t, seeds, topic, want, 200, 30, true)
	if st, err = drain(t, testOptions(root, topic, group), fastGroup(seeds)...); err != nil {
		t.Fatalf("second drain: %v", err)
	}
	if st.Rows != int64(len(evs)) || st.Replayed != 0 {
		t.Fatalf("second drain %+v, want %d rows and no replay", st, len(evs))
	}
	assertExactly(t, root, want)
}

// TestBrokerSinkRebalance runs two sinks in one group while data arrives,
// stops them one after the other (partitions move by cooperative
// rebalances), and finishes with a drain: every event exactly once.
func TestBrokerSinkRebalance(t *testing.T) {
	topic, seeds := brokerTopic(t, 4)
	root := t.TempDir()
	group := topic + ".lake"
	want := newTotals()
	produce := func(start, n int, commit bool) { produceEvents(t, seeds, topic, want, start, n, commit) }
	run := func(ctx context.Context, wg *sync.WaitGroup, errs chan<- error) *Sink {
		s, err := NewSink(testOptions(root, topic, group), fastGroup(seeds)...)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.Run(ctx)
		}()
		return s
	}
	errs := make(chan error, 4)
	var wgA, wgB sync.WaitGroup
	ctxA, stopA := context.WithCancel(context.Background())
	ctxB, stopB := context.WithCancel(context.Background())
	defer stopA()
	defer stopB()
	a := run(ctxA, &wgA, errs)
	produce(0, 40, true)
	time.Sleep(time.Second)
	b := run(ctxB, &wgB, errs)
	produce(40, 20, false)
	produce(60, 40, true)
	time.Sleep(2 * time.Second)
	stopA()
	wgA.Wait()
	produce(100, 40, true)
	time.Sleep(time.Second)
	stopB()
	wgB.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("sink: %v", err)
		}
	}
	t.Logf("first member: %+v; second member: %+v", a.Stats(), b.Stats())
	if a.Stats().Rows == 0 || b.Stats().Rows == 0 {
		t.Fatal("partitions did not move between the members")
	}
	produce(140, 20, true)
	if _, err := drain(t, testOptions(root, topic, group), fastGroup(seeds)...); err != nil {
		t.Fatalf("drain: %v", err)
	}
	assertExactly(t, root, want)
}

// TestBrokerSinkCrashRestart kills the sink at a spread of protocol steps
// (every kind of step at least once: file create and publish, manifest
// update, offset commit), adds data, restarts with other roll limits and
// checks the lake.
func TestBrokerSinkCrashRestart(t *testing.T) {
	topic, seeds := brokerTopic(t, 2)
	want := newTotals()
	produce := func(start, n int, commit bool) { produceEvents(t, seeds, topic, want, start, n, commit) }
	produce(0, 30, true)
	produce(30, 10, false)
	produce(40, 20, true)

	o, f := faultyOptions(t, crashOptions(t.TempDir(), topic, topic+".count"), 0)
	if _, err := drain(t, o, fastGroup(seeds)...); err != nil {
		t.Fatal(err)
	}
	trace := f.Trace()
	points := crashPoints(trace)
	t.Logf("clean run: %d steps; crashing at %v", len(trace), points)

	next := 1000
	for _, failAt := range points {
		root := t.TempDir()
		group := fmt.Sprintf("%s.crash-%d", topic, failAt)
		o, _ := faultyOptions(t, crashOptions(root, topic, group), failAt)
		if err := drainErr(o, fastGroup(seeds)...); !errors.Is(err, objstore.ErrCrashed) {
			t.Fatalf("step %d (%s): drain returned %v, want the injected crash", failAt, trace[failAt-1], err)
		}
		produce(next, 6, true)
		produce(next+6, 3, false)
		next += 9
		o = crashOptions(root, topic, group)
		o.RollRows = 13
		if _, err := drain(t, o, fastGroup(seeds)...); err != nil {
			t.Fatalf("step %d (%s): restart: %v", failAt, trace[failAt-1], err)
		}
		assertExactly(t, root, want)
		assertNoOrphansAfterMaintenance(t, root, want)
	}
}

// crashPoints picks the first step of every kind, the last step, and a few
// in between.
func crashPoints(trace []string) []int {
	seen := map[string]bool{}
	pick := map[int]bool{len(trace): true, len(trace) / 2: true, len(trace) / 3: true}
	for i, step := range trace {
		kind, _, _ := strings.Cut(step, " ")
		if !seen[kind] {
			seen[kind] = true
			pick[i+1] = true
		}
	}
	var out []int
	for p := range pick {
		if p > 0 {
			out = append(out, p)
		}
	}
	sort.Ints(out)
	return out
}
