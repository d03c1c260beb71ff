package lake

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ledgerline/ledgerline/avro"
)

func expectedFrom(evs []avro.EnrichedUsageEvent) map[string]ExpectedTotals {
	type acc struct {
		name        string
		rows, units int64
		revenue     map[string]decimal.Decimal
	}
	accs := map[string]*acc{}
	for i := range evs {
		e := &evs[i].Event
		a := accs[e.Source.FileSHA256]
		if a == nil {
			a = &acc{name: e.Source.FileName, revenue: map[string]decimal.Decimal{}}
			accs[e.Source.FileSHA256] = a
		}
		a.rows++
		a.units += e.Units
		a.revenue[e.Currency] = a.revenue[e.Currency].Add(e.Revenue)
	}
	out := map[string]ExpectedTotals{}
	for sha, a := range accs {
		rows, units := a.rows, a.units
		out[sha] = ExpectedTotals{FileName: a.name, Accepted: Totals{Rows: &rows, Units: &units, Revenue: a.revenue}}
	}
	return out
}

func TestReconcile(t *testing.T) {
	root, evs := offlineLake(t, 120)
	expected := expectedFrom(evs)

	rep, err := Reconcile(context.Background(), root, expected)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Differences) != 0 || len(rep.Files) != len(expected) {
		t.Fatalf("clean lake: %d files, differences %+v", len(rep.Files), rep.Differences)
	}

	// Declared totals that disagree, an accepted count that disagrees, a
	// file the lake lacks and a file nobody expected.
	sha0 := fmt.Sprintf("%064x", 0xabc000)
	sha1 := fmt.Sprintf("%064x", 0xabc001)
	sha2 := fmt.Sprintf("%064x", 0xabc002)
	e0 := expected[sha0]
	declaredRows := *e0.Accepted.Rows + 1
	e0.Declared = &Totals{Rows: &declaredRows, Revenue: map[string]decimal.Decimal{"EUR": decimal.RequireFromString("1.000000000000001")}}
	expected[sha0] = e0
	e1 := expected[sha1]
	fewer := *e1.Accepted.Units - 3
	e1.Accepted.Units = &fewer
	expected[sha1] = e1
	delete(expected, sha2)
	missing := int64(4)
	expected["f00d"] = ExpectedTotals{FileName: "lost.tsv", Accepted: Totals{Rows: &missing}}

	rep, err = Reconcile(context.Background(), root, expected)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range rep.Differences {
		got = append(got, d.FileSHA256[:4]+"/"+d.Against+"/"+d.Measure+"/"+d.Currency)
	}
	want := []string{
		sha2[:4] + "/lake/file/",
		sha0[:4] + "/declared/rows/",
		sha0[:4] + "/declared/revenue/EUR",
		sha0[:4] + "/declared/revenue/GBP",
		sha0[:4] + "/declared/revenue/USD",
		sha1[:4] + "/accepted/units/",
		"f00d/accepted/rows/",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("differences\n got %v\nwant %v", got, want)
	}
	for _, f := range []Format{FormatTable, FormatCSV, FormatJSON} {
		var b strings.Builder
		if err := RenderReconcile(&b, rep, f); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "lost.tsv") {
			t.Fatalf("%s rendering lacks a difference:\n%s", f, b.String())
		}
	}
}

func TestReconcileFindsDuplicateLines(t *testing.T) {
	root := t.TempDir()
	evs := genEvents(0, 30)
	o := testOptions(root, "usage-enriched", "g")
	writeOffline(t, o, evs, 1)
	// The same lines again under other offsets, as when a report is
	// ingested twice.
	o.Topic = "usage-enriched-replay"
	writeOffline(t, o, evs[:5], 1)
	rep, err := Reconcile(context.Background(), root, expectedFrom(evs))
	if err != nil {
		t.Fatal(err)
	}
	var dups int64
	for _, d := range rep.Differences {
		if d.Measure == "duplicate_lines" {
			n, _ := strconv.ParseInt(d.Lake, 10, 64)
			dups += n
		}
	}
	if dups != 5 {
		t.Fatalf("found %d duplicate lines, want 5: %+v", dups, rep.Differences)
	}
}
