package drift

import (
	"slices"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/processors/catalog"
	"github.com/ledgerline/ledgerline/processors/processortest"
	"github.com/shopspring/decimal"
)

// The catalog_changed tests below apply catalog versions to the fixture's
// catalog directly, as the runtime's catalog table does, and deliver the
// broadcast (OnCatalogChange) only where the test says so.

// periodKey names an alert's DSP and the month its period starts in.
type periodKey struct {
	dsp   string
	month int
}

// openPeriodsFixture has usage of the base record with three open periods
// and one closed one: Spotify January and February 2024 (both open),
// Napster January 2023 (closed) and June 2024 (open). It is committed.
func openPeriodsFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, baseRecord())
	for m := range 2 {
		f.process(spotify(inPeriod(f.event(), m)))
	}
	old := f.event()
	old.PeriodStart, old.PeriodEnd = jan2024.AddDate(-1, 0, 0), jan2024.AddDate(-1, 1, -1)
	f.process(old)
	f.process(inPeriod(f.event(), 5))
	if alerts, _ := f.flush(); len(alerts) != 0 {
		t.Fatalf("setup raised %d alerts", len(alerts))
	}
	f.commitTx()
	return f
}

var openPeriodKeys = []periodKey{{"Spotify", 1}, {"Spotify", 2}, {testDSP, 6}}

func spotify(ev avro.UsageEvent) avro.UsageEvent {
	ev.Source.DSP = "Spotify"
	return ev
}

// splitsV2 is version 2 of the base record with other splits.
func splitsV2() avro.CatalogRecord {
	v2 := baseRecord()
	v2.Version = 2
	v2.ValidFrom = ingestDay.AddDate(0, 0, -3)
	v2.Splits = []avro.Split{
		{PartyID: "IPI:00052210040", Name: "Tøilette", Role: "artist", Share: decimal.RequireFromString("0.6")},
		{PartyID: "IPI:00052210041", Name: "Café", Role: "producer", Share: decimal.RequireFromString("0.4")},
	}
	return v2
}

func (f *fixture) apply(rec avro.CatalogRecord) catalog.Change {
	f.t.Helper()
	ch, err := f.cat.Apply(rec)
	if err != nil || !ch.Applied {
		f.t.Fatalf("apply version %d: %+v %v", rec.Version, ch, err)
	}
	return ch
}

func (f *fixture) broadcast(ch catalog.Change) {
	f.t.Helper()
	if err := f.p.OnCatalogChange(f.ctx, ch); err != nil {
		f.t.Fatal(err)
	}
}

// changedAlerts checks that alerts are exactly one catalog_changed of
// field per open period, each counted once, and returns them by period.
func changedAlerts(t *testing.T, alerts []*avro.DriftAlert, field string) map[periodKey]*avro.DriftAlert {
	t.Helper()
	got := map[periodKey]*avro.DriftAlert{}
	for _, a := range alerts {
		k := periodKey{a.DSP, int(a.PeriodStart.Month())}
		if a.Kind != KindCatalogChanged || a.Field != field || a.Severity != SeverityCritical || got[k] != nil {
			t.Errorf("unexpected alert %+v", a)
		}
		got[k] = a
	}
	for _, k := range openPeriodKeys {
		a := got[k]
		if a == nil {
			t.Errorf("no %s catalog_changed for %v; got %d alerts", field, k, len(alerts))
			continue
		}
		if a.Count != 1 || len(a.SampleEventIDs) != 0 {
			t.Errorf("%v: count %d, samples %v; want 1 and none", k, a.Count, a.SampleEventIDs)
		}
	}
	if len(got) != len(openPeriodKeys) {
		t.Errorf("catalog_changed for %d periods, want %d", len(got), len(openPeriodKeys))
	}
	return got
}

