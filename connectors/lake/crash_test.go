package lake

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// crashOptions use one partition key so that a run has few steps, and
// therefore few crash points to try.
func crashOptions(root, topic, group string) Options {
	o := testOptions(root, topic, group)
	o.PartitionKeys = []PartitionKey{KeyIngestDate}
	o.RollRows = 7
	return o
}

// faultyOptions runs the sink on a store that dies at step failAt, Kafka
// offset commits counting as steps.
func faultyOptions(t *testing.T, o Options, failAt int) (Options, *objstore.Faulty) {
	t.Helper()
	inner, err := objstore.NewLocal(o.Root)
	if err != nil {
		t.Fatal(err)
	}
	f := objstore.NewFaulty(inner, failAt)
	o.Store = f
	o.beforeCommit = f.Step
	return o, f
}

// TestSinkCrashAtEveryStep kills the sink at every step of its protocol
// (file create, publish, manifest update, offset commit, manifest prune),
// adds more data, restarts it with different roll limits, and checks that
// the lake then holds every committed event exactly once and, after
// maintenance, no unlisted files.
func TestSinkCrashAtEveryStep(t *testing.T) {
	const topic = "usage-enriched"
	seeds := fakeCluster(t, topic, 2)
	want := newTotals()
	produce := func(start, n int, commit bool) { produceEvents(t, seeds, topic, want, start, n, commit) }
	produce(0, 30, true)
	produce(30, 10, false)
	produce(40, 20, true)

	// A clean run counts the steps.
	o, f := faultyOptions(t, crashOptions(t.TempDir(), topic, "count"), 0)
	if _, err := drain(t, o, fastGroup(seeds)...); err != nil {
		t.Fatal(err)
	}
	steps := f.Steps()
	assertExactly(t, o.Root, want)
	t.Logf("a clean run takes %d steps", steps)

	next := 1000
	for failAt := 1; failAt <= steps; failAt++ {
		root := t.TempDir()
		group := fmt.Sprintf("crash-%d", failAt)
		o, f := faultyOptions(t, crashOptions(root, topic, group), failAt)
		t0 := time.Now()
		err := drainErr(o, fastGroup(seeds)...)
		t.Logf("crash run %v", time.Since(t0))
		if !errors.Is(err, objstore.ErrCrashed) {
			t.Fatalf("step %d: drain returned %v, want the injected crash", failAt, err)
		}
		trace := f.Trace()
		crashedAt := trace[len(trace)-1]

		// Traffic goes on while the sink is down.
		t1 := time.Now()
		produce(next, 6, true)
		produce(next+6, 3, false)
		next += 9
		t.Logf("produce %v", time.Since(t1))
		t1 = time.Now()

		// Restart with other roll limits: roll boundaries differ from the
		// crashed run's.
		o = crashOptions(root, topic, group)
		o.RollRows = 13
		o.MaxBufferedRows = 25
		if _, err := drain(t, o, fastGroup(seeds)...); err != nil {
			t.Fatalf("crash at step %d (%s): restart: %v", failAt, crashedAt, err)
		}
		t.Logf("restart %v", time.Since(t1))
		t.Run(fmt.Sprintf("step%02d", failAt), func(t *testing.T) {
			assertExactly(t, root, want)
			assertNoOrphansAfterMaintenance(t, root, want)
		})
	}
}

// drainErr is drain for runs that may fail anywhere, NewSink included.
func drainErr(o Options, kopts ...kgo.Opt) error {
	s, err := NewSink(o, kopts...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	_, err = s.Drain(ctx)
	return err
}

// assertNoOrphansAfterMaintenance runs maintenance with no grace and
// checks that every data file on disk is listed by its manifest and the
// content is unchanged.
func assertNoOrphansAfterMaintenance(t *testing.T, root string, want *totals) {
	t.Helper()
	o := Options{Root: root, OrphanGrace: time.Nanosecond, RetainReplaced: time.Nanosecond, CompactAfter: time.Hour}
	if _, err := Compact(context.Background(), o); err != nil {
		t.Fatalf("maintenance: %v", err)
	}
	listed := listedFiles(t, root)
	onDisk := dataFiles(t, root)
	sort.Strings(listed)
	sort.Strings(onDisk)
	if fmt.Sprint(listed) != fmt.Sprint(onDisk) {
		t.Fatalf("after maintenance\non disk: %v\nlisted:  %v", onDisk, listed)
	}
	assertExactly(t, root, want)
}

func listedFiles(t testing.TB, root string) []string {
	t.Helper()
	st, err := openRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	l, err := readLayout(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := listPartitions(ctx, st, l.PartitionKeys, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range parts {
		m, _, err := loadManifest(ctx, st, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m.Files {
			out = append(out, path.Join(p, f.Name))
		}
	}
	return out
}
