package e2e

import (
	"os"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/processors/drift"
	"github.com/ledgerline/ledgerline/topology"
)

// Restart modes, run one after the other on the same input.
const (
	modeUndisturbed  = "undisturbed"
	modeWithState    = "restart-with-state"
	modeWithoutState = "restart-without-state"
)

// restoredRecords is the runtime's metric of changelog records applied
// to the stores since they were opened.
const restoredRecords = "ledgerline_runtime_store_restored_records"

// runResult is what a run ends with.
type runResult struct {
	lake   [2]lakeFile      // the first and the second sending of the report
	alerts map[string]int64 // alert_id -> count
}

// TestRestartEndsLikeUndisturbedRun processes the same report, sent
// twice, three times: without a restart, with a restart that keeps the
// local state, and with a restart after the state folder was deleted.
// See the package documentation.
func TestRestartEndsLikeUndisturbedRun(t *testing.T) {
	w := newWorld(t, "restart")
	seed := time.Now().UnixNano() % 1_000_000_000
	w.logf("input", "generator seed %d, recordings tagged %s", seed, w.tag())
	report := w.generate("report", 2500, seed, 0.02)
	catalog, records := w.writeCatalog("catalog.csv", report)
	w.prepare(report)

	results := map[string]runResult{}
	for n, mode := range []string{modeUndisturbed, modeWithState, modeWithoutState} {
		w.logf("setup", "--- run %d: %s ---", n+1, mode)
		d := w.deployment(mode)
		d.createTopics()
		if n == 0 {
			d.loadCatalog(catalog, records)
		}
		// The same contents twice, as two new files of this run.
		sent := [2]*input{
			{label: mode + " #1", path: w.gzipCopy(report.path, mode+"-1.csv.gz")},
			{label: mode + " #2", path: w.gzipCopy(report.path, mode+"-2.csv.gz")},
		}
		for _, in := range sent {
			w.prepare(in)
		}
		set := shas(sent[:])
		d.seedGroups()
		xs := []*instance{d.start("x", "x", d.stateDir("x"))}
		xs[0].waitReady()

		d.ingestFresh(sent[0])
		w.waitDrained(d.driftGroup(), d.topic(topology.TopicUsage), time.Now().Add(drainTimeout), xs...)
		x := xs[0]
		first := d.alerts(set)
		w.logf("count", "after the first sending: %d alert ids; %s", len(first.latest), first.byKind())

		switch mode {
		case modeWithState:
			x.stop()
			x = x.again()
			x.waitReady()
			w.logf("inject", "restarted the instance on its local state: %.0f changelog records restored into its stores",
				x.metric(restoredRecords))
		case modeWithoutState:
			x.stop()
			if err := os.RemoveAll(x.state); err != nil {
				t.Fatal(err)
			}
			w.logf("inject", "deleted the state folder %s", x.state)
			x = x.again()
			x.waitReady()
			restored := x.metric(restoredRecords)
			w.logf("inject", "restarted the instance without local state: %.0f changelog records restored into its stores", restored)
			if restored == 0 {
				t.Errorf("the instance restarted without local state restored no changelog record")
			}
		}

		d.ingestFresh(sent[1])
		d.drain(x)
		lake := d.checkExactlyOnce(sent[:])
		final := d.alerts(set)
		w.checkAlerts(final)

		// The second sending repeats every sighting of the first: each
		// alert of a catalog comparison counts exactly twice what it
		// counted after the first, and none is new. (period_change
		// compares with what the DSP reported last for an earlier
		// period, which the second sending changes, so it is left out.)
		doubled, compared := 0, 0
		for id, a := range final.latest {
			if a.Kind == drift.KindPeriodChange {
				continue
			}
			compared++
			before, ok := first.latest[id]
			switch {
			case !ok:
				t.Errorf("%s: alert %s (%s, %q) first raised by the second sending of the same report", mode, id, a.Kind, a.ReportedValue)
			case a.Count != 2*before.Count:
				t.Errorf("%s: alert %s (%s, %q) counts %d, want twice %d", mode, id, a.Kind, a.ReportedValue, a.Count, before.Count)
			default:
				doubled++
			}
		}
		w.logf("count", "%s: %d of %d catalog-comparison alerts count exactly twice their count after the first sending",
			mode, doubled, compared)
		results[mode] = runResult{lake: [2]lakeFile{lake[sent[0].sha], lake[sent[1].sha]}, alerts: final.counts()}
	}

	want := results[modeUndisturbed]
	for _, mode := range []string{modeWithState, modeWithoutState} {
		got := results[mode]
		for n := range want.lake {
			a, b := want.lake[n], got.lake[n]
			if a.Rows != b.Rows || a.Units != b.Units || !sameRevenue(a.Revenue, b.Revenue) {
				t.Errorf("%s: sending %d ends with %d rows, %d units, revenue %s in the lake; undisturbed: %d, %d, %s",
					mode, n+1, b.Rows, b.Units, revenueString(b.Revenue), a.Rows, a.Units, revenueString(a.Revenue))
			}
		}
		diff := 0
		for id, c := range want.alerts {
			if got.alerts[id] != c {
				diff++
				if diff <= 10 {
					t.Errorf("%s: alert %s counts %d, undisturbed %d", mode, id, got.alerts[id], c)
				}
			}
		}
		for id, c := range got.alerts {
			if _, ok := want.alerts[id]; !ok {
				diff++
				if diff <= 10 {
					t.Errorf("%s: alert %s (count %d) not raised by the undisturbed run", mode, id, c)
				}
			}
		}
		w.logf("count", "%s vs %s: lake rows %d+%d vs %d+%d, %d vs %d alert ids, %d alerts differ",
			mode, modeUndisturbed, got.lake[0].Rows, got.lake[1].Rows, want.lake[0].Rows, want.lake[1].Rows,
			len(got.alerts), len(want.alerts), diff)
	}
}
