package pipeline

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/catalog"
	"github.com/ledgerline/ledgerline/processors/drift"
)

// The drift cases: a hand-made catalog, usage events that raise each
// kind of alert (and near misses that must raise none), and what the
// pipeline must make of them. See processors/drift's documentation for
// the rules.

const (
	dspA = "Spotify"
	dspB = "Deezer"
)

// period is a reporting period, both days inclusive.
type period struct{ start, end time.Time }

func month(y int, m time.Month) period {
	start := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return period{start, start.AddDate(0, 1, -1)}
}

var (
	sep23 = month(2023, time.September)
	dec23 = month(2023, time.December)
	jan24 = month(2024, time.January)
	feb24 = month(2024, time.February)
	mar24 = month(2024, time.March)
)

func isrcN(n int) string { return fmt.Sprintf("QZPLA24%05d", n) }

// upcN is a GTIN-14 with a correct check digit, starting with zeros.
func upcN(n int) string {
	data := fmt.Sprintf("00%011d", 7_000_000+n)
	return data + fmt.Sprint(catalog.GS1CheckDigit(data))
}

func iswcN(n int) string {
	digits := fmt.Sprintf("%09d", 100_000+n)
	return fmt.Sprintf("T%s%d", digits, catalog.ISWCCheckDigit(digits))
}

func ptr[T any](v T) *T { return &v }

var (
	splitsV1 = []avro.Split{
		{PartyID: "IPI:00052210040", Name: "Tøilette", Role: "artist", Share: decimal.RequireFromString("0.7")},
		{PartyID: "IPI:00052210041", Name: "Café", Role: "producer", Share: decimal.RequireFromString("0.3")},
	}
	splitsV2 = []avro.Split{
		{PartyID: "IPI:00052210040", Name: "Tøilette", Role: "artist", Share: decimal.RequireFromString("0.6")},
		{PartyID: "IPI:00052210041", Name: "Café", Role: "producer", Share: decimal.RequireFromString("0.3")},
		{PartyID: "IPI:00052210042", Name: "Åsa", Role: "lyricist", Share: decimal.RequireFromString("0.1")},
	}
	validV1 = time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	validV2 = time.Date(2024, 2, 15, 9, 30, 0, 0, time.UTC)
)

// record is version 1 of catalog recording n, with its own UPC and ISWC.
func record(n int, title string, artists ...string) avro.CatalogRecord {
	return avro.CatalogRecord{
		ISRC: isrcN(n), Version: 1, ValidFrom: validV1, Title: title, Artists: artists,
		ReleaseTitle: ptr("Release " + fmt.Sprint(n)), UPC: ptr(upcN(n)), ISWC: ptr(iswcN(n)),
		Label: ptr("Sonic Café"), Splits: splitsV1,
	}
}

// eventMod changes an event.
type eventMod func(*avro.UsageEvent)

func title(s string) eventMod      { return func(e *avro.UsageEvent) { e.TrackTitle = s } }
func artists(a ...string) eventMod { return func(e *avro.UsageEvent) { e.Artists = a } }
func iswc(s string) eventMod       { return func(e *avro.UsageEvent) { e.ISWC = ptr(s) } }
func upc(s string) eventMod        { return func(e *avro.UsageEvent) { e.UPC = ptr(s) } }
func noUPC() eventMod              { return func(e *avro.UsageEvent) { e.UPC = nil } }
func noISRC() eventMod             { return func(e *avro.UsageEvent) { e.ISRC = nil } }
func by(dsp string) eventMod       { return func(e *avro.UsageEvent) { e.Source.DSP = dsp } }
func in(p period) eventMod {
	return func(e *avro.UsageEvent) { e.PeriodStart, e.PeriodEnd = p.start, p.end }
}
func versionTitle(s string) eventMod   { return func(e *avro.UsageEvent) { e.VersionTitle = ptr(s) } }
func ingestedAt(at time.Time) eventMod { return func(e *avro.UsageEvent) { e.IngestTime = at } }
func sourceLine(file string, line int64) eventMod {
	return func(e *avro.UsageEvent) { e.Source.FileName, e.Source.Line = file, line }
}

var ingestBase = time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)

