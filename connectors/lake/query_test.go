package lake

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/avro"
)

func offlineLake(t *testing.T, n int) (string, []avro.EnrichedUsageEvent) {
	t.Helper()
	root := t.TempDir()
	evs := genEvents(0, n)
	o := testOptions(root, "usage-enriched", "g")
	o.RollRows = 1000
	o.RowGroupRows = 8
	o.MaxBufferedRows = 10000
	writeOffline(t, o, evs, 3)
	return root, evs
}

// reference computes what Query must answer, straight from the events.
func reference(evs []avro.EnrichedUsageEvent, spec QuerySpec) Result {
	f, err := spec.compile()
	if err != nil {
		panic(err)
	}
	agg := newAggregator(spec.GroupBy)
	for i := range evs {
		r, err := fromEnriched(&evs[i], "t", 0, 0)
		if err != nil {
			panic(err)
		}
		a := aggRecord{ISRC: r.ISRC, DSP: r.DSP, Territory: r.Territory, PeriodStart: r.PeriodStart,
			IngestTime: r.IngestTime, Units: r.Units, Revenue: r.Revenue, Currency: r.Currency}
		if f.row(&a) {
			agg.add(&a)
		}
	}
	return agg.result()
}

func sameResult(t *testing.T, got, want Result) {
	t.Helper()
	g := renderString(t, Result{GroupBy: got.GroupBy, Groups: got.Groups, Totals: got.Totals}, FormatCSV)
	w := renderString(t, Result{GroupBy: want.GroupBy, Groups: want.Groups, Totals: want.Totals}, FormatCSV)
	if g != w {
		t.Fatalf("query result differs\n got:\n%s\nwant:\n%s", g, w)
	}
}

func renderString(t *testing.T, r Result, f Format) string {
	t.Helper()
	var b strings.Builder
	if err := RenderResult(&b, r, f); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestQueryMatchesReference(t *testing.T) {
	root, evs := offlineLake(t, 400)
	specs := []QuerySpec{
		{},
		{GroupBy: []Dimension{DimDSP}},
		{GroupBy: []Dimension{DimISRC, DimDSP, DimTerritory, DimPeriod}},
		{GroupBy: []Dimension{DimTerritory}, IngestFrom: "2024-05-02", IngestTo: "2024-05-03"},
		{GroupBy: []Dimension{DimPeriod}, PeriodFrom: "2024-04", PeriodTo: "2024-04", DSPs: []string{"Apple Music", "Beat/port=../x%"}},
		{GroupBy: []Dimension{DimISRC}, ISRCs: []string{"GBAAA0000005", "GBAAA0000017", "NOPE00000000"}},
		{Territories: []string{"DE"}, DSPs: []string{"Deezer"}, IngestFrom: "2024-05-03"},
	}
	for i, spec := range specs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			got, err := Query(context.Background(), root, spec)
			if err != nil {
				t.Fatal(err)
			}
			want := reference(evs, spec)
			sameResult(t, got, want)
			if got.Stats.RowsMatched != sumRows(want) {
				t.Fatalf("rows matched %d, want %d", got.Stats.RowsMatched, sumRows(want))
			}
			t.Logf("%+v", got.Stats)
		})
	}
}

func sumRows(r Result) int64 {
	var n int64
	for _, t := range r.Totals {
		n += t.Rows
	}
	return n
}

// TestQueryPrunesPartitions checks that a query for one DSP and one day
// opens only the files of that day's and DSP's partitions.
func TestQueryPrunesPartitions(t *testing.T) {
	root, _ := offlineLake(t, 400)
	spec := QuerySpec{DSPs: []string{"Beat/port=../x%"}, IngestFrom: "2024-05-02", IngestTo: "2024-05-02"}
	got, err := Query(context.Background(), root, spec)
	if err != nil {
		t.Fatal(err)
	}
	prefix := "ingest_date=2024-05-02/dsp=" + EscapeValue("Beat/port=../x%") + "/"
	want, all := 0, listedFiles(t, root)
	parts := map[string]bool{}
	for _, f := range all {
		if strings.HasPrefix(f, prefix) {
			want++
			parts[f[:strings.LastIndexByte(f, '/')]] = true
		}
	}
	if want == 0 || want == len(all) {
		t.Fatalf("test lake has %d matching of %d files; want a proper subset", want, len(all))
	}
	if got.Stats.Files != want || got.Stats.Partitions != len(parts) {
		t.Fatalf("query read %d files in %d partitions, want %d files in %d partitions (lake has %d files)",
			got.Stats.Files, got.Stats.Partitions, want, len(parts), len(all))
	}
}

// TestQueryPrunesRowGroups checks that an ISRC query skips row groups by
// statistics and bloom filter.
func TestQueryPrunesRowGroups(t *testing.T) {
	root, evs := offlineLake(t, 400)
	spec := QuerySpec{ISRCs: []string{"GBAAA0000011"}}
	got, err := Query(context.Background(), root, spec)
	if err != nil {
		t.Fatal(err)
	}
	sameResult(t, got, reference(evs, spec))
	if got.Stats.RowGroupsSkipped == 0 || got.Stats.RowGroupsRead >= got.Stats.RowGroupsSkipped {
		t.Fatalf("ISRC query read %d row groups and skipped %d; want most skipped", got.Stats.RowGroupsRead, got.Stats.RowGroupsSkipped)
	}
	// An ISRC inside every row group's min/max range but absent: only the
	// bloom filter can skip.
	spec = QuerySpec{ISRCs: []string{"GBAAA0000011X"}}
	got, err = Query(context.Background(), root, spec)
	if err != nil {
		t.Fatal(err)
	}
	if got.Stats.RowsMatched != 0 {
		t.Fatalf("absent ISRC matched %d rows", got.Stats.RowsMatched)
	}
	t.Logf("absent ISRC: %+v", got.Stats)
}
