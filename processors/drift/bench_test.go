package drift

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/processors/catalog"
	"github.com/ledgerline/ledgerline/processors/processortest"
	"github.com/shopspring/decimal"
)

const (
	benchCatalogSize = 1_000_000
	benchDraws       = 1 << 20 // events drawn, replayed cyclically
	benchWarmup      = 300_000 // events processed before timing
	benchZipfS       = 1.1
	benchFlushEvery  = 1000 // records per transaction
)

var benchDSPs = []string{"Spotify", "Apple Music", "Deezer", "Amazon Music", "YouTube (Ads)"}

// benchContext is a lean processors.Context, as cheap as a runtime's
// would be: map-backed stores held in fields, and emitted records
// counted, not kept, so memory stays flat however many records the
// benchmark runs.
type benchContext struct {
	periods, alerts, usage *processortest.KV
	enriched, alertsOut    int
	offset                 int64
}

func newBenchContext() *benchContext {
	return &benchContext{periods: processortest.NewKV(), alerts: processortest.NewKV(), usage: processortest.NewKV()}
}

func (c *benchContext) Store(name string) processors.KV {
	switch name {
	case StorePeriods:
		return c.periods
	case StoreAlerts:
		return c.alerts
	case StoreUsage:
		return c.usage
	}
	panic("unknown store " + name)
}

func (c *benchContext) Emit(out processors.Output, _ []byte, _ any) error {
	switch out {
	case OutEnriched:
		c.enriched++
	case OutAlerts:
		c.alertsOut++
	}
	return nil
}
func (c *benchContext) Partition() int32 { return 0 }
func (c *benchContext) Offset() int64    { return c.offset }
func (c *benchContext) Now() time.Time   { return ingestDay }

// benchDraw is one drawn event: a catalog record (by index into the
// drawn records) and how the DSP reports it. Draws hold no pointers, so
// the million of them cost the garbage collector nothing.
type benchDraw struct {
	rec     int32
	variant uint8
	dsp     uint8
	changes bool // reports the title differently from the third month on
}

// Report variants of a draw.
const (
	asCatalog uint8 = iota
	upperCase
	curlyApostrophes
	editionSuffix
	otherTitle
	unknownISRC
	noISRC
)

// benchTrack is a drawn catalog record.
type benchTrack struct {
	rec  avro.CatalogRecord
	isrc *string
}

// benchWorkload builds a catalog of benchCatalogSize generated records in
// an in-memory store and benchDraws events whose ISRCs follow a Zipf
// distribution (s = 1.1) over the catalog, from 5 DSPs, with a new
// monthly period every benchDraws/3 events (replays of the draws continue
// the months). How a DSP reports a recording is fixed per (recording,
// DSP), as in real reports: 92% as in the catalog, 2% upper case and 2%
// with curly apostrophes (no alert), 2% with an edition suffix (info), 1%
// with another title (critical), 0.5% with an unknown ISRC and 0.5%
// without ISRC (matched by UPC and title). From the third month on, 1% of
// the pairs report the title differently (period_change).
func benchWorkload(b *testing.B) (*catalog.Catalog, *avro.Codecs, []benchTrack, []benchDraw) {
	b.Helper()
	codecs, err := avro.NewCodecs()
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	zipf := rand.NewZipf(rng, benchZipfS, 1, benchCatalogSize-1)
	ranks := make([]int32, benchDraws)
	index := map[int32]int32{} // catalog rank -> index into tracks
	for i := range ranks {
		ranks[i] = int32(zipf.Uint64())
		index[ranks[i]] = -1
	}
	tracks := make([]benchTrack, 0, len(index))
	cat := catalog.New(processortest.NewKV(), codecs, catalog.Options{})
	i := int32(0)
	for rec := range catalog.Generate(benchCatalogSize, 1) {
		if _, err := cat.Apply(rec); err != nil {
			b.Fatal(err)
		}
		if _, ok := index[i]; ok {
			index[i] = int32(len(tracks))
			// Keep only what events report, so the harness's own heap
			// adds little to the garbage collector's work.
			rec.Splits, rec.Label, rec.ReleaseTitle = nil, nil, nil
			tracks = append(tracks, benchTrack{rec: rec, isrc: ptr(rec.ISRC)})
		}
		i++
	}
	draws := make([]benchDraw, benchDraws)
	for i, rank := range ranks {
		d := benchDraw{rec: index[rank], dsp: uint8(rng.IntN(len(benchDSPs)))}
		// A stable pseudo-random number per (recording, DSP).
		pair := rand.New(rand.NewPCG(uint64(rank), uint64(d.dsp)))
		switch r := pair.IntN(1000); {
		case r < 20:
			d.variant = upperCase
		case r < 40:
			d.variant = curlyApostrophes
		case r < 60:
			d.variant = editionSuffix
		case r < 70:
			d.variant = otherTitle
		case r < 75:
			d.variant = unknownISRC
		case r < 80:
			d.variant = noISRC
		}
		d.changes = pair.IntN(100) == 0 && d.variant != unknownISRC && d.variant != noISRC
		draws[i] = d
	}
	return cat, codecs, tracks, draws
}

// arena holds the text of one batch of events. A decoded event owns its
// strings, freshly allocated next to each other, so the processor finds
// them in cache; events pointing into the drawn tracks, scattered over
// a heap of a million records, would make the benchmark measure the
// harness's cache misses instead. Each batch gets a new arena: the
// processor may keep strings of the events it saw.
type arena struct{ buf []byte }

