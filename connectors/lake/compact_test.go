package lake

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// smallFileLake writes events into many small files: 3 ingest-date
// partitions, files of at most 5 rows.
func smallFileLake(t *testing.T, n int) (string, *totals) {
	t.Helper()
	root := t.TempDir()
	evs := genEvents(0, n)
	o := testOptions(root, "usage-enriched", "g")
	o.PartitionKeys = []PartitionKey{KeyIngestDate}
	o.RollRows = 5
	o.MaxBufferedRows = 1000
	writeOffline(t, o, evs, 2)
	return root, totalsOf(evs)
}

func totalsOf(evs []avro.EnrichedUsageEvent) *totals {
	w := newTotals()
	for i := range evs {
		w.addEvent(&evs[i])
	}
	return w
}

func compactOptions(root string, target int64) Options {
	return Options{
		Root:               root,
		CompactTargetBytes: target,
		CompactAfter:       time.Nanosecond,
		RetainReplaced:     time.Nanosecond,
		OrphanGrace:        time.Nanosecond,
	}
}

func TestCompactMergesSmallFiles(t *testing.T) {
	root, want := smallFileLake(t, 150)
	before := len(listedFiles(t, root))
	st, err := Compact(context.Background(), compactOptions(root, 64<<20))
	if err != nil {
		t.Fatal(err)
	}
	after := listedFiles(t, root)
	t.Logf("%d files -> %d: %+v", before, len(after), st)
	if len(after) != 3 || st.FilesIn != before || st.ReplacedRemoved != before {
		t.Fatalf("compaction left %d files (want 3, one per partition), stats %+v", len(after), st)
	}
	if onDisk := dataFiles(t, root); len(onDisk) != 3 {
		t.Fatalf("replaced files not deleted: %v", onDisk)
	}
	assertExactly(t, root, want)
	assertSortedByISRC(t, root)

	// Nothing left to do: a second run changes nothing.
	st, err = Compact(context.Background(), compactOptions(root, 64<<20))
	if err != nil || st.Compacted != 0 {
		t.Fatalf("second compaction: %+v, %v", st, err)
	}
}