// usageOf is a usage event reporting rec exactly as the catalog has it,
// by dspA in January 2024, then changed by mods.
func usageOf(id string, rec avro.CatalogRecord, mods ...eventMod) avro.UsageEvent {
	ev := avro.UsageEvent{
		EventID: id,
		Source: avro.Source{DSP: dspA, ReportID: "report-1", FileName: "statement.tsv",
			FileSHA256: strings.Repeat("ab", 32), Line: 1, Profile: "test"},
		PeriodStart: jan24.start, PeriodEnd: jan24.end, Territory: "FR",
		ISRC: ptr(rec.ISRC), UPC: rec.UPC, ISWC: rec.ISWC,
		TrackTitle: rec.Title, VersionTitle: rec.VersionTitle, Artists: rec.Artists,
		ReleaseTitle: rec.ReleaseTitle, Label: rec.Label,
		UseType: "stream", UseTypeReported: "Stream", CommercialModel: "subscription",
		Units: 3, Revenue: decimal.RequireFromString("0.0123"), Currency: "EUR",
		IngestTime: ingestBase,
	}
	for _, m := range mods {
		m(&ev)
	}
	return ev
}

// caseEvent is one event of a case and what its enriched record must
// carry.
type caseEvent struct {
	ev      avro.UsageEvent
	drift   []string // alert kinds raised, in any order
	matched string   // matched ISRC; "" for none
	version int64    // catalog version checked against; 0 for none
	late    bool     // produced after the catalog changes
}

// wantAlert is an alert a case must raise; zero fields take defaults
// (dspA, January 2024, count 1) or are not checked (reported, catalog
// value and version).
type wantAlert struct {
	kind, field, severity string
	dsp                   string
	period                period
	count                 int64
	reported              string
	catalogValue          string
	version               int64
	firstSeen             time.Time
}

func (w wantAlert) withDefaults() wantAlert {
	if w.dsp == "" {
		w.dsp = dspA
	}
	if w.period.start.IsZero() {
		w.period = jan24
	}
	if w.count == 0 {
		w.count = 1
	}
	return w
}

func (w wantAlert) String() string {
	s := fmt.Sprintf("%s/%s/%s %s %s", w.kind, w.field, w.severity, w.dsp, w.period.start.Format("2006-01"))
	if w.reported != "" {
		s += fmt.Sprintf(" %q", w.reported)
	}
	return s
}

// matches reports whether a has w's identity (not its counts or
// severity).
func (w wantAlert) matches(a avro.DriftAlert) bool {
	return a.Kind == w.kind && a.Field == w.field && a.DSP == w.dsp &&
		a.PeriodStart.Equal(w.period.start) && a.PeriodEnd.Equal(w.period.end) &&
		(w.reported == "" || a.ReportedValue == w.reported)
}

// driftCase is a set of events and the alerts they must raise: exactly
// these, no more.
type driftCase struct {
	name   string
	events []caseEvent
	want   []wantAlert
}

// isrcs are the ISRCs the case's events report.
func (c driftCase) isrcs() map[string]bool {
	m := map[string]bool{}
	for _, e := range c.events {
		if e.ev.ISRC != nil {
			m[*e.ev.ISRC] = true
		}
	}
	return m
}

func (c driftCase) eventIDs() map[string]bool {
	m := map[string]bool{}
	for _, e := range c.events {
		m[e.ev.EventID] = true
	}
	return m
}

// owns reports whether alert a was raised by the case's events: by its
// ISRC, or, for alerts without one, by its sample event ids.
func (c driftCase) owns(a avro.DriftAlert) bool {
	if a.ISRC != nil {
		return c.isrcs()[*a.ISRC]
	}
	ids := c.eventIDs()
	for _, id := range a.SampleEventIDs {
		if ids[id] {
			return true
		}
	}
	return false
}

// driftFixture is the catalog, its later changes and the cases.
type driftFixture struct {
	catalog []avro.CatalogRecord // published before the pipeline starts
	changes []avro.CatalogRecord // published while it runs
	cases   []driftCase
}

const dedupEvents = 50

