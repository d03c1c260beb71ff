package drift

import (
	"testing"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/catalog"
	"github.com/shopspring/decimal"
)

func TestCatalogChanged(t *testing.T) {
	f := newFixture(t, baseRecord())
	// Spotify reported January and February 2024: both open.
	for m := range 2 {
		ev := inPeriod(f.event(), m)
		ev.Source.DSP = "Spotify"
		f.process(ev)
	}
	// Napster reported January 2023 and June 2024: only June is open.
	old := f.event()
	old.PeriodStart, old.PeriodEnd = jan2024.AddDate(-1, 0, 0), jan2024.AddDate(-1, 1, -1)
	f.process(old)
	f.process(inPeriod(f.event(), 5))
	f.flush()
	f.commitTx()

	v2 := baseRecord()
	v2.Version = 2
	v2.Splits[0].Share = decimal.RequireFromString("0.6")
	v2.Splits[1].Share = decimal.RequireFromString("0.4")
	ch, err := f.cat.Apply(v2)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.p.OnCatalogChange(f.ctx, ch); err != nil {
		t.Fatal(err)
	}
	alerts, review := f.flush()
	type key struct {
		dsp   string
		month int
	}
	got := map[key]*avro.DriftAlert{}
	for _, a := range alerts {
		if a.Kind != KindCatalogChanged || a.Field != FieldSplits || a.Severity != SeverityCritical {
			t.Errorf("alert %+v", a)
		}
		got[key{a.DSP, int(a.PeriodStart.Month())}] = a
	}
	want := []key{{"Spotify", 1}, {"Spotify", 2}, {testDSP, 6}}
	if len(got) != len(want) || len(review) != len(want) {
		t.Fatalf("alerts for %v, %d review records; want %v", got, len(review), want)
	}
	for _, k := range want {
		a := got[k]
		if a == nil {
			t.Fatalf("no alert for %v", k)
		}
		if a.ReportedValue != catalog.SplitsString(v2.Splits) || deref(a.CatalogValue) != catalog.SplitsString(baseRecord().Splits) ||
			a.CatalogVersion == nil || *a.CatalogVersion != 2 || a.Count != 1 || !a.FirstSeen.Equal(v2.ValidFrom) {
			t.Errorf("alert %v: %+v", k, a)
		}
	}

	// The same change delivered again (a replay) counts nothing.
	if err := f.p.OnCatalogChange(f.ctx, ch); err != nil {
		t.Fatal(err)
	}
	if again, _ := f.flush(); len(again) != 0 {
		t.Errorf("replayed change emitted %d alerts", len(again))
	}
	replayed, err := f.cat.Apply(v2)
	if err != nil || replayed.Applied {
		t.Fatalf("re-apply: %+v %v", replayed, err)
	}
	if err := f.p.OnCatalogChange(f.ctx, replayed); err != nil {
		t.Fatal(err)
	}
	if again, _ := f.flush(); len(again) != 0 {
		t.Errorf("not-applied change emitted %d alerts", len(again))
	}

	// An ISWC change raises one alert per open period too.
	v3 := v2
	v3.Version = 3
	v3.ISWC = ptr("T3452468003")
	ch3, _ := f.cat.Apply(v3)
	if err := f.p.OnCatalogChange(f.ctx, ch3); err != nil {
		t.Fatal(err)
	}
	alerts, _ = f.flush()
	if len(alerts) != 3 || alerts[0].Field != FieldISWC || alerts[0].ReportedValue != "T3452468003" {
		t.Errorf("ISWC change alerts: %+v", alerts)
	}

	// A title change is not a catalog_changed.
	v4 := v3
	v4.Version = 4
	v4.Title = "New Title"
	ch4, _ := f.cat.Apply(v4)
	if err := f.p.OnCatalogChange(f.ctx, ch4); err != nil {
		t.Fatal(err)
	}
	if alerts, _ := f.flush(); len(alerts) != 0 {
		t.Errorf("title change raised %d alerts", len(alerts))
	}
}

func TestCatalogChangedOtherPartition(t *testing.T) {
	f := newFixture(t, baseRecord())
	f.process(f.event())
	f.flush()
	f.commitTx()
	other := newFixture(t, baseRecord()) // another partition's stores: no usage
	v2 := baseRecord()
	v2.Version = 2
	v2.ISWC = ptr("T3452468003")
	ch, _ := other.cat.Apply(v2)
	if err := other.p.OnCatalogChange(other.ctx, ch); err != nil {
		t.Fatal(err)
	}
	if alerts, _ := other.flush(); len(alerts) != 0 {
		t.Errorf("partition without usage raised %d alerts", len(alerts))
	}
}

func TestCatalogChangedNewRecording(t *testing.T) {
	f := newFixture(t)
	f.process(f.event()) // unknown ISRC, usage recorded
	f.flush()
	ch, err := f.cat.Apply(baseRecord())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.p.OnCatalogChange(f.ctx, ch); err != nil {
		t.Fatal(err)
	}
	if alerts, _ := f.flush(); len(alerts) != 0 {
		t.Errorf("first version raised %d alerts", len(alerts))
	}
}