func assertSortedByISRC(t *testing.T, root string) {
	t.Helper()
	for _, f := range listedFiles(t, root) {
		st, _ := openRoot(root)
		of, err := openParquet(context.Background(), st, f)
		if err != nil {
			t.Fatal(err)
		}
		var prev *record
		for _, rg := range of.pf.RowGroups() {
			err := readRows(rg, func(rs []record) error {
				for i := range rs {
					r := rs[i]
					if prev != nil && compareISRC(prev.ISRC, r.ISRC) > 0 {
						return fmt.Errorf("%s: %v after %v", f, r.ISRC, prev.ISRC)
					}
					prev = &r
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		of.obj.Close()
	}
}

func compareISRC(a, b *string) int {
	x, y := record{ISRC: a}, record{ISRC: b}
	if c := compareRecords(&x, &y); c != 0 && (a == nil || b == nil || *a != *b) {
		return c
	}
	return 0
}

// TestCompactionCrashAtEveryStep kills compaction at every step, then runs
// it again and checks that readers see the same rows all along and that
// nothing is left behind.
func TestCompactionCrashAtEveryStep(t *testing.T) {
	base, want := smallFileLake(t, 90)
	count := t.TempDir()
	copyDir(t, base, count)
	f := faultyCompact(t, count, 0)
	steps := f.Steps()
	t.Logf("a clean compaction takes %d steps", steps)
	for failAt := 1; failAt <= steps; failAt++ {
		root := t.TempDir()
		copyDir(t, base, root)
		f := faultyCompact(t, root, failAt)
		if !f.Crashed() {
			t.Fatalf("step %d: no crash", failAt)
		}
		assertExactly(t, root, want) // a reader after the crash
		if _, err := Compact(context.Background(), compactOptions(root, 64<<20)); err != nil {
			t.Fatalf("step %d: compaction after crash: %v", failAt, err)
		}
		assertExactly(t, root, want)
		if n := len(listedFiles(t, root)); n != 3 {
			t.Fatalf("step %d: %d files after compaction, want 3", failAt, n)
		}
		assertNoOrphansAfterMaintenance(t, root, want)
	}
}

func faultyCompact(t *testing.T, root string, failAt int) *objstore.Faulty {
	t.Helper()
	inner, err := objstore.OpenLocal(root)
	if err != nil {
		t.Fatal(err)
	}
	f := objstore.NewFaulty(inner, failAt)
	o := compactOptions(root, 64<<20)
	o.Store = f
	_, err = Compact(context.Background(), o)
	if failAt == 0 && err != nil {
		t.Fatal(err)
	}
	if failAt > 0 && !errors.Is(err, objstore.ErrCrashed) {
		t.Fatalf("step %d: compaction returned %v, want the injected crash", failAt, err)
	}
	return f
}

// TestReadersDuringCompaction queries the lake continuously while it is
// compacted in rounds with no retention: every answer must be exact.
func TestReadersDuringCompaction(t *testing.T) {
	root, want := smallFileLake(t, 150)
	var wantRev = map[string]string{}
	for c, v := range want.revenue {
		wantRev[c] = v.String()
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var queries atomic.Int64
	errc := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			res, err := Query(ctx, root, QuerySpec{})
			if ctx.Err() != nil {
				return
			}
			if err == nil {
				err = checkTotals(res, int64(len(want.ids)), want.units, wantRev)
			}
			if err != nil {
				errc <- err
				return
			}
			queries.Add(1)
		}
	}()
	for _, target := range []int64{30 << 10, 90 << 10, 300 << 10, 64 << 20} {
		if _, err := Compact(context.Background(), compactOptions(root, target)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	select {
	case err := <-errc:
		t.Fatal(err)
	default:
	}
	if queries.Load() == 0 {
		t.Fatal("no query completed during compaction")
	}
	t.Logf("%d exact queries during compaction; %d files left", queries.Load(), len(listedFiles(t, root)))
	assertExactly(t, root, want)
}

func checkTotals(res Result, rows, units int64, rev map[string]string) error {
	var gotRows, gotUnits int64
	for _, tot := range res.Totals {
		gotRows += tot.Rows
		gotUnits += tot.Units
		if rev[tot.Currency] != tot.Revenue.String() {
			return fmt.Errorf("revenue %s: %s, want %s", tot.Currency, tot.Revenue, rev[tot.Currency])
		}
	}
	if gotRows != rows || gotUnits != units || len(res.Totals) != len(rev) {
		return fmt.Errorf("rows %d units %d, want %d and %d", gotRows, gotUnits, rows, units)
	}
	return nil
}

// TestCompactLeavesOpenPartitions checks that a partition with recent
// appends is not compacted.
func TestCompactLeavesOpenPartitions(t *testing.T) {
	root, _ := smallFileLake(t, 60)
	before := listedFiles(t, root)
	o := compactOptions(root, 64<<20)
	o.CompactAfter = time.Hour
	st, err := Compact(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if st.Compacted != 0 || len(listedFiles(t, root)) != len(before) {
		t.Fatalf("open partitions were compacted: %+v", st)
	}
}

// TestMaintenanceKeepsYoungOrphans checks that an unlisted file younger
// than OrphanGrace (a writer between publishing and listing it) survives.
func TestMaintenanceKeepsYoungOrphans(t *testing.T) {
	root, _ := smallFileLake(t, 20)
	part := filepath.Dir(filepath.Join(root, listedFiles(t, root)[0]))
	young := filepath.Join(part, dataFileName("usage-enriched", 9, 1, 2))
	if err := os.WriteFile(young, []byte("in flight"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := compactOptions(root, 64<<20)
	o.OrphanGrace = time.Hour
	o.CompactAfter = time.Hour
	if _, err := Compact(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(young); err != nil {
		t.Fatalf("young unlisted file removed: %v", err)
	}
	o.OrphanGrace = time.Nanosecond
	if _, err := Compact(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(young); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("old unlisted file kept: %v", err)
	}
}
