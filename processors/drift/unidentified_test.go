package drift

import (
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/avro"
)

func TestUnidentified(t *testing.T) {
	live := baseRecord()
	live.ISRC = "FRAAA2300002"
	live.VersionTitle = ptr("Live")
	tests := []struct {
		name     string
		edit     func(*avro.UsageEvent)
		matched  string
		severity string
		detail   string
	}{
		{name: "matched by UPC and title", edit: func(e *avro.UsageEvent) {
			e.TrackTitle = "HIER A L’AUBE, J’AI FAIT UNE PETITE PISSE"
		}, matched: testISRC, severity: SeverityInfo, detail: "matched by UPC " + testUPC + " and title to ISRC " + testISRC},
		{name: "matched by version", edit: func(e *avro.UsageEvent) { e.VersionTitle = ptr("Live") },
			matched: live.ISRC, severity: SeverityInfo, detail: "to ISRC " + live.ISRC},
		{name: "ambiguous version", edit: func(e *avro.UsageEvent) { e.VersionTitle = ptr("Radio Edit") },
			severity: SeverityWarn, detail: "2 recordings on UPC"},
		{name: "title not on release", edit: func(e *avro.UsageEvent) { e.TrackTitle = "Other" },
			severity: SeverityWarn, detail: "no recording on UPC"},
		{name: "unknown release", edit: func(e *avro.UsageEvent) { e.UPC = ptr(otherUPC) },
			severity: SeverityWarn, detail: "no recording on UPC"},
		{name: "no UPC", edit: func(e *avro.UsageEvent) { e.UPC = nil },
			severity: SeverityWarn, detail: "no UPC reported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, baseRecord(), live)
			ev := f.event()
			ev.ISRC = nil
			ev.NeedsMatch = true
			tt.edit(&ev)
			out := f.process(ev)
			enriched := f.ctx.Records(OutEnriched)
			if string(enriched[0].Key) != ev.EventID {
				t.Errorf("enriched keyed %q", enriched[0].Key)
			}
			alerts, _ := f.flush()
			if len(alerts) != 1 {
				t.Fatalf("%d alerts", len(alerts))
			}
			a := alerts[0]
			if a.Kind != KindUnidentified || a.Severity != tt.severity || a.ISRC != nil || !strings.Contains(a.Detail, tt.detail) {
				t.Errorf("alert %s %s isrc %v: %s", a.Kind, a.Severity, a.ISRC, a.Detail)
			}
			if len(out.Drift) != 1 || out.Drift[0] != KindUnidentified {
				t.Errorf("drift = %v", out.Drift)
			}
			if deref(out.MatchedISRC) != tt.matched || deref(a.CatalogValue) != tt.matched {
				t.Errorf("matched %q / alert catalog value %q, want %q", deref(out.MatchedISRC), deref(a.CatalogValue), tt.matched)
			}
			if (tt.matched != "") != (out.CatalogVersion != nil) {
				t.Errorf("catalog version %v", out.CatalogVersion)
			}
			// Unidentified events are not tracked per period.
			if n := f.ctx.TxStore(StorePeriods).Pending(); n != 0 {
				t.Errorf("%d period writes", n)
			}
		})
	}
}

func TestUnidentifiedDedup(t *testing.T) {
	f := newFixture(t, baseRecord())
	for range 3 {
		ev := f.event()
		ev.ISRC = nil
		f.process(ev)
	}
	alerts, _ := f.flush()
	if len(alerts) != 1 || alerts[0].Count != 3 {
		t.Fatalf("alerts %+v", alerts)
	}
}
