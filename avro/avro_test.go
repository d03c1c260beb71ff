package avro

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func ptr[T any](v T) *T { return &v }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func sampleUsage() UsageEvent {
	return UsageEvent{
		EventID: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08:42",
		Source: Source{DSP: "Spotify", ReportID: "R1", FileName: "report.tsv",
			FileSHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Line: 42, Profile: "generic"},
		PeriodStart: day(2017, 7, 1), PeriodEnd: day(2017, 7, 31), Territory: "GB",
		ISRC: ptr("GBAYE1700001"), UPC: ptr("00602517483493"), ISWC: ptr("T0345246801"),
		TrackTitle: "Tøilette & Café", VersionTitle: ptr("Remastered 2011"), Artists: []string{"A", "B"},
		ReleaseTitle: ptr("Album"), Label: ptr("Label"), UseType: "stream", UseTypeReported: "OnDemandStream",
		CommercialModel: "subscription", Units: -3, Revenue: decimal.RequireFromString("-0.004512345678901"),
		Currency: "EUR", Warnings: []string{"unknown_isrc_registrant"},
		IngestTime: time.UnixMilli(1700000000123).UTC(),
	}
}

func TestRoundTripEveryRecord(t *testing.T) {
	c, err := NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	usage := sampleUsage()
	noISRC := sampleUsage()
	noISRC.ISRC, noISRC.UPC, noISRC.ISWC, noISRC.VersionTitle, noISRC.NeedsMatch = nil, nil, nil, nil, true
	noISRC.Artists, noISRC.Warnings = []string{}, []string{}

	roundTrip(t, c.Usage, usage)
	roundTrip(t, c.Usage, noISRC)
	roundTrip(t, c.Enriched, EnrichedUsageEvent{Event: usage, CatalogVersion: ptr[int64](3), MatchedISRC: ptr("GBAYE1700001"), Drift: []string{"title_mismatch"}})
	roundTrip(t, c.Enriched, EnrichedUsageEvent{Event: noISRC, Drift: []string{}})
	roundTrip(t, c.Catalog, CatalogRecord{ISRC: "GBAYE1700001", Version: 2, ValidFrom: time.UnixMilli(1600000000000).UTC(),
		Title: "Song", Artists: []string{"A"}, UPC: ptr("00602517483493"), ISWC: ptr("T0345246801"),
		Splits: []Split{{PartyID: "IPI:00052210040", Name: "A", Role: "artist", Share: decimal.RequireFromString("0.33333333")},
			{PartyID: "IPI:00052210041", Name: "B", Role: "producer", Share: decimal.RequireFromString("0.66666667")}}})
	roundTrip(t, c.Alert, DriftAlert{AlertID: "a1", Kind: "title_mismatch", Severity: "warn", ISRC: ptr("GBAYE1700001"),
		Field: "track_title", ReportedValue: "Song (Live)", CatalogValue: ptr("Song"), CatalogVersion: ptr[int64](2),
		Detail: "minor", DSP: "Spotify", PeriodStart: day(2017, 7, 1), PeriodEnd: day(2017, 7, 31),
		FirstSeen: time.UnixMilli(1).UTC(), LastSeen: time.UnixMilli(2).UTC(), Count: 7, SampleEventIDs: []string{"x:1"}})
	roundTrip(t, c.DeadLetter, DeadLetter{DeadLetterID: "x:9", Stage: "ingest", FileName: "f.csv", FileSHA256: "x", Line: 9,
		Profile: "beatport", Reason: ReasonInvalidISRC, Field: ptr("isrc"), Message: `"ABC" is not an ISRC`,
		Raw: []byte("a,b,\xff"), Time: time.UnixMilli(5).UTC()})
	roundTrip(t, c.Reconciliation, ReconciliationFinding{FileSHA256: "x", FileName: "f", Profile: "apple-financial",
		Measure: "units", Declared: "20", Computed: "19", Tolerance: "0", Matched: false})
	roundTrip(t, c.Ledger, IngestLedgerEntry{FileSHA256: "x", FileName: "f", Profile: "p", Status: LedgerComplete,
		LinesCommitted: 10, Accepted: 8, Rejected: 2, AcceptedUnits: -3,
		AcceptedRevenue: map[string]decimal.Decimal{"EUR": decimal.RequireFromString("0.000000000000001"), "JPY": decimal.RequireFromString("179")},
		Updated:         time.UnixMilli(9).UTC()})
}

