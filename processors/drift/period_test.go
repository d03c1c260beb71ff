package drift

import (
	"testing"

	"github.com/ledgerline/ledgerline/avro"
)

func inPeriod(ev avro.UsageEvent, month int) avro.UsageEvent {
	ev.PeriodStart = jan2024.AddDate(0, month, 0)
	ev.PeriodEnd = jan2024.AddDate(0, month+1, -1)
	return ev
}

func TestPeriodChange(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(*avro.UsageEvent)
		field    string
		severity string
	}{
		{name: "same metadata"},
		{name: "curly apostrophes and no diacritics", edit: func(e *avro.UsageEvent) {
			e.TrackTitle = "Hier, a l’aube, j’ai fait une petite pisse"
			e.Artists = []string{"Toilette & Cafe"}
		}},
		{name: "punctuation", edit: func(e *avro.UsageEvent) { e.TrackTitle = "Hier à l'aube j'ai fait une petite pisse" },
			field: FieldTitle, severity: SeverityInfo},
		{name: "title", edit: func(e *avro.UsageEvent) { e.TrackTitle = "Something Else Entirely" },
			field: FieldTitle, severity: SeverityWarn},
		{name: "artists", edit: func(e *avro.UsageEvent) { e.Artists = []string{"Someone Else"} },
			field: FieldArtists, severity: SeverityWarn},
		{name: "ISWC", edit: func(e *avro.UsageEvent) { e.ISWC = ptr("T3452468003") },
			field: FieldISWC, severity: SeverityCritical},
		{name: "UPC", edit: func(e *avro.UsageEvent) { e.UPC = ptr(otherUPC) },
			field: FieldUPC, severity: SeverityInfo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// An unknown ISRC isolates period tracking from catalog checks.
			f := newFixture(t)
			jan := inPeriod(f.event(), 0)
			jan.ISWC = ptr(testISWC)
			f.process(jan)
			f.process(jan)
			f.flush()
			feb := inPeriod(f.event(), 1)
			feb.ISWC = jan.ISWC
			if tt.edit != nil {
				tt.edit(&feb)
			}
			out := f.process(feb)
			f.process(feb)
			alerts, _ := f.flush()
			pc := kindsOf(alerts)[KindPeriodChange]
			if tt.field == "" {
				if pc != nil {
					t.Fatalf("unexpected period_change %+v", pc)
				}
				return
			}
			if pc == nil {
				t.Fatalf("no period_change; alerts %+v", alerts)
			}
			if pc.Field != tt.field || pc.Severity != tt.severity || pc.Count != 2 || !pc.PeriodStart.Equal(feb.PeriodStart) {
				t.Errorf("period_change = %+v", pc)
			}
			if pc.CatalogValue == nil || *pc.CatalogValue == pc.ReportedValue {
				t.Errorf("previous value %v, reported %q", pc.CatalogValue, pc.ReportedValue)
			}
			found := false
			for _, k := range out.Drift {
				found = found || k == KindPeriodChange
			}
			if !found {
				t.Errorf("enriched drift %v lacks period_change", out.Drift)
			}
		})
	}
}

func TestPeriodChangeAgainstLastReported(t *testing.T) {
	f := newFixture(t)
	a := inPeriod(f.event(), 0)
	b := a
	b.TrackTitle = "Second Title"
	f.process(a)
	f.process(b) // last reported in January
	feb := inPeriod(f.event(), 1)
	feb.TrackTitle = "Second Title"
	f.process(feb)
	alerts, _ := f.flush()
	if pc := kindsOf(alerts)[KindPeriodChange]; pc != nil {
		t.Errorf("period_change against January's last title: %+v", pc)
	}
}

func TestPeriodStoreWritesOnlyOnChange(t *testing.T) {
	f := newFixture(t, baseRecord())
	f.process(f.event())
	f.commitTx()
	store := f.ctx.TxStore(StorePeriods)
	for range 10 {
		f.process(f.event())
	}
	if n := store.Pending(); n != 0 {
		t.Errorf("%d period writes for unchanged metadata", n)
	}
	if n := f.ctx.TxStore(StoreUsage).Pending(); n != 0 {
		t.Errorf("%d usage writes for a known DSP", n)
	}
}

func TestPeriodRetention(t *testing.T) {
	f := newFixture(t)
	f.p = New(f.cat, f.codecs, Options{OpenPeriodDays: 40, MaxPeriods: 4})
	for m := range 12 {
		f.process(inPeriod(f.event(), m))
	}
	v, ok, _ := f.ctx.Store(StorePeriods).Get(periodsKey(nil, testISRC, testDSP))
	if !ok {
		t.Fatal("no period state")
	}
	_, entries, err := decodePeriods(v, nil)
	if err != nil {
		t.Fatal(err)
	}
	// December's end is within 40 days of November's, not of October's.
	if len(entries) != 2 || !dayTime(entries[0].start).Equal(jan2024.AddDate(0, 11, 0)) {
		t.Fatalf("kept %d periods, newest %v", len(entries), dayTime(entries[0].start))
	}
	// A late event for a period older than every kept one has no
	// predecessor left to compare with.
	late := inPeriod(f.event(), 3)
	late.TrackTitle = "Changed"
	f.process(late)
	alerts, _ := f.flush()
	if pc := kindsOf(alerts)[KindPeriodChange]; pc != nil {
		t.Errorf("late period compared with a pruned predecessor: %+v", pc)
	}
}

func TestPeriodStoreIgnoresQuietVariants(t *testing.T) {
	f := newFixture(t, baseRecord())
	f.process(f.event())
	f.commitTx()
	variant := f.event()
	variant.TrackTitle = "HIER, A L’AUBE, J’AI FAIT UNE PETITE PISSE"
	variant.Artists = []string{"Toilette & Cafe"}
	f.process(variant)
	if n := f.ctx.TxStore(StorePeriods).Pending(); n != 0 {
		t.Errorf("%d period writes for a quiet variant", n)
	}
	changed := f.event()
	changed.TrackTitle = "Another Title"
	f.process(changed)
	if n := f.ctx.TxStore(StorePeriods).Pending(); n != 1 {
		t.Errorf("%d period writes for a changed title", n)
	}
}
