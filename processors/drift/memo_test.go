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
	process(ev) // a new transaction reads again
	if reads != 6 {
		t.Errorf("%d periods reads after Flush, want 6", reads)
	}
}

// TestReplayWithoutRevoke is TestCrashReplayMatchesCleanRun without the
// runtime's help: the rewinding offsets alone make the processor forget
// the aborted transaction.
func TestReplayWithoutRevoke(t *testing.T) {
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
