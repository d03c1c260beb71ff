package pipeline

import (
	"bytes"
	"context"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/lake"
	"github.com/ledgerline/ledgerline/internal/kafkatest"
	"github.com/ledgerline/ledgerline/topology"
)

// TestCrashRestore kills an instance with SIGKILL while its transactions
// are open, twice: the first restart keeps the state directory, the last
// one starts from an empty one and restores the stores from the
// changelogs. Afterwards the alerts (by alert_id, with their final
// counts) and the enriched events (by event_id, each exactly once) are
// what one clean run over the same input produces, and the lake holds
// every event once.
func TestCrashRestore(t *testing.T) {
	w := newWorkload(1000, 12_000, 11)
	want := cleanRun(t, w, 6)

	e := newEnv(t, "kafka", 6)
	e.publishCatalog(t, w.catalog)
	e.produceUsage(t, w.events)
	adm := e.admin(t)

	dir := stateDir(t, "crashing")
	spec := childSpec{Brokers: e.brokers, App: e.app, Lake: e.lake, Instance: "a", StateDir: dir}
	cmd, stderr := kafkatest.StartChild(t, childEnv, spec)
	e.killMidStream(t, cmd, stderr, adm, len(w.events), 0.2)
	cmd, stderr = kafkatest.StartChild(t, childEnv, spec) // the same state directory
	e.killMidStream(t, cmd, stderr, adm, len(w.events), 0.5)

	st := e.drain(t, "a", stateDir(t, "empty")) // restores from the changelogs
	got := e.read(t)
	compareRuns(t, want, got)
	if all := kafkatest.DataRecords(t, e.clientOpts(), e.topic(topology.TopicUsageEnriched)); all <= len(got.enriched) {
		t.Errorf("usage-enriched holds %d records, %d committed: the kills left no aborted transaction", all, len(got.enriched))
	}
	t.Logf("after the kills: %d enriched events, %d alert records; the final run's lake sink wrote %d rows (%d replayed)",
		len(got.enriched), len(got.alerts), st.Rows, st.Replayed)
	e.checkLake(t, len(w.events))
}

// cleanRun runs the workload through one instance, undisturbed, in a
// namespace of its own, and returns what it committed.
func cleanRun(t *testing.T, w workload, partitions int32) outputs {
	t.Helper()
	e := newEnv(t, "kafka", partitions)
	e.publishCatalog(t, w.catalog)
	e.produceUsage(t, w.events)
	start := time.Now()
	e.drain(t, "clean", stateDir(t, "clean"))
	out := e.read(t)
	t.Logf("clean run: %d events in %v: %d enriched, %d alerts", len(w.events), time.Since(start).Round(time.Millisecond),
		len(out.enriched), len(latest(out.alerts)))
	if len(out.enriched) != len(w.events) {
		t.Fatalf("the clean run enriched %d events of %d", len(out.enriched), len(w.events))
	}
	return out
}

// compareRuns checks that got holds what the clean run want holds: each
// event enriched exactly once, alike, and the same alerts with the same
// final counts (an alert's latest record).
func compareRuns(t *testing.T, want, got outputs) {
	t.Helper()
	wantEvents, gotEvents := byEventID(t, want.enriched), byEventID(t, got.enriched)
	missing, differ := 0, 0
	for id, w := range wantEvents {
		g, ok := gotEvents[id]
		switch {
		case !ok:
			if missing++; missing <= 5 {
				t.Errorf("event %s not enriched", id)
			}
		case !sameEnrichment(w.ev, g.ev) || w.key != g.key:
			if differ++; differ <= 5 {
				t.Errorf("event %s enriched as %v (matched %q, v%v), clean run %v (matched %q, v%v)", id,
					g.ev.Drift, deref(g.ev.MatchedISRC), g.ev.CatalogVersion, w.ev.Drift, deref(w.ev.MatchedISRC), w.ev.CatalogVersion)
			}
		}
	}
	if missing+differ > 0 || len(gotEvents) != len(wantEvents) {
		t.Errorf("%d events enriched, clean run %d; %d missing, %d enriched differently", len(gotEvents), len(wantEvents), missing, differ)
	}

	wantAlerts, gotAlerts := latest(want.alerts), latest(got.alerts)
	bad := 0
	for id, w := range wantAlerts {
		g, ok := gotAlerts[id]
		if !ok || g.Count != w.Count || g.Severity != w.Severity {
			if bad++; bad <= 5 {
				t.Errorf("alert %s: got count %d (found %v), clean run %s", id, g.Count, ok, describe(w))
			}
		}
	}
	for id, g := range gotAlerts {
		if _, ok := wantAlerts[id]; !ok {
			if bad++; bad <= 10 {
				t.Errorf("alert not in the clean run: %s", describe(g))
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d alerts differ from the clean run's %d", bad, len(wantAlerts))
	}
	wantReview, gotReview := reviewIDs(want.review), reviewIDs(got.review)
	if !slices.Equal(wantReview, gotReview) {
		t.Errorf("review queue holds %d alerts, clean run %d", len(gotReview), len(wantReview))
	}
}

func sameEnrichment(a, b avro.EnrichedUsageEvent) bool {
	av, bv := int64(0), int64(0)
	if a.CatalogVersion != nil {
		av = *a.CatalogVersion
	}
	if b.CatalogVersion != nil {
		bv = *b.CatalogVersion
	}
	return av == bv && deref(a.MatchedISRC) == deref(b.MatchedISRC) &&
		slices.Equal(slices.Sorted(slices.Values(a.Drift)), slices.Sorted(slices.Values(b.Drift)))
}

func reviewIDs(recs []alertRecord) []string {
	var ids []string
	for id := range latest(recs) {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// killMidStream waits until the drift stage has committed at least
// fraction of the total input records and has a transaction open on
// usage-enriched, then kills the child with SIGKILL.
func (e *env) killMidStream(t *testing.T, cmd *exec.Cmd, stderr *bytes.Buffer, adm *kadm.Client, total int, fraction float64) {
	t.Helper()
	kafkatest.KillMidStream(t, cmd, stderr, adm, topology.GroupID(e.app, topology.StageDrift),
		e.topic(topology.TopicUsage), e.topic(topology.TopicUsageEnriched), total, fraction, 45*time.Second)
}

// checkLake checks that the namespace's lake holds n rows.
func (e *env) checkLake(t *testing.T, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := lake.Query(ctx, e.lake, lake.QuerySpec{})
	if err != nil {
		t.Fatal(err)
	}
	var rows int64
	for _, tot := range res.Totals {
		rows += tot.Rows
	}
	if rows != int64(n) {
		t.Errorf("the lake holds %d rows, want %d (every event once)", rows, n)
	}
}