func (a *arena) str(s string) string {
	if len(a.buf)+len(s) > cap(a.buf) {
		a.buf = make([]byte, 0, max(64<<10, len(s)))
	}
	start := len(a.buf)
	a.buf = append(a.buf, s...)
	return unsafe.String(unsafe.SliceData(a.buf[start:]), len(s))
}

func (a *arena) opt(s *string) *string {
	if s == nil {
		return nil
	}
	v := a.str(*s)
	return &v
}

// fill sets ev to the event number i, of draw d, its text in a.
func (d *benchDraw) fill(ev *avro.UsageEvent, a *arena, tracks []benchTrack, revenue decimal.Decimal, i int) {
	month := i * 3 / benchDraws
	t := &tracks[d.rec]
	rec := &t.rec
	*ev = avro.UsageEvent{
		EventID:      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:" + strconv.Itoa(i),
		Source:       avro.Source{DSP: benchDSPs[d.dsp], ReportID: "r", FileName: "f", Line: int64(i), Profile: "p"},
		PeriodStart:  jan2024.AddDate(0, month, 0),
		PeriodEnd:    jan2024.AddDate(0, month+1, -1),
		Territory:    "US",
		ISRC:         t.isrc,
		UPC:          rec.UPC,
		ISWC:         rec.ISWC,
		TrackTitle:   rec.Title,
		VersionTitle: rec.VersionTitle,
		Artists:      rec.Artists,
		UseType:      "stream", CommercialModel: "subscription",
		Units: 1, Revenue: revenue, Currency: "USD",
		IngestTime: ingestDay.Add(time.Duration(i) * time.Millisecond),
	}
	switch d.variant {
	case upperCase:
		ev.TrackTitle = strings.ToUpper(rec.Title)
	case curlyApostrophes:
		ev.TrackTitle = strings.ReplaceAll(rec.Title, "'", "’")
	case editionSuffix:
		ev.TrackTitle = rec.Title + " (Remastered 2011)"
	case otherTitle:
		ev.TrackTitle = "Completely Different"
	case unknownISRC:
		ev.ISRC = ptr(fmt.Sprintf("ZZXXX24%05d", d.rec%100_000))
	case noISRC:
		ev.ISRC, ev.NeedsMatch = nil, true
	}
	if d.changes && month >= 2 {
		ev.TrackTitle = rec.Title + " - Radio Edit"
	}
	ev.EventID = a.str(ev.EventID)
	ev.ISRC, ev.UPC, ev.ISWC, ev.VersionTitle = a.opt(ev.ISRC), a.opt(ev.UPC), a.opt(ev.ISWC), a.opt(ev.VersionTitle)
	ev.TrackTitle = a.str(ev.TrackTitle)
	artists := make([]string, len(ev.Artists))
	for j, x := range ev.Artists {
		artists[j] = a.str(x)
	}
	ev.Artists = artists
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDrift measures the processor stage alone in steady state:
// Process for every record and Flush every benchFlushEvery records (one
// transaction), over in-memory stores, after benchWarmup records have
// warmed the catalog cache and the period state. Events are built in
// batches outside the timed region. Besides wall-clock events/s it
// reports events per CPU-second of the whole process within the timed
// region (GC included): the per-core rate, which holds however loaded the
// machine is.
func BenchmarkDrift(b *testing.B) {
	cat, codecs, tracks, draws := benchWorkload(b)
	p := New(cat, codecs, Options{})
	ctx := newBenchContext()
	revenue := decimal.New(31, -4)
	batch := make([]avro.UsageEvent, benchFlushEvery)
	n := 0 // events built so far
	next := func() {
		a := &arena{}
		for i := range batch {
			draws[(n+i)%len(draws)].fill(&batch[i], a, tracks, revenue, n+i)
		}
	}
	process := func(i int) {
		ctx.offset = int64(n - len(batch) + i)
		if err := p.Process(ctx, processors.Record[avro.UsageEvent]{Value: batch[i]}); err != nil {
			b.Fatal(err)
		}
	}
	flush := func() {
		if err := p.Flush(ctx); err != nil {
			b.Fatal(err)
		}
	}
	for n < benchWarmup {
		next()
		n += len(batch)
		for i := range batch {
			process(i)
		}
		flush()
	}
	runtime.GC() // collect the setup's garbage before timing
	before, alertsBefore := cat.CacheStats(), ctx.alertsOut
	var cpu time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	// The label lets a CPU profile (-cpuprofile) be narrowed to the timed
	// loop: go tool pprof -tagfocus=phase=timed.
	pprof.Do(context.Background(), pprof.Labels("phase", "timed"), func(context.Context) {
		i := len(batch)
		start := cpuTime()
		for b.Loop() {
			if i == len(batch) {
				b.StopTimer()
				cpu += cpuTime() - start
				next()
				n += len(batch)
				i = 0
				start = cpuTime()
				b.StartTimer()
			}
			process(i)
			if i++; i == len(batch) {
				flush()
			}
		}
		cpu += cpuTime() - start
	})
	b.StopTimer()
	flush()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "events/cpu-s")
	}
	st := cat.CacheStats()
	if lookups := (st.Hits - before.Hits) + (st.Misses - before.Misses); lookups > 0 {
		b.ReportMetric(100*float64(st.Hits-before.Hits)/float64(lookups), "cache-hit-%")
	}
	b.ReportMetric(float64(ctx.alertsOut-alertsBefore)/float64(b.N)*1000, "alerts/1k-events")
}