func roundTrip[T any](t *testing.T, s *Serde[T], v T) {
	t.Helper()
	b, err := s.Encode(&v)
	if err != nil {
		t.Fatalf("encode %T: %v", v, err)
	}
	if b[0] != 0xC3 || b[1] != 0x01 || binary.LittleEndian.Uint64(b[2:10]) != s.Schema().Fingerprint {
		t.Fatalf("%T: missing single-object header: % x", v, b[:10])
	}
	got, err := s.Decode(b)
	if err != nil {
		t.Fatalf("decode %T: %v", v, err)
	}
	if !equalValues(got, v) {
		t.Fatalf("%T round trip:\n got %+v\nwant %+v", v, got, v)
	}
}

// equalValues compares through JSON: decimals render by value (String
// drops the trailing zeros of Avro's fixed scale), times as RFC 3339.
func equalValues(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

func TestDecimalsAreExact(t *testing.T) {
	c, err := NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		in   decimal.Decimal
		want string
	}{
		{"0.1+0.2", decimal.RequireFromString("0.1").Add(decimal.RequireFromString("0.2")), "0.3"},
		{"15 fractional digits", decimal.RequireFromString("123456789.123456789012345"), "123456789.123456789012345"},
		{"negative 15 digits", decimal.RequireFromString("-0.000000000000001"), "-0.000000000000001"},
		{"23 integer digits", decimal.RequireFromString("99999999999999999999999.999999999999999"), "99999999999999999999999.999999999999999"},
		{"zero", decimal.Zero, "0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := sampleUsage()
			e.Revenue = tc.in
			b, err := c.Usage.Encode(&e)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Usage.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if got.Revenue.String() != tc.want {
				t.Fatalf("revenue %s, want %s", got.Revenue.String(), tc.want)
			}
			if tc.name == "0.1+0.2" && !got.Revenue.Equal(decimal.RequireFromString("0.3")) {
				t.Fatal("0.1 + 0.2 is not exactly 0.3 after a round trip")
			}
		})
	}
}

func TestEncodeRefusesDigitsBeyondScale(t *testing.T) {
	c, err := NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	e := sampleUsage()
	e.Revenue = decimal.RequireFromString("0.1234567890123456") // 16 fractional digits
	if _, err := c.Usage.Encode(&e); err == nil {
		t.Fatal("a 16-fractional-digit amount was encoded; digits would be lost")
	}
	e.Revenue = decimal.RequireFromString("1.5000000000000000000") // trailing zeros only: exact
	if _, err := c.Usage.Encode(&e); err != nil {
		t.Fatalf("trailing zeros beyond the scale lose nothing: %v", err)
	}
}

// usageV0 is an older UsageEvent: no proprietary_id, use_type_reported,
// needs_match or warnings.
const usageV0 = `{"type":"record","name":"UsageEvent","namespace":"io.ledgerline.usage","fields":[
 {"name":"event_id","type":"string"},
 {"name":"source","type":{"type":"record","name":"Source","fields":[
   {"name":"dsp","type":"string"},{"name":"report_id","type":"string"},{"name":"file_name","type":"string"},
   {"name":"file_sha256","type":"string"},{"name":"line","type":"long"},{"name":"profile","type":"string"}]}},
 {"name":"period_start","type":{"type":"int","logicalType":"date"}},
 {"name":"period_end","type":{"type":"int","logicalType":"date"}},
 {"name":"territory","type":"string"},
 {"name":"isrc","type":["null","string"],"default":null},
 {"name":"upc","type":["null","string"],"default":null},
 {"name":"iswc","type":["null","string"],"default":null},
 {"name":"track_title","type":"string"},
 {"name":"version_title","type":["null","string"],"default":null},
 {"name":"artists","type":{"type":"array","items":"string"},"default":[]},
 {"name":"release_title","type":["null","string"],"default":null},
 {"name":"label","type":["null","string"],"default":null},
 {"name":"use_type","type":"string"},
 {"name":"commercial_model","type":"string"},
 {"name":"units","type":"long"},
 {"name":"revenue","type":{"type":"bytes","logicalType":"decimal","precision":38,"scale":15}},
 {"name":"currency","type":"string"},
 {"name":"ingest_time","type":{"type":"long","logicalType":"timestamp-millis"}}]}`