// checkedVersion returns the catalog version the periods of dsp record.
func (f *fixture) checkedVersion(dsp string) int64 {
	f.t.Helper()
	v, ok, err := f.ctx.Store(StorePeriods).Get(periodsKey(nil, testISRC, dsp))
	if err != nil || !ok {
		f.t.Fatalf("periods of %s: %v %v", dsp, ok, err)
	}
	c, _, err := decodePeriods(v, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return c.version
}

func TestCatalogChangedByNextEvent(t *testing.T) {
	f := openPeriodsFixture(t)
	v2 := splitsV2()
	ch := f.apply(v2) // no task ran: the broadcast reached nobody
	if alerts, _ := f.flush(); len(alerts) != 0 {
		t.Fatalf("%d alerts before any event", len(alerts))
	}

	// The next usage of the recording, by one DSP, raises catalog_changed
	// for every open period of the recording in the partition.
	out := f.process(spotify(inPeriod(f.event(), 1)))
	if slices.Contains(out.Drift, KindCatalogChanged) || out.CatalogVersion == nil || *out.CatalogVersion != 2 {
		t.Errorf("enriched event: drift %v, catalog version %v; want no catalog_changed, version 2", out.Drift, out.CatalogVersion)
	}
	alerts, review := f.flush()
	got := changedAlerts(t, alerts, FieldSplits)
	if len(review) != len(openPeriodKeys) {
		t.Errorf("%d review records, want %d", len(review), len(openPeriodKeys))
	}
	for k, a := range got {
		if a.ReportedValue != catalog.SplitsString(v2.Splits) || deref(a.CatalogValue) != catalog.SplitsString(baseRecord().Splits) ||
			a.CatalogVersion == nil || *a.CatalogVersion != 2 || !a.FirstSeen.Equal(v2.ValidFrom) ||
			!strings.Contains(a.Detail, "catalog version 2 (was version 1)") {
			t.Errorf("%v: %+v", k, a)
		}
	}
	for _, dsp := range []string{"Spotify", testDSP} {
		if v := f.checkedVersion(dsp); v != 2 {
			t.Errorf("%s usage checked against version %d, want 2", dsp, v)
		}
	}
	f.commitTx()

	// The broadcast arriving late counts nothing again, nor do later
	// events of either DSP, nor a new period.
	f.broadcast(ch)
	f.process(inPeriod(f.event(), 5))
	f.process(spotify(inPeriod(f.event(), 0)))
	f.process(spotify(inPeriod(f.event(), 2)))
	if alerts, _ := f.flush(); len(alerts) != 0 {
		for _, a := range alerts {
			t.Errorf("counted again: %+v", a)
		}
	}
}

func TestCatalogChangedBroadcastThenEvent(t *testing.T) {
	f := openPeriodsFixture(t)
	ch := f.apply(splitsV2())
	f.broadcast(ch)
	alerts, _ := f.flush()
	changedAlerts(t, alerts, FieldSplits)
	f.commitTx()
	for _, dsp := range []string{"Spotify", testDSP} {
		if v := f.checkedVersion(dsp); v != 2 {
			t.Errorf("%s usage checked against version %d after the broadcast, want 2", dsp, v)
		}
	}

	// The next events find their usage checked against version 2
	// already; a new period of Spotify is not an open period of the
	// change.
	f.process(spotify(inPeriod(f.event(), 1)))
	f.process(inPeriod(f.event(), 5))
	f.process(spotify(inPeriod(f.event(), 2)))
	f.broadcast(ch) // a replay
	if alerts, _ := f.flush(); len(alerts) != 0 {
		for _, a := range alerts {
			t.Errorf("counted again: %+v", a)
		}
	}
}

// TestCatalogChangedEventBeforeBroadcast is the order of a running
// pipeline when a task reads the new version before the broadcast reaches
// it: both in one transaction.
func TestCatalogChangedEventBeforeBroadcast(t *testing.T) {
	f := openPeriodsFixture(t)
	ch := f.apply(splitsV2())
	f.process(inPeriod(f.event(), 5))
	f.broadcast(ch)
	alerts, _ := f.flush()
	changedAlerts(t, alerts, FieldSplits)
}

// TestCatalogChangedBroadcastAborted: the drift transaction that ran the
// broadcast aborts (a crash after the catalog table stored the record),
// so the alerts and the recorded version roll back; the next event
// raises them.
func TestCatalogChangedBroadcastAborted(t *testing.T) {
	f := openPeriodsFixture(t)
	ch := f.apply(splitsV2())
	f.broadcast(ch)
	f.abortTx()
	f.p.Revoke(0) // the task restarts
	f.process(spotify(inPeriod(f.event(), 0)))
	alerts, _ := f.flush()
	changedAlerts(t, alerts, FieldSplits)
}

// TestCatalogChangedMissedVersions: versions 2 (splits) and 3 (label
// only) are applied while no task runs. The usage, checked against
// version 1, is compared with version 3.
func TestCatalogChangedMissedVersions(t *testing.T) {
	f := openPeriodsFixture(t)
	ch2 := f.apply(splitsV2())
	v3 := splitsV2()
	v3.Version, v3.Label = 3, ptr("Another Label")
	ch3 := f.apply(v3)
	f.process(inPeriod(f.event(), 5))
	alerts, _ := f.flush()
	for k, a := range changedAlerts(t, alerts, FieldSplits) {
		if *a.CatalogVersion != 3 || deref(a.CatalogValue) != catalog.SplitsString(baseRecord().Splits) ||
			!strings.Contains(a.Detail, "catalog version 3 (was version 1)") {
			t.Errorf("%v: %+v", k, a)
		}
	}
	f.broadcast(ch2)
	f.broadcast(ch3)
	f.process(spotify(inPeriod(f.event(), 0)))
	if alerts, _ := f.flush(); len(alerts) != 0 {
		t.Errorf("%d alerts counted again", len(alerts))
	}
}

func TestCatalogChangedISWCByNextEvent(t *testing.T) {
	f := openPeriodsFixture(t)
	v2 := baseRecord()
	v2.Version, v2.ISWC = 2, ptr("T3452468003")
	f.apply(v2)
	out := f.process(spotify(inPeriod(f.event(), 1)))
	if slices.Contains(out.Drift, KindCatalogChanged) {
		t.Errorf("enriched event raised catalog_changed: %v", out.Drift)
	}
	alerts, _ := f.flush()
	var changed []*avro.DriftAlert
	for _, a := range alerts {
		if a.Kind == KindCatalogChanged {
			changed = append(changed, a)
		}
	}
	for k, a := range changedAlerts(t, changed, FieldISWC) {
		if a.ReportedValue != "T3452468003" || deref(a.CatalogValue) != testISWC {
			t.Errorf("%v: %+v", k, a)
		}
	}
}

// TestCatalogVersionOtherFields: a version changing neither splits nor
// ISWC raises nothing, but is recorded.
func TestCatalogVersionOtherFields(t *testing.T) {
	f := openPeriodsFixture(t)
	v2 := baseRecord()
	v2.Version, v2.Label = 2, ptr("Another Label")
	f.apply(v2)
	f.process(inPeriod(f.event(), 5))
	if alerts, _ := f.flush(); len(alerts) != 0 {
		t.Errorf("%d alerts for a label change", len(alerts))
	}
	for _, dsp := range []string{"Spotify", testDSP} {
		if v := f.checkedVersion(dsp); v != 2 {
			t.Errorf("%s usage checked against version %d, want 2", dsp, v)
		}
	}
}

// TestCatalogChangedInsideTransaction: the period memo must not hide a
// catalog version applied between two identical events of one
// transaction.
func TestCatalogChangedInsideTransaction(t *testing.T) {
	f := openPeriodsFixture(t)
	ev := inPeriod(f.event(), 5)
	f.process(ev)
	f.process(ev) // remembered as clean
	f.apply(splitsV2())
	f.process(ev)
	alerts, _ := f.flush()
	changedAlerts(t, alerts, FieldSplits)
}

// TestCatalogChangedOldVersionGone: the drift state recorded version 1,
// but the catalog was rebuilt from the compacted topic and only has
// version 2. The stored splits hash still tells the splits changed.
func TestCatalogChangedOldVersionGone(t *testing.T) {
	f := openPeriodsFixture(t)
	rebuilt := catalog.New(processortest.NewKV(), f.codecs, catalog.Options{CacheSize: 100})
	v2 := splitsV2()
	if _, err := rebuilt.Apply(v2); err != nil {
		t.Fatal(err)
	}
	f.p = New(rebuilt, f.codecs, Options{})
	f.process(inPeriod(f.event(), 5))
	alerts, _ := f.flush()
	for k, a := range changedAlerts(t, alerts, FieldSplits) {
		if a.CatalogValue != nil || a.ReportedValue != catalog.SplitsString(v2.Splits) || !strings.Contains(a.Detail, "no longer in the catalog") {
			t.Errorf("%v: %+v", k, a)
		}
	}
}

// toLayoutV1 rewrites the periods of dsp in layout 1, as state written
// before the catalog version was kept.
func (f *fixture) toLayoutV1(dsp string) {
	f.t.Helper()
	store := f.ctx.Store(StorePeriods)
	key := periodsKey(nil, testISRC, dsp)
	v, _, _ := store.Get(key)
	_, entries, err := decodePeriods(v, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := store.Put(key, periodsV1(entries)); err != nil {
		f.t.Fatal(err)
	}
}

// TestCatalogChangedLayoutV1 runs on state without a recorded catalog
// version: the broadcast compares with the version the change replaced,
// as it always did; an event has nothing to compare with and records the
// version it sees.
func TestCatalogChangedLayoutV1(t *testing.T) {
	t.Run("broadcast", func(t *testing.T) {
		f := openPeriodsFixture(t)
		f.toLayoutV1("Spotify")
		f.toLayoutV1(testDSP)
		f.commitTx()
		ch := f.apply(splitsV2())
		f.broadcast(ch)
		alerts, _ := f.flush()
		changedAlerts(t, alerts, FieldSplits)
		f.process(inPeriod(f.event(), 5))
		f.process(spotify(inPeriod(f.event(), 0)))
		if alerts, _ := f.flush(); len(alerts) != 0 {
			t.Errorf("%d alerts counted again", len(alerts))
		}
	})
	t.Run("event", func(t *testing.T) {
		f := openPeriodsFixture(t)
		f.toLayoutV1(testDSP)
		f.commitTx()
		f.apply(splitsV2())
		f.process(inPeriod(f.event(), 5))
		if alerts, _ := f.flush(); len(alerts) != 0 {
			t.Errorf("%d alerts without a recorded version", len(alerts))
		}
		v, _, _ := f.ctx.Store(StorePeriods).Get(periodsKey(nil, testISRC, testDSP))
		if v[0] != periodsLayout || f.checkedVersion(testDSP) != 2 {
			t.Errorf("periods rewritten in layout %d with version %d, want %d and 2", v[0], f.checkedVersion(testDSP), periodsLayout)
		}
	})
}

// TestEnrichedKey: the enriched record is keyed like the usage record.
func TestEnrichedKey(t *testing.T) {
	f := newFixture(t, baseRecord())
	identified := f.event()
	unidentified := f.event()
	unidentified.ISRC = nil
	for _, tt := range []struct {
		name string
		ev   avro.UsageEvent
		key  string
		want string
	}{
		{"identified", identified, testISRC, testISRC},
		{"unidentified", unidentified, "noisrc\x00Napster\x00" + testUPC + "\x00hier", "noisrc\x00Napster\x00" + testUPC + "\x00hier"},
		{"identified without key", identified, "", testISRC},
		{"unidentified without key", unidentified, "", unidentified.EventID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := processors.Record[avro.UsageEvent]{Value: tt.ev}
			if tt.key != "" {
				rec.Key = []byte(tt.key)
			}
			f.ctx.Reset()
			if err := f.p.Process(f.ctx, rec); err != nil {
				t.Fatal(err)
			}
			out := f.ctx.Records(OutEnriched)
			if len(out) != 1 || string(out[0].Key) != tt.want {
				t.Fatalf("enriched records %+v, want one keyed %q", out, tt.want)
			}
		})
	}
}
