package drift

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/processors/catalog"
	"github.com/ledgerline/ledgerline/processors/processortest"
	"github.com/shopspring/decimal"
)

const (
	testISRC = "FRAAA2300001"
	testISWC = "T0345246801"
	testDSP  = "Napster"
)

var (
	testUPC   = gtin("0011111111111")
	otherUPC  = gtin("0022222222222")
	jan2024   = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	ingestDay = time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
)

func gtin(data string) string { return data + strconv.Itoa(catalog.GS1CheckDigit(data)) }

// baseRecord is the catalog's version of the DistroKid NonAscii sample.
func baseRecord() avro.CatalogRecord {
	return avro.CatalogRecord{
		ISRC:      testISRC,
		Version:   1,
		ValidFrom: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC),
		Title:     "Hier, à l'aube, j'ai fait une petite pisse",
		Artists:   []string{"Tøilette & Café"},
		UPC:       ptr(testUPC),
		ISWC:      ptr(testISWC),
		Splits: []avro.Split{
			{PartyID: "IPI:00052210040", Name: "Tøilette", Role: "artist", Share: decimal.RequireFromString("0.7")},
			{PartyID: "IPI:00052210041", Name: "Café", Role: "producer", Share: decimal.RequireFromString("0.3")},
		},
	}
}

// fixture is a processor over an in-memory catalog and context.
type fixture struct {
	t      *testing.T
	codecs *avro.Codecs
	cat    *catalog.Catalog
	p      *Processor
	ctx    *processortest.Context
	seq    int
	offset int64 // next input offset
	commit int64 // offset after the last committed record
}

func newFixture(t *testing.T, recs ...avro.CatalogRecord) *fixture {
	t.Helper()
	codecs, err := avro.NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.New(processortest.NewKV(), codecs, catalog.Options{CacheSize: 100})
	for _, r := range recs {
		if _, err := cat.Apply(r); err != nil {
			t.Fatal(err)
		}
	}
	ctx := processortest.NewContext()
	ctx.SetNow(ingestDay)
	return &fixture{t: t, codecs: codecs, cat: cat, p: New(cat, codecs, Options{}), ctx: ctx}
}

// event is a usage event of the base record as the catalog has it, in
// January 2024.
func (f *fixture) event() avro.UsageEvent {
	f.seq++
	return avro.UsageEvent{
		EventID:     fmt.Sprintf("%064x:%d", 1, f.seq),
		Source:      avro.Source{DSP: testDSP, ReportID: "r1", FileName: "f.tsv", FileSHA256: fmt.Sprintf("%064x", 1), Line: int64(f.seq), Profile: "distrokid"},
		PeriodStart: jan2024,
		PeriodEnd:   jan2024.AddDate(0, 1, -1),
		Territory:   "US",
		ISRC:        ptr(testISRC),
		UPC:         ptr(testUPC),
		TrackTitle:  "Hier, à l'aube, j'ai fait une petite pisse",
		Artists:     []string{"Tøilette & Café"},
		UseType:     "stream", CommercialModel: "subscription",
		Units: 1, Revenue: decimal.RequireFromString("0.0031"), Currency: "USD",
		IngestTime: ingestDay.Add(time.Duration(f.seq) * time.Second),
	}
}

// commit commits the transaction, as the runtime does after a Flush.
func (f *fixture) commitTx() {
	f.ctx.Commit()
	f.commit = f.offset
}

// abort aborts the transaction; the next record processed is the first
// uncommitted one again, as after a restart.
func (f *fixture) abortTx() {
	f.ctx.Abort()
	f.offset = f.commit
}

func (f *fixture) process(ev avro.UsageEvent) *avro.EnrichedUsageEvent {
	f.t.Helper()
	f.ctx.SetOffset(f.offset)
	f.offset++
	before := len(f.ctx.Records(OutEnriched))
	if err := f.p.Process(f.ctx, processors.Record[avro.UsageEvent]{Value: ev}); err != nil {
		f.t.Fatal(err)
	}
	recs := f.ctx.Records(OutEnriched)
	if len(recs) != before+1 {
		f.t.Fatalf("%d enriched records emitted", len(recs)-before)
	}
	out := recs[len(recs)-1].Value.(*avro.EnrichedUsageEvent)
	if _, err := f.codecs.Enriched.Encode(out); err != nil {
		f.t.Fatalf("enriched event does not encode: %v", err)
	}
	return out
}

// flush flushes and returns the alerts and review records it emitted.
func (f *fixture) flush() (alerts, review []*avro.DriftAlert) {
	f.t.Helper()
	na, nr := len(f.ctx.Records(OutAlerts)), len(f.ctx.Records(OutReview))
	if err := f.p.Flush(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	for _, r := range f.ctx.Records(OutAlerts)[na:] {
		a := r.Value.(*avro.DriftAlert)
		if _, err := f.codecs.Alert.Encode(a); err != nil {
			f.t.Fatalf("alert does not encode: %v", err)
		}
		wantKey := a.AlertID
		if a.ISRC != nil {
			wantKey = *a.ISRC
		}
		if string(r.Key) != wantKey {
			f.t.Errorf("alert keyed %q, want %q", r.Key, wantKey)
		}
		alerts = append(alerts, a)
	}
	for _, r := range f.ctx.Records(OutReview)[nr:] {
		review = append(review, r.Value.(*avro.DriftAlert))
	}
	return alerts, review
}

func kindsOf(alerts []*avro.DriftAlert) map[string]*avro.DriftAlert {
	m := map[string]*avro.DriftAlert{}
	for _, a := range alerts {
		m[a.Kind] = a
	}
	return m
}
