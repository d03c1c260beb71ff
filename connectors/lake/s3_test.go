package lake

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
	"github.com/ledgerline/ledgerline/connectors/lake/objstore/s3test"
)

// The tests in this file run the lake on an S3-compatible server (see
// objstore/s3test): they skip without one, and fail under CI=true.

// TestS3SinkQueryScanCompact drains a topic with committed and aborted
// transactions into an s3:// root, then checks that Scan and Query read
// exactly the committed events, with exact revenue per currency, before
// and after more data and after compaction.
func TestS3SinkQueryScanCompact(t *testing.T) {
	root := s3test.Root(t)
	const topic = "usage-enriched"
	seeds := fakeCluster(t, topic, 3)
	want := newTotals()
	var committed []avro.EnrichedUsageEvent
	produce := func(start, n int, commit bool) {
		if evs := produceEvents(t, seeds, topic, want, start, n, commit); commit {
			committed = append(committed, evs...)
		}
	}
	produce(0, 40, true)
	produce(40, 30, false)
	produce(70, 25, true)
	produce(95, 40, true)
	produce(135, 20, false) // the topic ends in an abort marker

	opts := testOptions(root, topic, "g1")
	st, err := drain(t, opts, fastGroup(seeds)...)
	if err != nil {
		t.Fatalf("drain: %v", err)
	}
	if st.Rows != int64(len(want.ids)) {
		t.Fatalf("stats rows %d, want %d", st.Rows, len(want.ids))
	}
	assertExactly(t, root, want)
	assertQueryMatches(t, root, committed, want)
	if _, err := os.Stat("s3:"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("an s3:// root must not create a local directory: %v", err)
	}

	// More data, a new sink in the same group: only the new events are added.
	produce(200, 35, true)
	st, err = drain(t, opts, fastGroup(seeds)...)
	if err != nil {
		t.Fatalf("second drain: %v", err)
	}
	if st.Rows != 35 || st.Replayed != 0 {
		t.Fatalf("second drain stats %+v, want 35 rows and no replay", st)
	}
	assertExactly(t, root, want)
	assertQueryMatches(t, root, committed, want)

	// Compaction merges the many small files into few, in the bucket.
	before := len(s3DataFiles(t, root))
	cs, err := Compact(context.Background(), Options{Root: root, CompactAfter: time.Nanosecond,
		RetainReplaced: time.Nanosecond, OrphanGrace: time.Nanosecond})
	if err != nil {
		t.Fatalf("compact: %v", err)
	}
	if cs.Compacted == 0 {
		t.Fatalf("nothing compacted: %+v", cs)
	}
	// A second pass deletes the replaced inputs.
	if _, err := Compact(context.Background(), Options{Root: root, CompactAfter: time.Nanosecond,
		RetainReplaced: time.Nanosecond, OrphanGrace: time.Nanosecond}); err != nil {
		t.Fatalf("second compact: %v", err)
	}
	after := s3DataFiles(t, root)
	t.Logf("compaction: %+v; data files %d -> %d", cs, before, len(after))
	if len(after) >= before {
		t.Fatalf("compaction left %d data files of %d", len(after), before)
	}
	assertExactly(t, root, want)
	assertQueryMatches(t, root, committed, want)
	assertOnlyListedFiles(t, root)
}

// assertQueryMatches checks Query on the lake at root against the
// reference computed from the committed events, and its totals against
// want exactly.
func assertQueryMatches(t *testing.T, root string, committed []avro.EnrichedUsageEvent, want *totals) {
	t.Helper()
	ctx := context.Background()
	all, err := Query(ctx, root, QuerySpec{})
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	if len(all.Totals) != len(want.revenue) {
		t.Fatalf("query totals %+v, want currencies %v", all.Totals, want.revenue)
	}
	var rows int64
	for _, tot := range all.Totals {
		if w := want.revenue[tot.Currency]; !tot.Revenue.Equal(w) {
			t.Fatalf("query revenue %s: %s, want %s", tot.Currency, tot.Revenue, w)
		}
		rows += tot.Rows
	}
	if rows != int64(len(want.ids)) {
		t.Fatalf("query rows %d, want %d", rows, len(want.ids))
	}
	for _, spec := range []QuerySpec{
		{GroupBy: []Dimension{DimDSP, DimTerritory}},
		{GroupBy: []Dimension{DimISRC}, ISRCs: []string{"GBAAA0000005", "GBAAA0000017"}},
		{GroupBy: []Dimension{DimPeriod}, IngestFrom: "2024-05-02", DSPs: []string{"Beat/port=../x%"}},
	} {
		got, err := Query(ctx, root, spec)
		if err != nil {
			t.Fatalf("query %+v: %v", spec, err)
		}
		sameResult(t, got, reference(committed, spec))
	}
}