// newDriftFixture builds the catalog and the cases. Every case has its
// own recordings, so the alerts of a case are told apart by ISRC (or,
// without ISRC, by the events they sample).
func newDriftFixture() driftFixture {
	var f driftFixture
	seq := 0
	ev := func(rec avro.CatalogRecord, mods ...eventMod) avro.UsageEvent {
		seq++
		base := []eventMod{sourceLine("statement.tsv", int64(seq)), ingestedAt(ingestBase.Add(time.Duration(seq) * time.Second))}
		return usageOf(fmt.Sprintf("ev-%04d", seq), rec, append(base, mods...)...)
	}
	add := func(recs ...avro.CatalogRecord) {
		f.catalog = append(f.catalog, recs...)
	}
	clean := func(e avro.UsageEvent) caseEvent { return caseEvent{ev: e, matched: *e.ISRC, version: 1} }
	raised := func(e avro.UsageEvent, kinds ...string) caseEvent {
		return caseEvent{ev: e, drift: kinds, matched: *e.ISRC, version: 1}
	}
	const hier = "Hier, à l'aube, j'ai fait une petite pisse"
	const toilette = "Tøilette & Café"

	// Events as the catalog has them, and near misses: differences a
	// person would not call one.
	r1 := record(1, hier, toilette)
	r2 := record(2, hier, toilette)
	r3 := record(3, hier, toilette)
	r4 := record(4, hier, toilette)
	r5 := record(5, hier, toilette)
	r6 := record(6, hier, toilette)
	r7 := record(7, hier, toilette)
	add(r1, r2, r3, r4, r5, r6, r7)
	iswc7 := *r7.ISWC // T-ddd.ddd.ddd-c
	dotted := fmt.Sprintf("%s-%s.%s.%s-%s", iswc7[:1], iswc7[1:4], iswc7[4:7], iswc7[7:10], iswc7[10:])
	f.cases = append(f.cases,
		driftCase{name: "exact", events: []caseEvent{clean(ev(r1))}},
		driftCase{name: "near miss/diacritics", events: []caseEvent{
			clean(ev(r2, title("Hier, a l'aube, j'ai fait une petite pisse"), artists("Toilette & Cafe"))),
		}},
		driftCase{name: "near miss/apostrophes", events: []caseEvent{
			clean(ev(r3, title("Hier, à l’aube, j’ai fait une petite pisse"))),
			clean(ev(r3, title("Hier, à lʼaube, jʼai fait une petite pisse"))),
			clean(ev(r3, title("Hier, à l`aube, j´ai fait une petite pisse"))),
		}},
		driftCase{name: "near miss/case", events: []caseEvent{
			clean(ev(r4, title(strings.ToUpper(hier)), artists(strings.ToUpper(toilette)))),
			clean(ev(r4, title(strings.ToLower(hier)), artists(strings.ToLower(toilette)))),
		}},
		driftCase{name: "near miss/spaces", events: []caseEvent{
			clean(ev(r5, title("  Hier,  à l'aube,   j'ai fait une petite pisse "), artists(" Tøilette  &   Café "))),
			clean(ev(r5, title("Hier,\tà l'aube, j'ai fait une petite pisse"))),
		}},
		driftCase{name: "near miss/artist joins", events: []caseEvent{
			clean(ev(r6, artists("Tøilette and Café"))),
			clean(ev(r6, artists("Tøilette", "Café"))),
			clean(ev(r6, artists("Tøilette, Café"))),
		}},
		driftCase{name: "near miss/identifier spelling", events: []caseEvent{
			clean(ev(r7, iswc(dotted))),
			clean(ev(r7, iswc(strings.ToLower(dotted)))),
			clean(ev(r7, upc(strings.TrimLeft(*r7.UPC, "0")))),
		}},
	)

	// unknown_isrc.
	unknown := record(900, "Not In The Catalog", "Frank Nowak")
	f.cases = append(f.cases, driftCase{name: drift.KindUnknownISRC,
		events: []caseEvent{{ev: ev(unknown), drift: []string{drift.KindUnknownISRC}}},
		want:   []wantAlert{{kind: drift.KindUnknownISRC, field: drift.FieldISRC, severity: drift.SeverityWarn, reported: unknown.ISRC}},
	})

	// unidentified: no ISRC; matched by UPC and title, or not.
	r10 := record(10, "Midnight Paper River", "Inès Dubois")
	r11a := record(11, "Ocean Stars", "Kaito Tanaka")
	r11a.VersionTitle = ptr("Live")
	r11b := record(12, "Ocean Stars", "Kaito Tanaka")
	r11b.VersionTitle, r11b.UPC = ptr("Acoustic"), r11a.UPC
	add(r10, r11a, r11b)
	uMatched := ev(r10, noISRC())
	uLoose := ev(r10, noISRC(), title("midnight paper-river!"))
	uNoUPC := ev(r10, noISRC(), noUPC(), title("Nobody Knows This"))
	uNotOnRelease := ev(r10, noISRC(), title("Not On This Release"))
	uAmbiguous := ev(r11a, noISRC(), title("Ocean Stars"), func(e *avro.UsageEvent) { e.VersionTitle = nil })
	uVersion := ev(r11a, noISRC(), title("Ocean Stars (Live)"), func(e *avro.UsageEvent) { e.VersionTitle = nil })
	unidentified := func(e avro.UsageEvent, matched string) caseEvent {
		ce := caseEvent{ev: e, drift: []string{drift.KindUnidentified}, matched: matched}
		if matched != "" {
			ce.version = 1
		}
		return ce
	}
	reportedU := func(title, artist, upc string) string {
		if upc == "" {
			return title + " / " + artist + " / no UPC"
		}
		return title + " / " + artist + " / UPC " + upc
	}
	f.cases = append(f.cases,
		driftCase{name: drift.KindUnidentified + "/matched by UPC and title",
			events: []caseEvent{unidentified(uMatched, r10.ISRC), unidentified(uLoose, r10.ISRC)},
			want: []wantAlert{
				{kind: drift.KindUnidentified, field: drift.FieldISRC, severity: drift.SeverityInfo,
					reported: reportedU("Midnight Paper River", "Inès Dubois", *r10.UPC), catalogValue: r10.ISRC, version: 1},
				{kind: drift.KindUnidentified, field: drift.FieldISRC, severity: drift.SeverityInfo,
					reported: reportedU("midnight paper-river!", "Inès Dubois", *r10.UPC), catalogValue: r10.ISRC, version: 1},
			}},
		driftCase{name: drift.KindUnidentified + "/unmatched",
			events: []caseEvent{unidentified(uNoUPC, ""), unidentified(uNotOnRelease, "")},
			want: []wantAlert{
				{kind: drift.KindUnidentified, field: drift.FieldISRC, severity: drift.SeverityWarn,
					reported: reportedU("Nobody Knows This", "Inès Dubois", "")},
				{kind: drift.KindUnidentified, field: drift.FieldISRC, severity: drift.SeverityWarn,
					reported: reportedU("Not On This Release", "Inès Dubois", *r10.UPC)},
			}},
		driftCase{name: drift.KindUnidentified + "/dedup",
			events: func() []caseEvent {
				var out []caseEvent
				for range 5 {
					out = append(out, unidentified(ev(r10, noISRC(), title("Unknown Lullaby")), ""))
				}
				return out
			}(),
			want: []wantAlert{{kind: drift.KindUnidentified, field: drift.FieldISRC, severity: drift.SeverityWarn,
				reported: reportedU("Unknown Lullaby", "Inès Dubois", *r10.UPC), count: 5}}},
		driftCase{name: drift.KindUnidentified + "/ambiguous or told apart by version",
			events: []caseEvent{unidentified(uAmbiguous, ""), unidentified(uVersion, r11a.ISRC)},
			want: []wantAlert{
				{kind: drift.KindUnidentified, field: drift.FieldISRC, severity: drift.SeverityWarn,
					reported: reportedU("Ocean Stars", "Kaito Tanaka", *r11a.UPC)},
				{kind: drift.KindUnidentified, field: drift.FieldISRC, severity: drift.SeverityInfo,
					reported: reportedU("Ocean Stars (Live)", "Kaito Tanaka", *r11a.UPC), catalogValue: r11a.ISRC},
			}},
	)

	// title_mismatch.
	r13 := record(13, "Golden River", "Chloé Müller")
	r14 := record(14, "Golden River", "Chloé Müller")
	r15 := record(15, "Electric Dream", "Hugo Tanaka")
	r16 := record(16, "Electric Dreams Forever", "Hugo Tanaka")
	add(r13, r14, r15, r16)
	title13 := func(reported, severity string) wantAlert {
		return wantAlert{kind: drift.KindTitleMismatch, field: drift.FieldTitle, severity: severity,
			reported: reported, catalogValue: "Golden River", version: 1}
	}
	f.cases = append(f.cases,
		driftCase{name: drift.KindTitleMismatch + "/minor",
			events: []caseEvent{
				raised(ev(r13, title("Golden River (Remastered 2011)")), drift.KindTitleMismatch),
				raised(ev(r13, versionTitle("2009 Remaster")), drift.KindTitleMismatch),
				raised(ev(r13, title("Golden-River!")), drift.KindTitleMismatch),
			},
			want: []wantAlert{
				title13("Golden River (Remastered 2011)", drift.SeverityInfo),
				title13("Golden River (2009 Remaster)", drift.SeverityInfo),
				title13("Golden-River!", drift.SeverityInfo),
			}},
		driftCase{name: drift.KindTitleMismatch + "/different audio",
			events: []caseEvent{raised(ev(r14, title("Golden River - Live")), drift.KindTitleMismatch)},
			want: []wantAlert{{kind: drift.KindTitleMismatch, field: drift.FieldTitle, severity: drift.SeverityWarn,
				reported: "Golden River - Live"}}},
		driftCase{name: drift.KindTitleMismatch + "/major",
			events: []caseEvent{raised(ev(r15, title("Completely Unrelated Words")), drift.KindTitleMismatch)},
			want: []wantAlert{{kind: drift.KindTitleMismatch, field: drift.FieldTitle, severity: drift.SeverityCritical,
				reported: "Completely Unrelated Words", catalogValue: "Electric Dream"}}},
		driftCase{name: drift.KindTitleMismatch + "/typo",
			events: []caseEvent{raised(ev(r16, title("Electric Draems Forever")), drift.KindTitleMismatch)},
			want:   []wantAlert{{kind: drift.KindTitleMismatch, field: drift.FieldTitle, severity: drift.SeverityWarn}}},
	)

	// Featured artists written in the title on one side and in the
	// artist list on the other: one minor artist_mismatch, no
	// title_mismatch.
	r17 := record(17, "Paper Hearts (feat. Zoë Berg)", "Nora Silva")
	r18 := record(18, "Blue Night", "Nora Silva feat. Zoë Berg")
	add(r17, r18)
	artistInfo := wantAlert{kind: drift.KindArtistMismatch, field: drift.FieldArtists, severity: drift.SeverityInfo}
	f.cases = append(f.cases,
		driftCase{name: "feat placement/in the artist list",
			events: []caseEvent{
				raised(ev(r17, title("Paper Hearts"), artists("Nora Silva feat. Zoë Berg")), drift.KindArtistMismatch),
				clean(ev(r17, title("Paper Hearts (Feat. Zoe Berg)"))),
			},
			want: []wantAlert{artistInfo}},
		driftCase{name: "feat placement/in the title",
			events: []caseEvent{raised(ev(r18, title("Blue Night (feat. Zoë Berg)"), artists("Nora Silva")), drift.KindArtistMismatch)},
			want:   []wantAlert{artistInfo}},
	)

	// artist_mismatch.
	r19 := record(19, "Smörgåsbord", "Anna Smith", "Björn Berg")
	r20 := record(20, "Fjäril", "Søren O'Brien")
	add(r19, r20)
	f.cases = append(f.cases,
		driftCase{name: drift.KindArtistMismatch + "/partial",
			events: []caseEvent{raised(ev(r19, artists("Anna Smith")), drift.KindArtistMismatch)},
			want: []wantAlert{{kind: drift.KindArtistMismatch, field: drift.FieldArtists, severity: drift.SeverityWarn,
				reported: "Anna Smith", catalogValue: "Anna Smith, Björn Berg"}}},
		driftCase{name: drift.KindArtistMismatch + "/major",
			events: []caseEvent{
				raised(ev(r20, artists("Someone Else")), drift.KindArtistMismatch),
				clean(ev(r20, artists("Soren O’Brien"))),
			},
			want: []wantAlert{{kind: drift.KindArtistMismatch, field: drift.FieldArtists, severity: drift.SeverityCritical,
				reported: "Someone Else"}}},
	)

	// iswc_mismatch and upc_mismatch.
	r21 := record(21, "Kærlighed", "Lena Kowalski")
	r22 := record(22, "Ångest", "Lena Kowalski")
	r22.ISWC = nil
	r23 := record(23, "Mañana", "Miguel García")
	add(r21, r22, r23)
	f.cases = append(f.cases,
		driftCase{name: drift.KindISWCMismatch + "/differs",
			events: []caseEvent{raised(ev(r21, iswc(iswcN(121))), drift.KindISWCMismatch)},
			want: []wantAlert{{kind: drift.KindISWCMismatch, field: drift.FieldISWC, severity: drift.SeverityCritical,
				reported: iswcN(121), catalogValue: *r21.ISWC, version: 1}}},
		driftCase{name: drift.KindISWCMismatch + "/catalog has none",
			events: []caseEvent{raised(ev(r22, iswc(iswcN(122))), drift.KindISWCMismatch), clean(ev(r22))},
			want: []wantAlert{{kind: drift.KindISWCMismatch, field: drift.FieldISWC, severity: drift.SeverityWarn,
				reported: iswcN(122)}}},
		driftCase{name: drift.KindUPCMismatch,
			events: []caseEvent{raised(ev(r23, upc(upcN(123))), drift.KindUPCMismatch)},
			want: []wantAlert{{kind: drift.KindUPCMismatch, field: drift.FieldUPC, severity: drift.SeverityInfo,
				reported: upcN(123), catalogValue: *r23.UPC}}},
	)

	// period_change: the same ISRC and DSP in the next period with
	// different metadata. Another DSP's periods are not compared.
	r24 := record(24, "Summer Rain", "Greta Rossi")
	r25 := record(25, "Été", "Greta Rossi")
	r25.ISWC, r25.UPC = nil, nil
	add(r24, r25)
	f.cases = append(f.cases,
		driftCase{name: drift.KindPeriodChange + "/title",
			events: []caseEvent{
				raised(ev(r24, title("Summer Rain (Live)")), drift.KindTitleMismatch),
				raised(ev(r24, in(feb24)), drift.KindPeriodChange),
				clean(ev(r24, in(mar24), title("SUMMER  RAIN"), artists("greta rossi"))),
				raised(ev(r24, in(feb24), by(dspB), title("Summer Rain (Live)")), drift.KindTitleMismatch),
			},
			want: []wantAlert{
				{kind: drift.KindTitleMismatch, field: drift.FieldTitle, severity: drift.SeverityWarn, reported: "Summer Rain (Live)"},
				{kind: drift.KindPeriodChange, field: drift.FieldTitle, severity: drift.SeverityWarn, period: feb24,
					reported: "Summer Rain", catalogValue: "Summer Rain (Live)"},
				{kind: drift.KindTitleMismatch, field: drift.FieldTitle, severity: drift.SeverityWarn, dsp: dspB, period: feb24},
			}},
		driftCase{name: drift.KindPeriodChange + "/identifiers",
			events: []caseEvent{
				raised(ev(r25, iswc(iswcN(125)), upc(upcN(125))), drift.KindISWCMismatch),
				raised(ev(r25, in(feb24), iswc(iswcN(126)), upc(upcN(126))), drift.KindISWCMismatch, drift.KindPeriodChange),
			},
			want: []wantAlert{
				{kind: drift.KindISWCMismatch, field: drift.FieldISWC, severity: drift.SeverityWarn, reported: iswcN(125)},
				{kind: drift.KindISWCMismatch, field: drift.FieldISWC, severity: drift.SeverityWarn, period: feb24, reported: iswcN(126)},
				{kind: drift.KindPeriodChange, field: drift.FieldISWC, severity: drift.SeverityCritical, period: feb24,
					reported: iswcN(126), catalogValue: iswcN(125)},
				{kind: drift.KindPeriodChange, field: drift.FieldUPC, severity: drift.SeverityInfo, period: feb24,
					reported: upcN(126), catalogValue: upcN(125)},
			}},
	)

	// Deduplication: many events of the same drift are one alert.
	r26 := record(26, "Dedup Song", "Oskar Berg")
	add(r26)
	dedup := driftCase{name: "dedup", want: []wantAlert{{kind: drift.KindTitleMismatch, field: drift.FieldTitle,
		severity: drift.SeverityWarn, reported: "Dedup Song (Live)", count: dedupEvents,
		firstSeen: ingestBase.Add(time.Duration(seq+1) * time.Second)}}}
	for range dedupEvents {
		dedup.events = append(dedup.events, raised(ev(r26, title("Dedup Song (Live)")), drift.KindTitleMismatch))
	}
	f.cases = append(f.cases, dedup)

	// catalog_changed: new catalog versions published while the
	// pipeline runs. r31's splits change: its open periods alert (the
	// latest of each DSP, and those ending within 62 days of it), its
	// September period does not. r32's ISWC changes. r33 gains a version
	// title (neither splits nor ISWC: no catalog_changed). r34's splits
	// change without usage.
	r31 := record(31, "Rock & Roll Night", "Élodie Johansson")
	r32 := record(32, "Déjà Vu City", "Élodie Johansson")
	r33 := record(33, "Wild Fire", "Élodie Johansson")
	r34 := record(34, "Unused", "Élodie Johansson")
	add(r31, r32, r33, r34)
	v2 := func(r avro.CatalogRecord, change func(*avro.CatalogRecord)) avro.CatalogRecord {
		r.Version, r.ValidFrom = 2, validV2
		change(&r)
		return r
	}
	r31v2 := v2(r31, func(r *avro.CatalogRecord) { r.Splits = splitsV2 })
	r32v2 := v2(r32, func(r *avro.CatalogRecord) { r.ISWC = ptr(iswcN(132)) })
	r33v2 := v2(r33, func(r *avro.CatalogRecord) { r.VersionTitle = ptr("Remastered 2024") })
	r34v2 := v2(r34, func(r *avro.CatalogRecord) { r.Splits = splitsV2 })
	// r31's version 2 is published twice: the replay changes nothing.
	f.changes = []avro.CatalogRecord{r33v2, r34v2, r31v2, r32v2, r31v2}
	late := func(ce caseEvent) caseEvent { ce.late, ce.version = true, 2; return ce }
	splitsChanged := func(dsp string, p period) wantAlert {
		return wantAlert{kind: drift.KindCatalogChanged, field: drift.FieldSplits, severity: drift.SeverityCritical,
			dsp: dsp, period: p, reported: catalog.SplitsString(splitsV2), catalogValue: catalog.SplitsString(splitsV1),
			version: 2, firstSeen: validV2}
	}
	f.cases = append(f.cases,
		driftCase{name: drift.KindCatalogChanged + "/splits",
			events: []caseEvent{
				clean(ev(r31, in(sep23))),
				clean(ev(r31)),
				clean(ev(r31, by(dspB), in(dec23))),
				late(clean(ev(r31))),
			},
			want: []wantAlert{splitsChanged(dspA, jan24), splitsChanged(dspB, dec23)}},
		driftCase{name: drift.KindCatalogChanged + "/iswc",
			events: []caseEvent{
				clean(ev(r32)),
				late(raised(ev(r32), drift.KindISWCMismatch)), // reports the old ISWC
				late(clean(ev(r32, iswc(iswcN(132))))),
			},
			want: []wantAlert{
				{kind: drift.KindCatalogChanged, field: drift.FieldISWC, severity: drift.SeverityCritical,
					reported: iswcN(132), catalogValue: *r32.ISWC, version: 2, firstSeen: validV2},
				{kind: drift.KindISWCMismatch, field: drift.FieldISWC, severity: drift.SeverityCritical,
					reported: *r32.ISWC, catalogValue: iswcN(132), version: 2},
			}},
		driftCase{name: drift.KindCatalogChanged + "/other fields",
			events: []caseEvent{
				clean(ev(r33)),
				late(raised(ev(r33), drift.KindTitleMismatch)), // reports the title without the new version
			},
			want: []wantAlert{{kind: drift.KindTitleMismatch, field: drift.FieldTitle, severity: drift.SeverityInfo,
				reported: "Wild Fire", catalogValue: "Wild Fire (Remastered 2024)", version: 2}}},
	)
	return f
}

// events returns the events of every case, early or late.
func (f driftFixture) events(late bool) []avro.UsageEvent {
	var out []avro.UsageEvent
	for _, c := range f.cases {
		for _, e := range c.events {
			if e.late == late {
				out = append(out, e.ev)
			}
		}
	}
	return out
}
