package drift

import (
	"reflect"
	"testing"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/processortest"
)

func mismatching(f *fixture) avro.UsageEvent {
	ev := f.event()
	ev.TrackTitle = "Something Else Entirely"
	return ev
}

func TestDedupOneAlertPerFlush(t *testing.T) {
	f := newFixture(t, baseRecord())
	var first, last avro.UsageEvent
	for i := range 100 {
		ev := mismatching(f)
		if i == 0 {
			first = ev
		}
		last = ev
		f.process(ev)
	}
	alerts, review := f.flush()
	if len(alerts) != 1 || len(review) != 1 {
		t.Fatalf("%d alerts, %d review records after 100 events", len(alerts), len(review))
	}
	a := alerts[0]
	if a.Count != 100 {
		t.Errorf("count = %d, want 100", a.Count)
	}
	if len(a.SampleEventIDs) != 5 || a.SampleEventIDs[0] != first.EventID {
		t.Errorf("samples = %v", a.SampleEventIDs)
	}
	if !a.FirstSeen.Equal(first.IngestTime) || !a.LastSeen.Equal(last.IngestTime) {
		t.Errorf("seen %v..%v", a.FirstSeen, a.LastSeen)
	}
	if again, _ := f.flush(); len(again) != 0 {
		t.Errorf("second flush emitted %d alerts", len(again))
	}
	f.commitTx()

	// The count continues in the next transaction, and across a restart
	// (a new processor over the same committed stores).
	f.p = New(f.cat, f.codecs, Options{})
	for range 10 {
		f.process(mismatching(f))
	}
	alerts, _ = f.flush()
	if len(alerts) != 1 || alerts[0].Count != 110 || alerts[0].AlertID != a.AlertID {
		t.Fatalf("after restart: %+v", alerts)
	}
}

// TestCrashReplayMatchesCleanRun processes the same records twice: once
// cleanly, once with a transaction aborted after processing (a crash
// before commit) and replayed. The committed outputs must be identical.
func TestCrashReplayMatchesCleanRun(t *testing.T) {
	batches := func(f *fixture) [][]avro.UsageEvent {
		var bs [][]avro.UsageEvent
		for b := range 3 {
			var evs []avro.UsageEvent
			for i := range 20 {
				ev := f.event()
				if i%3 == 0 {
					ev.TrackTitle = "Something Else Entirely"
				}
				if i%5 == 0 {
					ev.ISRC = ptr("USXXX2400001")
				}
				if b == 2 {
					ev.PeriodStart, ev.PeriodEnd = jan2024.AddDate(0, 1, 0), jan2024.AddDate(0, 2, -1)
					ev.Artists = []string{"Someone Else"}
				}
				evs = append(evs, ev)
			}
			bs = append(bs, evs)
		}
		return bs
	}
	run := func(crashAt int) []processortest.Emitted {
		f := newFixture(t, baseRecord())
		for i, batch := range batches(f) {
			for _, ev := range batch {
				f.process(ev)
			}
			if i == crashAt {
				f.flush()
				f.abortTx()
				f.p.Revoke(f.ctx.Partition())
				for _, ev := range batch {
					f.process(ev)
				}
			}
			f.flush()
			f.commitTx()
		}
		return f.ctx.All()
	}
	clean := run(-1)
	for crashAt := range 3 {
		if got := run(crashAt); !reflect.DeepEqual(got, clean) {
			t.Errorf("crash in batch %d: output differs from the clean run (%d vs %d records)", crashAt, len(got), len(clean))
		}
	}
}

// TestFlushAfterAbortWithoutRevoke shows that alerts marked in an aborted
// transaction are re-emitted with their committed state, never with the
// aborted counts.
func TestFlushAfterAbortWithoutRevoke(t *testing.T) {
	f := newFixture(t, baseRecord())
	f.process(mismatching(f))
	f.flush()
	f.commitTx()
	f.process(mismatching(f))
	f.abortTx()
	alerts, _ := f.flush()
	if len(alerts) != 1 || alerts[0].Count != 1 {
		t.Fatalf("after abort: %+v", alerts)
	}
}

func TestPartitionsAreSeparate(t *testing.T) {
	f := newFixture(t, baseRecord())
	f.ctx.SetPartition(1)
	f.process(mismatching(f))
	f.ctx.SetPartition(2)
	if alerts, _ := f.flush(); len(alerts) != 0 {
		t.Fatalf("partition 2 flushed partition 1's alerts")
	}
	f.ctx.SetPartition(1)
	if alerts, _ := f.flush(); len(alerts) != 1 {
		t.Fatalf("partition 1 flushed %d alerts", len(alerts))
	}
}