// s3Store opens the store of an s3:// root.
func s3Store(t testing.TB, root string) objstore.Store {
	t.Helper()
	st, err := openRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// s3DataFiles lists the data and temporary objects under root, listed by a
// manifest or not.
func s3DataFiles(t testing.TB, root string) []string {
	t.Helper()
	st := s3Store(t, root)
	var out []string
	var walk func(dir string)
	walk = func(dir string) {
		entries, err := st.List(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := path.Join(dir, e.Name)
			switch {
			case e.Dir:
				walk(name)
			case isDataFile(e.Name) || strings.HasPrefix(e.Name, objstore.TempPrefix):
				out = append(out, name)
			}
		}
	}
	walk("")
	sort.Strings(out)
	return out
}

// TestS3SinkCrashBetweenUploadAndManifestSwap kills the sink after a data
// file was uploaded and before the manifest listing it was published (and,
// once, right after the swap, before the Kafka commit), adds more data,
// restarts with other roll limits, and checks that the lake then holds
// every committed event exactly once, and after maintenance no unlisted
// object.
func TestS3SinkCrashBetweenUploadAndManifestSwap(t *testing.T) {
	probe := s3test.Root(t)
	sc := newCrashScenario(t)

	// A clean run counts the steps and finds the crash points.
	o, f := faultyOptions(t, crashOptions(probe, sc.topic, "count"), 0)
	if _, err := drain(t, o, fastGroup(sc.seeds)...); err != nil {
		t.Fatal(err)
	}
	assertExactly(t, probe, sc.want)
	trace := f.Trace()
	var swaps []int // steps that publish a manifest right after a data file upload
	afterSwap := 0  // a Kafka commit right after a manifest swap
	for i := 1; i < len(trace); i++ {
		prev, cur := trace[i-1], trace[i]
		if strings.HasPrefix(prev, "commit ") && isDataFile(path.Base(prev)) &&
			strings.HasPrefix(cur, "put ") && strings.Contains(cur, "/"+manifestDir+"/") {
			swaps = append(swaps, i+1)
		}
		if afterSwap == 0 && strings.HasPrefix(prev, "put ") && cur == "kafka offset commit" {
			afterSwap = i + 1
		}
	}
	if len(swaps) == 0 {
		t.Fatalf("no upload followed by a manifest swap in %q", trace)
	}
	// Crash at every swap, and once after a swap.
	points := swaps
	if afterSwap > 0 {
		points = append(points, afterSwap)
	}
	t.Logf("a clean run takes %d steps; crash points %v of swaps %v", len(trace), points, swaps)

	for _, failAt := range points {
		root := s3test.Root(t)
		group := fmt.Sprintf("crash-%d", failAt)
		o, f := faultyOptions(t, crashOptions(root, sc.topic, group), failAt)
		err := drainErr(o, fastGroup(sc.seeds)...)
		if !errors.Is(err, objstore.ErrCrashed) {
			t.Fatalf("step %d: drain returned %v, want the injected crash", failAt, err)
		}
		tr := f.Trace()
		crashedAt := tr[len(tr)-1]
		if strings.HasPrefix(crashedAt, "put ") {
			// The uploaded file is in the bucket, and no manifest lists it.
			uploaded := strings.TrimPrefix(tr[len(tr)-2], "commit ")
			if !contains(s3DataFiles(t, root), uploaded) || contains(listedFiles(t, root), uploaded) {
				t.Fatalf("crash at %q: %s should be stored and unlisted", crashedAt, uploaded)
			}
		}

		sc.moreTraffic()
		sc.restart(root, group, failAt, crashedAt) // on a new connection to the bucket
		t.Run(fmt.Sprintf("step%02d", failAt), func(t *testing.T) {
			assertExactly(t, root, sc.want)
			assertNoOrphansAfterMaintenance(t, root, sc.want)
		})
	}
}

// TestS3RootErrors checks the errors of an s3:// root that cannot be used.
func TestS3RootErrors(t *testing.T) {
	root := s3test.Root(t)
	bucket, _, err := objstore.ParseS3Root(root)
	if err != nil {
		t.Fatal(err)
	}
	missing := objstore.S3Scheme + bucket + "-missing-" + fmt.Sprint(time.Now().UnixNano()) + "/x"
	if _, err := openRoot(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing bucket: %v, want fs.ErrNotExist", err)
	}
	// An empty prefix of an existing bucket is a lake without a layout.
	if err := Scan(context.Background(), root, func(Row) error { return nil }); err == nil {
		t.Fatal("scan of an empty root succeeded")
	}
	t.Setenv(objstore.EnvS3Endpoint, "")
	if _, err := openRoot(root); err == nil || !strings.Contains(err.Error(), objstore.EnvS3Endpoint) {
		t.Fatalf("without an endpoint: %v", err)
	}
}
