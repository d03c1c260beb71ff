package pipeline

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// Size of the throughput benchmark: a catalog of benchCatalog records and
// benchEvents usage events over it. Drain's fixed costs (joining the group,
// opening the stores, noticing the end) take about two seconds here, so
// enough events run to make them a small part of the measured time.
const (
	benchCatalog = 100_000
	benchEvents  = 200_000
)

// BenchmarkDriftStageWithBroker measures events per second through the
// drift stage end to end on the real broker: benchEvents usage events
// (Zipf-distributed ISRCs over a generated catalog of benchCatalog
// records) are produced up front; each iteration opens a fresh instance
// (its own group, changelogs and state; the catalog is materialised
// before the timer runs) and times Drain: the drift stage to the end of
// usage, then the lake sink to the end of usage-enriched. events/s counts
// both; drift-events/s the drift stage alone.
//
//	deploy/kafka/with-broker.sh go test -run '^$' -bench DriftStageWithBroker -benchtime 1x ./topology/pipeline/
func BenchmarkDriftStageWithBroker(b *testing.B) {
	e := newEnv(b, "kafka", 6)
	w := newWorkload(benchCatalog, benchEvents, 7)
	start := time.Now()
	e.publishCatalog(b, w.catalog)
	b.Logf("published %d catalog records in %v", len(w.catalog), time.Since(start).Round(time.Millisecond))
	start = time.Now()
	e.produce(b, e.usageRecords(b, w.events), false)
	b.Logf("produced %d usage events in %v", len(w.events), time.Since(start).Round(time.Millisecond))
	b.ResetTimer()
	b.StopTimer()
	var total, driftOnly time.Duration
	for i := range b.N {
		app := fmt.Sprintf("%s-i%d", e.app, i)
		cfg := e.config("bench", stateDir(b, app), nil)
		cfg.App = app
		opened := time.Now()
		p, err := Open(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("catalog of %d records materialised in %v", len(w.catalog), time.Since(opened).Round(time.Millisecond))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		b.StartTimer()
		t0 := time.Now()
		if err := p.runner.Drain(ctx); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		st, err := p.sink.Drain(ctx)
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		b.StopTimer()
		cancel()
		total += t2.Sub(t0)
		driftOnly += t1.Sub(t0)
		if st.Rows != int64(len(w.events)) {
			b.Errorf("the lake sink wrote %d rows, want %d", st.Rows, len(w.events))
		}
		if err := p.Close(); err != nil {
			b.Fatal(err)
		}
	}
	n := float64(len(w.events) * b.N)
	b.ReportMetric(n/total.Seconds(), "events/s")
	b.ReportMetric(n/driftOnly.Seconds(), "drift-events/s")
}