func TestOlderWriterSchemaIsReadByNewerReader(t *testing.T) {
	c, err := NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	old, err := c.Registry.Register(usageV0)
	if err != nil {
		t.Fatal(err)
	}
	if old.Fingerprint == c.Usage.Schema().Fingerprint {
		t.Fatal("old and new schema share a fingerprint")
	}
	native := map[string]any{
		"event_id": "abc:1",
		"source": map[string]any{"dsp": "Deezer", "report_id": "r", "file_name": "f", "file_sha256": "abc",
			"line": int64(1), "profile": "p"},
		"period_start": int32(17348), "period_end": int32(17378), "territory": "FR",
		"isrc": map[string]any{"string": "FRZ031700001"}, "upc": nil, "iswc": nil,
		"track_title": "Titre", "version_title": nil, "artists": []any{"X"}, "release_title": nil, "label": nil,
		"use_type": "stream", "commercial_model": "ad_supported", "units": int64(12),
		"revenue": decimal.RequireFromString("0.012").Rat(), "currency": "EUR",
		"ingest_time": time.UnixMilli(42).UTC(),
	}
	body, err := old.codec.BinaryFromNative(nil, native)
	if err != nil {
		t.Fatal(err)
	}
	msg := SingleObject{}.AppendHeader(nil, old)
	msg = append(msg, body...)

	got, err := c.Usage.Decode(msg)
	if err != nil {
		t.Fatalf("newer reader cannot read older writer: %v", err)
	}
	if got.EventID != "abc:1" || got.Units != 12 || got.Revenue.String() != "0.012" || *got.ISRC != "FRZ031700001" {
		t.Fatalf("fields written by the old schema lost: %+v", got)
	}
	if got.ProprietaryID != nil || got.UseTypeReported != "" || got.NeedsMatch || len(got.Warnings) != 0 {
		t.Fatalf("fields unknown to the old writer must read as their defaults: %+v", got)
	}
	if got.PeriodStart != day(2017, 7, 1) || got.PeriodEnd != day(2017, 7, 31) {
		t.Fatalf("dates: %v %v", got.PeriodStart, got.PeriodEnd)
	}
}

func TestIncompatibleAndUnknownWriters(t *testing.T) {
	c, err := NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	// A writer lacking a reader field that has no default (units) is refused.
	incompatible := bytes.Replace([]byte(usageV0), []byte(`{"name":"units","type":"long"},`), nil, 1)
	s, err := c.Registry.Register(string(incompatible))
	if err != nil {
		t.Fatal(err)
	}
	msg := SingleObject{}.AppendHeader(nil, s)
	if _, err := c.Usage.Decode(append(msg, 0)); err == nil {
		t.Fatal("decoded with a writer that lacks a required field")
	}
	// Unknown fingerprint.
	unknown := []byte{0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0}
	if _, err := c.Usage.Decode(unknown); !errors.Is(err, ErrUnknownSchema) {
		t.Fatalf("unknown fingerprint: %v", err)
	}
	// Not framed.
	if _, err := c.Usage.Decode([]byte{0, 1, 2}); !errors.Is(err, ErrNotFramed) {
		t.Fatalf("unframed: %v", err)
	}
	// A different record type is refused even though it is known.
	a := DriftAlert{AlertID: "a"}
	b, err := c.Alert.Encode(&a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Usage.Decode(b); err == nil {
		t.Fatal("decoded a DriftAlert as a UsageEvent")
	}
}

func TestEmbeddedSchemasAreDocumentedFieldByField(t *testing.T) {
	srcs, err := EmbeddedSchemas()
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 8 {
		t.Fatalf("%d schemas, want 8", len(srcs))
	}
	for _, src := range srcs {
		raw, err := schemaFiles.ReadFile("schemas/" + src.File)
		if err != nil {
			t.Fatal(err)
		}
		checkDocs(t, src.File, raw)
	}
}
