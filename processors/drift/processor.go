package drift

import (
	"fmt"
	"hash/maphash"
	"sync"
	"sync/atomic"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/processors/catalog"
)

// Defaults of Options.
const (
	DefaultOpenPeriodDays = 62
	DefaultMaxPeriods     = 16
)

// Options configure a Processor.
type Options struct {
	// OpenPeriodDays keeps a reporting period open, for catalog_changed,
	// while its end is within this many days of the end of the latest
	// period the same DSP reported for the same ISRC. The latest period
	// is always open. Zero means DefaultOpenPeriodDays; negative leaves
	// only the latest period open.
	OpenPeriodDays int
	// MaxPeriods bounds the periods remembered per ISRC and DSP. Zero
	// means DefaultMaxPeriods. At least two are always kept.
	MaxPeriods int
}

func (o Options) withDefaults() Options {
	if o.OpenPeriodDays == 0 {
		o.OpenPeriodDays = DefaultOpenPeriodDays
	}
	if o.OpenPeriodDays < 0 {
		o.OpenPeriodDays = 0
	}
	if o.MaxPeriods == 0 {
		o.MaxPeriods = DefaultMaxPeriods
	}
	o.MaxPeriods = max(o.MaxPeriods, 2)
	return o
}

// Processor is the drift check. One Processor may serve several
// partitions: in-memory state (alerts awaiting Flush) is kept per
// ctx.Partition(). Calls for one partition must not be concurrent; calls
// for different partitions may be.
type Processor struct {
	cat  *catalog.Catalog
	opts Options

	mu    sync.Mutex
	parts map[int32]*partState
	last  atomic.Pointer[partState] // the partition served last, found without locking
}

var (
	_ processors.Processor[avro.UsageEvent] = (*Processor)(nil)
	_ processors.Flusher                    = (*Processor)(nil)
)

// partState is the in-memory state of one partition: the alerts changed
// since the last Flush, the period memo (memo.go), and scratch buffers
// reused across records.
type partState struct {
	partition  int32
	started    bool              // an offset was observed
	ordered    bool              // offsets were seen increasing
	lastOffset int64             // offset of the last record processed
	memo       map[uint64]uint64 // memoHash key -> sighting
	hasher     maphash.Hash
	dirty      map[alertKey]struct{}
	entries    []periodEntry
	findings   []finding
	key        []byte
	hash       []byte
	scratch    []byte
	iswc       []byte
	samples    [][]byte
	out        avro.EnrichedUsageEvent // the record being enriched
}

// New returns a drift processor reading cat. codecs is accepted so every
// processor is built the same way; this one needs none: its outputs are
// typed values the runtime encodes and its stores use the compact layouts
// described in the package documentation.
func New(cat *catalog.Catalog, codecs *avro.Codecs, opts Options) *Processor {
	_ = codecs
	return &Processor{cat: cat, opts: opts.withDefaults(), parts: map[int32]*partState{}}
}

func (p *Processor) state(partition int32) *partState {
	if t := p.last.Load(); t != nil && t.partition == partition {
		return t
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t, ok := p.parts[partition]
	if !ok {
		t = &partState{partition: partition, dirty: map[alertKey]struct{}{}, memo: map[uint64]uint64{}}
		p.parts[partition] = t
	}
	p.last.Store(t)
	return t
}

// Revoke forgets the in-memory state of partition. The runtime must call
// it when the partition is revoked (another instance may then advance the
// partition's stores) and should call it when a transaction aborts (the
// runtime package does). Without that call after an abort, replaying
// from the last committed offset, which is not past the last one
// processed, makes the processor forget the aborted transaction's
// in-memory state by itself (see observeOffset).
func (p *Processor) Revoke(partition int32) {
	p.mu.Lock()
	delete(p.parts, partition)
	if t := p.last.Load(); t != nil && t.partition == partition {
		p.last.Store(nil)
	}
	p.mu.Unlock()
}

// Process implements processors.Processor: it checks one usage event and
// emits it enriched, keyed like the usage record (rec.Key; by ISRC, or by
// event_id without one, when the record has no key). Alerts it raises are
// emitted by the next Flush.
func (p *Processor) Process(ctx processors.Context, rec processors.Record[avro.UsageEvent]) error {
	t := p.state(ctx.Partition())
	t.observeOffset(ctx.Offset())
	// Emit does not keep out, so one per partition serves every record;
	// each record sets every field afresh (Drift included: a new slice
	// when the record has findings, so emitted copies never share one).
	out := &t.out
	*out = avro.EnrichedUsageEvent{Event: rec.Value}
	ev := &out.Event
	var fallback string
	var err error
	if isrc := deref(ev.ISRC); isrc != "" {
		fallback = isrc
		err = p.identified(ctx, t, ev, isrc, out)
	} else {
		fallback = ev.EventID
		err = p.unidentified(ctx, t, ev, out)
	}
	if err != nil {
		return err
	}
	key := rec.Key
	if len(key) == 0 {
		key = []byte(fallback)
	}
	if err := ctx.Emit(OutEnriched, key, out); err != nil {
		return fmt.Errorf("drift: emit enriched %s: %w", ev.EventID, err)
	}
	return nil
}

// identified checks an event that carries an ISRC against the catalog and
// against the DSP's earlier periods.
func (p *Processor) identified(ctx processors.Context, t *partState, ev *avro.UsageEvent, isrc string, out *avro.EnrichedUsageEvent) error {
	e, ok, err := p.cat.Lookup(isrc)
	if err != nil {
		return fmt.Errorf("drift: catalog lookup %s: %w", isrc, err)
	}
	fs := t.findings[:0]
	if ok {
		out.CatalogVersion = &e.Record.Version // entries are immutable
		out.MatchedISRC = ev.ISRC
		fs = checkCatalog(fs, ev, e)
	} else {
		fs = append(fs, finding{
			kind: KindUnknownISRC, severity: SeverityWarn, field: FieldISRC,
			reported: isrc, detail: "ISRC is not in the catalog",
		})
	}
	fs, err = p.trackPeriod(ctx, t, fs, ev, isrc, e) // e is nil when !ok
	if err != nil {
		return err
	}
	occ := eventOccurrence(ev, isrc)
	for i := range fs {
		if err := p.raise(ctx, t, occ, &fs[i]); err != nil {
			return err
		}
		addKind(out, fs[i].kind)
	}
	clear(fs)
	t.findings = fs[:0]
	return nil
}

// Flush implements processors.Flusher: it emits every alert raised or
// updated since the previous Flush of the partition, once, in alert id
// order, to OutAlerts and, when critical, to OutReview. A second Flush
// without new records emits nothing.
func (p *Processor) Flush(ctx processors.Context) error {
	return p.flush(ctx, p.state(ctx.Partition()))
}

func addKind(out *avro.EnrichedUsageEvent, kind string) {
	for _, k := range out.Drift {
		if k == kind {
			return
		}
	}
	out.Drift = append(out.Drift, kind)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
