package drift

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

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

var (
	benchDSPs   = []string{"Spotify", "Apple Music", "Deezer", "Amazon Music", "YouTube (Ads)"}
	benchMonths = []time.Time{jan2024, jan2024.AddDate(0, 1, 0), jan2024.AddDate(0, 2, 0), jan2024.AddDate(0, 3, 0)}
)

// benchContext is a lean processors.Context: map-backed stores, and
// emitted records counted, not kept, so memory stays flat however many
// records the benchmark runs.
type benchContext struct {
	stores  map[string]*processortest.KV
	emitted map[processors.Output]int
}

func (c *benchContext) Store(name string) processors.KV {
	s, ok := c.stores[name]
	if !ok {
		s = processortest.NewKV()
		c.stores[name] = s
	}
	return s
}
func (c *benchContext) Emit(out processors.Output, _ []byte, _ any) error {
	c.emitted[out]++
	return nil
}
func (c *benchContext) Partition() int32 { return 0 }
func (c *benchContext) Offset() int64    { return 0 }
func (c *benchContext) Now() time.Time   { return ingestDay }

// benchDraw is one drawn event: a catalog record (by index into the
// drawn records) and how the DSP reports it. Draws hold no pointers, so
// the million of them cost the garbage collector nothing.
type benchDraw struct {
	rec     int32
	variant uint8
	dsp     uint8
	month   uint8
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
// distribution (s = 1.1) over the catalog. About 92% report the catalog's
// metadata exactly, 4% differ only in case or apostrophes (no alert), 2%
// add an edition suffix (info), 1% report another title (critical), 0.5%
// an unknown ISRC and 0.5% no ISRC (matched by UPC and title).
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
			tracks = append(tracks, benchTrack{rec: rec, isrc: ptr(rec.ISRC)})
		}
		i++
	}
	draws := make([]benchDraw, benchDraws)
	for i, rank := range ranks {
		d := benchDraw{rec: index[rank], dsp: uint8(rng.IntN(len(benchDSPs))), month: uint8(i * 3 / benchDraws)}
		switch r := rng.IntN(1000); {
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
		draws[i] = d
	}
	return cat, codecs, tracks, draws
}

// fill sets ev to the event of draw number i.
func (d *benchDraw) fill(ev *avro.UsageEvent, tracks []benchTrack, revenue decimal.Decimal, i int) {
	t := &tracks[d.rec]
	rec := &t.rec
	*ev = avro.UsageEvent{
		EventID:      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:" + strconv.Itoa(i),
		Source:       avro.Source{DSP: benchDSPs[d.dsp], ReportID: "r", FileName: "f", Line: int64(i), Profile: "p"},
		PeriodStart:  benchMonths[d.month],
		PeriodEnd:    benchMonths[d.month+1].Add(-24 * time.Hour),
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
// Process for every record and Flush every benchFlushEvery records, over
// in-memory stores, after benchWarmup records have warmed the catalog
// cache and the period state. Besides wall-clock events/s it reports
// events per CPU-second of the whole process (GC included), which is the
// per-core rate and does not depend on other load on the machine.
func BenchmarkDrift(b *testing.B) {
	cat, codecs, tracks, draws := benchWorkload(b)
	p := New(cat, codecs, Options{})
	ctx := &benchContext{stores: map[string]*processortest.KV{}, emitted: map[processors.Output]int{}}
	var ev avro.UsageEvent
	revenue := decimal.New(31, -4)
	run := func(i int) {
		draws[i%len(draws)].fill(&ev, tracks, revenue, i)
		if err := p.Process(ctx, processors.Record[avro.UsageEvent]{Value: ev}); err != nil {
			b.Fatal(err)
		}
		if (i+1)%benchFlushEvery == 0 {
			if err := p.Flush(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	n := 0
	for ; n < benchWarmup; n++ {
		run(n)
	}
	runtime.GC() // collect the setup's garbage before timing
	before, alertsBefore := cat.CacheStats(), ctx.emitted[OutAlerts]
	cpu := cpuTime()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		run(n)
		n++
	}
	b.StopTimer()
	cpu = cpuTime() - cpu
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "events/cpu-s")
	}
	st := cat.CacheStats()
	if lookups := (st.Hits - before.Hits) + (st.Misses - before.Misses); lookups > 0 {
		b.ReportMetric(100*float64(st.Hits-before.Hits)/float64(lookups), "cache-hit-%")
	}
	b.ReportMetric(float64(ctx.emitted[OutAlerts]-alertsBefore)/float64(b.N)*1000, "alerts/1k-events")
}
