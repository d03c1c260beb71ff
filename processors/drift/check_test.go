package drift

import (
	"slices"
	"testing"

	"github.com/ledgerline/ledgerline/avro"
)

// TestCatalogChecks covers each catalog comparison with near misses that
// must not alert and differences that must.
func TestCatalogChecks(t *testing.T) {
	featRecord := baseRecord()
	featRecord.ISRC = "GBAAA2400002"
	featRecord.Title = "Midnight River (feat. Zoë Berg)"
	featRecord.Artists = []string{"Anna Smith"}
	remastered := baseRecord()
	remastered.VersionTitle = ptr("Remastered 2011")
	noISWC := baseRecord()
	noISWC.ISWC = nil

	type want struct {
		kind, severity string
	}
	tests := []struct {
		name   string
		record avro.CatalogRecord
		edit   func(*avro.UsageEvent)
		want   []want // alerts expected; empty: none
	}{
		{name: "exact", edit: func(*avro.UsageEvent) {}},
		{name: "diacritics and modifier apostrophes (DistroKid NonAscii)", edit: func(e *avro.UsageEvent) {
			e.TrackTitle = "Hier, a lʼaube, jʼai fait une petite pisse"
		}},
		{name: "curly apostrophes", edit: func(e *avro.UsageEvent) { e.TrackTitle = "Hier, à l’aube, j’ai fait une petite pisse" }},
		{name: "case", edit: func(e *avro.UsageEvent) { e.TrackTitle = "HIER, À L'AUBE, J'AI FAIT UNE PETITE PISSE" }},
		{name: "extra spaces", edit: func(e *avro.UsageEvent) { e.TrackTitle = "  Hier,  à l'aube,   j'ai fait une petite pisse " }},
		{name: "artist without diacritics (ø is folded)", edit: func(e *avro.UsageEvent) { e.Artists = []string{"Toilette & Cafe"} }},
		{name: "artist joined with and", edit: func(e *avro.UsageEvent) { e.Artists = []string{"Toilette and Cafe"} }},
		{name: "artists as a list", edit: func(e *avro.UsageEvent) { e.Artists = []string{"Tøilette", "Café"} }},
		{name: "version in the title instead of version_title", record: remastered, edit: func(e *avro.UsageEvent) {
			e.TrackTitle += " - Remastered 2011"
		}},
		{name: "version in version_title and title", record: remastered, edit: func(e *avro.UsageEvent) {
			e.TrackTitle += " (Remastered 2011)"
			e.VersionTitle = ptr("Remastered 2011")
		}},
		{name: "ISWC with separators", edit: func(e *avro.UsageEvent) { e.ISWC = ptr("T-034.524.680-1") }},
		{name: "featured artist in title on both sides", record: featRecord, edit: func(e *avro.UsageEvent) {
			e.ISRC = ptr(featRecord.ISRC)
			e.TrackTitle = "Midnight River ft. Zoe Berg"
			e.Artists = []string{"Anna Smith"}
		}},

		{name: "punctuation only", edit: func(e *avro.UsageEvent) { e.TrackTitle = "Hier à l'aube j'ai fait une petite pisse" },
			want: []want{{KindTitleMismatch, SeverityInfo}}},
		{name: "ampersand versus and in title", record: func() avro.CatalogRecord { r := baseRecord(); r.Title = "Rock & Roll"; return r }(),
			edit: func(e *avro.UsageEvent) { e.TrackTitle = "Rock and Roll" }, want: []want{{KindTitleMismatch, SeverityInfo}}},
		{name: "edition suffix added", edit: func(e *avro.UsageEvent) { e.TrackTitle += " (Remastered 2011)" },
			want: []want{{KindTitleMismatch, SeverityInfo}}},
		{name: "edition suffix dropped", record: remastered, edit: func(*avro.UsageEvent) {},
			want: []want{{KindTitleMismatch, SeverityInfo}}},
		{name: "radio edit suffix", edit: func(e *avro.UsageEvent) { e.TrackTitle += " - Radio Edit" },
			want: []want{{KindTitleMismatch, SeverityWarn}}},
		{name: "live in brackets", edit: func(e *avro.UsageEvent) { e.TrackTitle += " [Live]" },
			want: []want{{KindTitleMismatch, SeverityWarn}}},
		{name: "typo", edit: func(e *avro.UsageEvent) { e.TrackTitle = "Hier, à l'aube, j'ai fait une petite pise" },
			want: []want{{KindTitleMismatch, SeverityWarn}}},
		{name: "different title", edit: func(e *avro.UsageEvent) { e.TrackTitle = "Something Else Entirely" },
			want: []want{{KindTitleMismatch, SeverityCritical}}},
		{name: "featured artist moved from title to artists", record: featRecord, edit: func(e *avro.UsageEvent) {
			e.ISRC = ptr(featRecord.ISRC)
			e.TrackTitle = "Midnight River"
			e.Artists = []string{"Anna Smith feat. Zoë Berg"}
		}, want: []want{{KindArtistMismatch, SeverityInfo}}},
		{name: "featured artist listed as main artist", record: featRecord, edit: func(e *avro.UsageEvent) {
			e.ISRC = ptr(featRecord.ISRC)
			e.TrackTitle = "Midnight River"
			e.Artists = []string{"Anna Smith", "Zoë Berg"}
		}, want: []want{{KindArtistMismatch, SeverityInfo}}},
		{name: "artist order", record: func() avro.CatalogRecord { r := baseRecord(); r.Artists = []string{"A", "B"}; return r }(),
			edit: func(e *avro.UsageEvent) { e.Artists = []string{"B", "A"} }, want: []want{{KindArtistMismatch, SeverityInfo}}},
		{name: "artist added", edit: func(e *avro.UsageEvent) { e.Artists = []string{"Tøilette & Café", "DJ Other"} },
			want: []want{{KindArtistMismatch, SeverityWarn}}},
		{name: "different artist", edit: func(e *avro.UsageEvent) { e.Artists = []string{"Someone Else"} },
			want: []want{{KindArtistMismatch, SeverityCritical}}},
		{name: "different ISWC", edit: func(e *avro.UsageEvent) { e.ISWC = ptr("T3452468003") },
			want: []want{{KindISWCMismatch, SeverityCritical}}},
		{name: "ISWC the catalog lacks", record: noISWC, edit: func(e *avro.UsageEvent) { e.ISWC = ptr("T3452468003") },
			want: []want{{KindISWCMismatch, SeverityWarn}}},
		{name: "different UPC", edit: func(e *avro.UsageEvent) { e.UPC = ptr(otherUPC) },
			want: []want{{KindUPCMismatch, SeverityInfo}}},
		{name: "no UPC reported", edit: func(e *avro.UsageEvent) { e.UPC = nil }},
		{name: "unknown ISRC", edit: func(e *avro.UsageEvent) { e.ISRC = ptr("USXXX2400001") },
			want: []want{{KindUnknownISRC, SeverityWarn}}},
		{name: "title and ISWC", edit: func(e *avro.UsageEvent) {
			e.TrackTitle = "Something Else Entirely"
			e.ISWC = ptr("T3452468003")
		}, want: []want{{KindISWCMismatch, SeverityCritical}, {KindTitleMismatch, SeverityCritical}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := tt.record
			if rec.ISRC == "" {
				rec = baseRecord()
			}
			f := newFixture(t, rec)
			ev := f.event()
			tt.edit(&ev)
			out := f.process(ev)
			alerts, review := f.flush()
			var got []want
			for _, a := range alerts {
				got = append(got, want{a.Kind, a.Severity})
			}
			slices.SortFunc(got, func(a, b want) int { return compareStrings(a.kind, b.kind) })
			wantSorted := slices.Clone(tt.want)
			slices.SortFunc(wantSorted, func(a, b want) int { return compareStrings(a.kind, b.kind) })
			if !slices.Equal(got, wantSorted) {
				for _, a := range alerts {
					t.Logf("alert %s %s: reported %q catalog %v: %s", a.Kind, a.Severity, a.ReportedValue, deref(a.CatalogValue), a.Detail)
				}
				t.Fatalf("alerts = %v, want %v", got, wantSorted)
			}
			critical := 0
			for _, w := range tt.want {
				if w.severity == SeverityCritical {
					critical++
				}
			}
			if len(review) != critical {
				t.Errorf("%d review records, want %d", len(review), critical)
			}
			kinds := slices.Clone(out.Drift)
			slices.Sort(kinds)
			var wantKinds []string
			for _, w := range wantSorted {
				wantKinds = append(wantKinds, w.kind)
			}
			if !slices.Equal(kinds, wantKinds) {
				t.Errorf("enriched drift = %v, want %v", kinds, wantKinds)
			}
			if w := deref(ev.ISRC); w == rec.ISRC {
				if out.CatalogVersion == nil || *out.CatalogVersion != rec.Version || deref(out.MatchedISRC) != w {
					t.Errorf("enriched catalog version %v matched %v", out.CatalogVersion, out.MatchedISRC)
				}
			} else if out.CatalogVersion != nil || out.MatchedISRC != nil {
				t.Errorf("unknown ISRC enriched with %v %v", out.CatalogVersion, out.MatchedISRC)
			}
			for _, a := range alerts {
				if a.Count != 1 || len(a.SampleEventIDs) != 1 || a.SampleEventIDs[0] != ev.EventID ||
					a.DSP != testDSP || !a.PeriodStart.Equal(jan2024) || a.AlertID == "" || deref(a.ISRC) != deref(ev.ISRC) {
					t.Errorf("alert fields: %+v", a)
				}
				if a.Kind != KindUnknownISRC && (a.CatalogVersion == nil || *a.CatalogVersion != rec.Version) {
					t.Errorf("alert catalog version %v", a.CatalogVersion)
				}
			}
		})
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestAlertValues(t *testing.T) {
	f := newFixture(t, baseRecord())
	ev := f.event()
	ev.TrackTitle = "Other Song"
	ev.VersionTitle = ptr("Live")
	f.process(ev)
	alerts, _ := f.flush()
	if len(alerts) != 1 {
		t.Fatalf("%d alerts", len(alerts))
	}
	a := alerts[0]
	if a.Field != FieldTitle || a.ReportedValue != "Other Song (Live)" || deref(a.CatalogValue) != baseRecord().Title {
		t.Errorf("alert = %+v", a)
	}
	if !a.FirstSeen.Equal(ev.IngestTime) || !a.LastSeen.Equal(ev.IngestTime) {
		t.Errorf("seen %v %v, want %v", a.FirstSeen, a.LastSeen, ev.IngestTime)
	}
}
