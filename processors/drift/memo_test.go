package drift

import (
	"reflect"
	"testing"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/processors/processortest"
)

// countingContext counts reads of the periods store.
type countingContext struct {
	*processortest.Context
	reads *int
}

func (c countingContext) Store(name string) processors.KV {
	kv := c.Context.Store(name)
	if name != StorePeriods {
		return kv
	}
	return countingKV{KV: kv, reads: c.reads}
}

type countingKV struct {
	processors.KV
	reads *int
}

func (k countingKV) Get(key []byte) ([]byte, bool, error) {
	*k.reads++
	return k.KV.Get(key)
}

func TestMemoSkipsRepeatedReads(t *testing.T) {
	f := newFixture(t, baseRecord())
	reads := 0
	ctx := countingContext{Context: f.ctx, reads: &reads}
	process := func(ev avro.UsageEvent) {
		f.ctx.SetOffset(f.offset)
		f.offset++
		if err := f.p.Process(ctx, processors.Record[avro.UsageEvent]{Value: ev}); err != nil {
			t.Fatal(err)
		}
	}
	ev := f.event()
	for range 10 {
		process(ev)
	}
	// The first sighting writes the new period, the second finds it
	// unchanged and is remembered; the rest read nothing.
	if reads != 2 {
		t.Errorf("%d periods reads for 10 identical events, want 2", reads)
	}
	other := ev
	other.TrackTitle = "Another Title"
	process(other) // read; writes, so the memo entry is forgotten
	process(ev)    // read; differs from the stored last-reported title: writes
	process(ev)    // read; unchanged: remembered
	process(ev)    // no read
	if reads != 5 {
		t.Errorf("%d periods reads, want 5", reads)
	}
	if err := f.p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	f.commitTx()
	process(ev) // a committed transaction changed nothing the memo says
	if reads != 5 {
		t.Errorf("%d periods reads after a commit, want 5", reads)
	}
	// An abort or a revocation forgets it. The memo is used again once
	// offsets are seen increasing: from the second record on.
	f.p.Revoke(f.ctx.Partition())
	process(ev) // read
	process(ev) // read; remembered
	process(ev) // no read
	if reads != 7 {
		t.Errorf("%d periods reads after Revoke, want 7", reads)
	}
	f.offset -= 3 // a replay forgets it too
	process(ev)   // read; remembered
	process(ev)   // no read
	if reads != 8 {
		t.Errorf("%d periods reads after the offset went back, want 8", reads)
	}
}

// TestReplayWithoutRevoke is TestCrashReplayMatchesCleanRun without the
// runtime's help: the rewinding offsets alone make the processor forget
// the aborted transaction.
func TestReplayWithoutRevoke(t *testing.T) {
	for _, flushed := range []bool{false, true} {
		t.Run(map[bool]string{false: "abort before flush", true: "abort after flush"}[flushed], func(t *testing.T) {
			testReplayWithoutRevoke(t, flushed)
		})
	}
}

// testReplayWithoutRevoke runs a batch, aborts its transaction (after
// flushing it when flushed) and replays it.
func testReplayWithoutRevoke(t *testing.T, flushed bool) {
	run := func(crash bool) []processortest.Emitted {
		f := newFixture(t, baseRecord())
		var batch []avro.UsageEvent
		for i := range 30 {
			ev := f.event()
			if i%4 == 0 {
				ev.TrackTitle = "Something Else Entirely"
			}
			batch = append(batch, ev)
		}
		for _, ev := range batch[:10] {
			f.process(ev)
		}
		f.flush()
		f.commitTx()
		for _, ev := range batch[10:20] {
			f.process(ev)
		}
		if crash {
			if flushed {
				f.flush()
			}
			f.abortTx()
			for _, ev := range batch[10:20] {
				f.process(ev)
			}
		}
		for _, ev := range batch[20:] {
			f.process(ev)
		}
		f.flush()
		f.commitTx()
		return f.ctx.All()
	}
	if clean, crashed := run(false), run(true); !reflect.DeepEqual(clean, crashed) {
		t.Errorf("replay without Revoke differs from the clean run: %d vs %d records", len(crashed), len(clean))
	}
}
