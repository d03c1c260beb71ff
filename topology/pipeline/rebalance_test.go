package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/internal/kafkatest"
	"github.com/ledgerline/ledgerline/topology"
)

// TestRebalance runs three instances on a 6-partition usage topic while
// usage is written; one leaves and another joins mid-stream. The state
// stores move with the partitions (restored by the new owner from the
// changelogs), so the output is what one clean run produces: every event
// enriched exactly once, alike, and the same alerts with the same counts.
func TestRebalance(t *testing.T) {
	w := newWorkload(1000, 12_000, 13)
	want := cleanRun(t, w, 6)

	e := newEnv(t, "kafka", 6)
	e.publishCatalog(t, w.catalog)
	a := e.start(t, "a", stateDir(t, "a"))
	b := e.start(t, "b", stateDir(t, "b"))
	c := e.start(t, "c", stateDir(t, "c"))

	first, second := w.events[:8000], w.events[8000:]
	written := e.writePaced(t, first, 400, 100*time.Millisecond)
	e.waitCommitted(t, len(first)/4, 45*time.Second, a, b, c)
	a.stop(t) // leaves mid-stream
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	d := e.start(t, "d", stateDir(t, "d")) // joins mid-stream
	written = e.writePaced(t, second, 400, 100*time.Millisecond)
	d.waitReady(t)
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	e.waitCommitted(t, len(w.events), 45*time.Second, b, c, d)
	for _, r := range []*running{b, c, d} {
		r.stop(t)
	}
	for _, r := range []*running{a, b, c, d} {
		t.Logf("instance %s processed %v events; %v transactions committed, %v aborted", r.name,
			r.metric(t, "records_total", "processed"),
			r.metric(t, "transactions_total", "committed"), r.metric(t, "transactions_total", "aborted"))
	}
	if a.metric(t, "records_total", "processed") == 0 {
		t.Error("the instance that left processed nothing before it left")
	}
	if d.metric(t, "records_total", "processed") == 0 {
		t.Error("the instance that joined processed nothing")
	}
	compareRuns(t, want, e.read(t))
	e.checkLake(t, len(w.events))
}

// writePaced writes events to usage in chunks of size, one chunk every
// pause, in the background; the channel receives the outcome.
func (e *env) writePaced(t *testing.T, events []avro.UsageEvent, size int, pause time.Duration) <-chan error {
	t.Helper()
	recs := e.usageRecords(t, events)
	done := make(chan error, 1)
	go func() {
		for i := 0; i < len(recs); i += size {
			if err := e.produceErr(recs[i:min(i+size, len(recs))], false); err != nil {
				done <- err
				return
			}
			time.Sleep(pause)
		}
		done <- nil
	}()
	return done
}

// waitCommitted waits until the drift stage's group has committed n
// usage records (usage is written without transactions here, so offsets
// count records). An instance stopping meanwhile fails the test.
func (e *env) waitCommitted(t *testing.T, n int, timeout time.Duration, instances ...*running) {
	t.Helper()
	adm := e.admin(t)
	group := topology.GroupID(e.app, topology.StageDrift)
	deadline := time.Now().Add(timeout)
	var done int64
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		done = kafkatest.CommittedRecords(ctx, adm, group, e.topic(topology.TopicUsage))
		cancel()
		if done >= int64(n) {
			return
		}
		for _, r := range instances {
			select {
			case err := <-r.done:
				t.Fatalf("instance %s stopped: %v", r.name, err)
			default:
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the drift stage committed %d usage records, want %d, in %v", done, n, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
