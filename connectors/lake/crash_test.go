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

// faultyOptions runs the sink on a store of o.Root (local or S3) that dies
// at step failAt, Kafka offset commits counting as steps.
func faultyOptions(t *testing.T, o Options, failAt int) (Options, *objstore.Faulty) {
	t.Helper()
	var inner objstore.Store
	if objstore.IsS3Root(o.Root) {
		inner = s3Store(t, o.Root)
	} else {
		local, err := objstore.NewLocal(o.Root)
		if err != nil {
			t.Fatal(err)
		}
		inner = local
	}
	f := objstore.NewFaulty(inner, failAt)
	o.Store = f
	o.beforeCommit = f.Step
	return o, f
}

// crashScenario is the traffic of the sink crash tests: 60 events on a
// topic of two partitions, 10 of them in an aborted transaction, and more
// after each crash.
type crashScenario struct {
	t     *testing.T
	topic string
	seeds []string
	want  *totals
	next  int // first event number of the next traffic
}

func newCrashScenario(t *testing.T) *crashScenario {
	const topic = "usage-enriched"
	c := &crashScenario{t: t, topic: topic, seeds: fakeCluster(t, topic, 2), want: newTotals(), next: 1000}
	c.produce(0, 30, true)
	c.produce(30, 10, false)
	c.produce(40, 20, true)
	return c
}

func (c *crashScenario) produce(start, n int, commit bool) {
	produceEvents(c.t, c.seeds, c.topic, c.want, start, n, commit)
}

// moreTraffic produces 6 committed and 3 aborted events: traffic goes on
// while the sink is down.
func (c *crashScenario) moreTraffic() {
	c.produce(c.next, 6, true)
	c.produce(c.next+6, 3, false)
	c.next += 9
}

// restart drains root as group again, with other roll limits than the
// crashed run so that roll boundaries differ from its.
func (c *crashScenario) restart(root, group string, failAt int, crashedAt string) {
	c.t.Helper()
	o := crashOptions(root, c.topic, group)
	o.RollRows = 13
	o.MaxBufferedRows = 25
	if _, err := drain(c.t, o, fastGroup(c.seeds)...); err != nil {
		c.t.Fatalf("crash at step %d (%s): restart: %v", failAt, crashedAt, err)
	}
}

// TestSinkCrashAtEveryStep kills the sink at every step of its protocol
// (file create, publish, manifest update, offset commit, manifest prune),
// adds more data, restarts it with different roll limits, and checks that
// the lake then holds every committed event exactly once and, after
// maintenance, no unlisted files.
func TestSinkCrashAtEveryStep(t *testing.T) {
	sc := newCrashScenario(t)

	// A clean run counts the steps.
	o, f := faultyOptions(t, crashOptions(t.TempDir(), sc.topic, "count"), 0)
	if _, err := drain(t, o, fastGroup(sc.seeds)...); err != nil {
		t.Fatal(err)
	}
	steps := f.Steps()
	assertExactly(t, o.Root, sc.want)
	t.Logf("a clean run takes %d steps", steps)

	for failAt := 1; failAt <= steps; failAt++ {
		root := t.TempDir()
		group := fmt.Sprintf("crash-%d", failAt)
		o, f := faultyOptions(t, crashOptions(root, sc.topic, group), failAt)
		err := drainErr(o, fastGroup(sc.seeds)...)
		if !errors.Is(err, objstore.ErrCrashed) {
			t.Fatalf("step %d: drain returned %v, want the injected crash", failAt, err)
		}
		trace := f.Trace()
		sc.moreTraffic()
		sc.restart(root, group, failAt, trace[len(trace)-1])
		t.Run(fmt.Sprintf("step%02d", failAt), func(t *testing.T) {
			assertExactly(t, root, sc.want)
			assertNoOrphansAfterMaintenance(t, root, sc.want)
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
// checks that every data file stored under root (a folder or an s3://
// root) is listed by its manifest and the content is unchanged.
func assertNoOrphansAfterMaintenance(t *testing.T, root string, want *totals) {
	t.Helper()
	o := Options{Root: root, OrphanGrace: time.Nanosecond, RetainReplaced: time.Nanosecond, CompactAfter: time.Hour}
	if _, err := Compact(context.Background(), o); err != nil {
		t.Fatalf("maintenance: %v", err)
	}
	assertOnlyListedFiles(t, root)
	assertExactly(t, root, want)
}

// assertOnlyListedFiles checks that every data file stored under root is
// listed by its partition's manifest.
func assertOnlyListedFiles(t *testing.T, root string) {
	t.Helper()
	listed := listedFiles(t, root)
	var stored []string
	if objstore.IsS3Root(root) {
		stored = s3DataFiles(t, root)
	} else {
		stored = dataFiles(t, root)
	}
	sort.Strings(listed)
	sort.Strings(stored)
	if fmt.Sprint(listed) != fmt.Sprint(stored) {
		t.Fatalf("stored: %v\nlisted: %v", stored, listed)
	}
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
