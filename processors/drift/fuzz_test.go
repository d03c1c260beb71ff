package drift

import (
	"bytes"
	"encoding/binary"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/processortest"
)

// The state values are written only by the encoders in this package, so
// the decoders may reject anything the encoders would not write. The fuzz
// targets check that every value they accept re-encodes to at most its own
// length (varints may be overlong), to the same bytes when no varint is
// overlong, and decodes again to the same value; and that every proper
// prefix of a written value is refused.

// checkPrefixesRefused fails if decode accepts a proper prefix of enc.
func checkPrefixesRefused(t *testing.T, enc []byte, decode func([]byte) error) {
	t.Helper()
	for i := range enc {
		if err := decode(enc[:i]); err == nil {
			t.Fatalf("prefix %x of %x decoded", enc[:i], enc)
		}
	}
	if err := decode(append(slices.Clip(enc), 0)); err == nil {
		t.Fatalf("%x with a trailing byte decoded", enc)
	}
}

// checkReencoded checks that enc, the re-encoding of the accepted value
// data, is no longer than data and equal to it when as long.
func checkReencoded(t *testing.T, data, enc []byte) {
	t.Helper()
	if len(enc) > len(data) || (len(enc) == len(data) && !bytes.Equal(enc, data)) {
		t.Fatalf("value %x re-encodes as %x", data, enc)
	}
}

func samplePeriodEntries() []periodEntry {
	return []periodEntry{
		{start: epochDay(jan2024.AddDate(0, 1, 0)), end: epochDay(jan2024.AddDate(0, 2, -1)), quiet: 0x9e3779b97f4a7c15,
			title: []byte("Tøilette"), version: []byte("Remastered 2011"), artists: []byte("A\x1fB & C"),
			iswc: []byte(testISWC), upc: []byte("00889176543517")},
		{start: epochDay(jan2024), end: epochDay(jan2024.AddDate(0, 1, -1)), title: []byte("Toilette"), artists: []byte("A")},
	}
}

func entriesEqual(a, b []periodEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := &a[i], &b[i]
		if x.start != y.start || x.end != y.end || x.quiet != y.quiet || !bytes.Equal(x.title, y.title) ||
			!bytes.Equal(x.version, y.version) || !bytes.Equal(x.artists, y.artists) ||
			!bytes.Equal(x.iswc, y.iswc) || !bytes.Equal(x.upc, y.upc) {
			return false
		}
	}
	return true
}

func decodePeriodsErr(b []byte) error {
	_, _, err := decodePeriods(b, nil)
	return err
}

// FuzzDecodePeriods feeds arbitrary bytes to decodePeriods.
func FuzzDecodePeriods(f *testing.F) {
	entries := samplePeriodEntries()
	c := checked{version: 3, splits: 0xfeedface, iswc: []byte(testISWC)}
	f.Add(encodeEntries(&c, entries))
	f.Add(encodeEntries(&checked{}, nil))
	f.Add(periodsV1(entries))
	ev := avro.UsageEvent{PeriodStart: jan2024, PeriodEnd: jan2024.AddDate(0, 1, -1), TrackTitle: "T", Artists: []string{"A", "B"}}
	f.Add(New(nil, nil, Options{}).encodePeriods(&c, entries, -1, &ev, 7, epochDay(ev.PeriodStart), epochDay(ev.PeriodEnd)))
	f.Add([]byte{periodsLayout, 0x80, 0x80, 0x80, 0x80, 0x10})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, got, err := decodePeriods(data, nil)
		if err != nil {
			if !errors.Is(err, errCorrupt) {
				t.Fatalf("error %v does not wrap errCorrupt", err)
			}
			return
		}
		// Each period takes at least 15 bytes: two varints, a uint64 and
		// five string lengths.
		if len(got)*15 > len(data) {
			t.Fatalf("%d periods from %d bytes", len(got), len(data))
		}
		prefix := []periodEntry{{title: []byte("kept")}}
		c2, again, err := decodePeriods(data, prefix)
		if err != nil || c2.version != c.version || !entriesEqual(again[:1], prefix) || !entriesEqual(again[1:], got) {
			t.Fatalf("decoding into a used buffer differs: %v", err)
		}
		enc := encodeEntries(&c, got)
		if data[0] == periodsLayout {
			checkReencoded(t, data, enc)
		} else if c.version != 0 || c.splits != 0 || len(c.iswc) != 0 {
			t.Fatalf("layout %d read with catalog version %+v", data[0], c)
		}
		c3, back, err := decodePeriods(enc, nil)
		if err != nil || c3.version != c.version || c3.splits != c.splits || !bytes.Equal(c3.iswc, c.iswc) || !entriesEqual(back, got) {
			t.Fatalf("re-encoded value %x decodes as %+v %+v, %v", enc, c3, back, err)
		}
	})
}

// FuzzPeriodsRoundTrip encodes periods built from the fuzz input and
// decodes them back.
func FuzzPeriodsRoundTrip(f *testing.F) {
	e := samplePeriodEntries()[0]
	f.Add(uint64(3), uint64(0xfeedface), testISWC, e.start, e.end, e.quiet, "Tøilette", "Remastered 2011", "A\x1fB", testISWC, "00889176543517", uint8(2))
	f.Add(uint64(0), uint64(0), "", int32(-1<<31), int32(1<<31-1), uint64(0), "", "", "", "", "", uint8(0))
	f.Add(uint64(1<<63), uint64(1<<64-1), "T-034.524.680-1", int32(0), int32(-1), uint64(1), "\xff", "(Live)", "\x1f", "x", "y", uint8(9))
	f.Fuzz(func(t *testing.T, version, splits uint64, checkedISWC string, start, end int32, quiet uint64,
		title, versionTitle, artists, iswc, upc string, n uint8) {
		c := checked{version: int64(version), splits: splits, iswc: []byte(checkedISWC)}
		entries := make([]periodEntry, n%8)
		for i := range entries {
			// Vary the entries so that misplaced fields show.
			entries[i] = periodEntry{
				start: start - int32(i), end: end + int32(i), quiet: quiet ^ uint64(i),
				title: []byte(title), version: []byte(versionTitle), artists: []byte(artists),
				iswc: []byte(iswc), upc: []byte(upc[:len(upc)*i/len(entries)]),
			}
		}
		enc := encodeEntries(&c, entries)
		got, back, err := decodePeriods(enc, nil)
		if err != nil {
			t.Fatalf("decode %x: %v", enc, err)
		}
		if got.version != c.version || got.splits != c.splits || !bytes.Equal(got.iswc, c.iswc) || !entriesEqual(back, entries) {
			t.Fatalf("round trip: got %+v %+v, want %+v %+v", got, back, c, entries)
		}
		if again := encodeEntries(&got, back); !bytes.Equal(again, enc) {
			t.Fatalf("re-encoding changes %x to %x", enc, again)
		}
		checkPrefixesRefused(t, enc, decodePeriodsErr)
		_, old, err := decodePeriods(periodsV1(entries), nil)
		if err != nil || !entriesEqual(old, entries) {
			t.Fatalf("layout 1: %+v, %v", old, err)
		}
	})
}

// splitList splits a fuzz string into a list at '\n'; "" is the empty list.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// FuzzUsage feeds arbitrary bytes to decodeUsage and to addUsage, which
// must agree: addUsage refuses exactly what decodeUsage refuses, and
// extends a value as encodeUsage(append(dsps, dsp)) would. It also adds
// the DSPs of a list one by one to an empty value.
func FuzzUsage(f *testing.F) {
	f.Add(encodeUsage([]string{"Spotify", "Deezer", "Apple Music"}), "YouTube", "Spotify\nDeezer\nSpotify\n\nApple Music")
	f.Add(encodeUsage([]string{"Spotify"}), "Spotify", "")
	f.Add(encodeUsage(nil), "", "\n")
	f.Add([]byte{usageLayout, 0x81, 0x00, 0x01, 'a'}, "b", "a\nb")
	f.Add([]byte{usageLayout, 0xff, 0xff, 0x04}, "x", "x")
	f.Fuzz(func(t *testing.T, data []byte, dsp, list string) {
		dsps, err := decodeUsage(data)
		if err != nil && !errors.Is(err, errCorrupt) {
			t.Fatalf("error %v does not wrap errCorrupt", err)
		}
		ctx := processortest.NewContext()
		store := ctx.Store(StoreUsage)
		if err := store.Put([]byte("k"), data); err != nil {
			t.Fatal(err)
		}
		addErr := addUsage(ctx, "k", dsp)
		if (err == nil) != (addErr == nil) {
			t.Fatalf("decodeUsage: %v; addUsage: %v", err, addErr)
		}
		if err == nil {
			if len(dsps) > len(data) {
				t.Fatalf("%d DSPs from %d bytes", len(dsps), len(data))
			}
			enc := encodeUsage(dsps)
			checkReencoded(t, data, enc)
			if back, err := decodeUsage(enc); err != nil || !slices.Equal(back, dsps) {
				t.Fatalf("re-encoded %x decodes as %q, %v", enc, back, err)
			}
			v, _, err := store.Get([]byte("k"))
			if err != nil {
				t.Fatal(err)
			}
			want := append(slices.Clip(dsps), dsp)
			switch {
			case slices.Contains(dsps, dsp):
				if !bytes.Equal(v, data) {
					t.Fatalf("adding %q, present in %x, rewrote it as %x", dsp, data, v)
				}
			case bytes.Equal(data, enc):
				if !bytes.Equal(v, encodeUsage(want)) {
					t.Fatalf("adding %q to %x gave %x, want %x", dsp, data, v, encodeUsage(want))
				}
			default:
				if got, err := decodeUsage(v); err != nil || !slices.Equal(got, want) {
					t.Fatalf("adding %q to %x gave %q, %v", dsp, data, got, err)
				}
			}
		}

		listed := splitList(list)
		enc := encodeUsage(listed)
		if back, err := decodeUsage(enc); err != nil || !slices.Equal(back, listed) {
			t.Fatalf("%q round trips as %q, %v", listed, back, err)
		}
		checkPrefixesRefused(t, enc, func(b []byte) error { _, err := decodeUsage(b); return err })
		var unique []string
		for _, d := range listed {
			if err := addUsage(ctx, "l", d); err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(unique, d) {
				unique = append(unique, d)
			}
		}
		if v, _, _ := store.Get([]byte("l")); len(listed) > 0 && !bytes.Equal(v, encodeUsage(unique)) {
			t.Fatalf("adding %q one by one gave %x, want %x", listed, v, encodeUsage(unique))
		}
	})
}

func sampleAlerts() []avro.DriftAlert {
	v := int64(7)
	return []avro.DriftAlert{
		{Kind: KindUnidentified, Severity: SeverityWarn, Field: FieldISRC, ReportedValue: "x / y / no UPC",
			DSP: "d", PeriodStart: jan2024, PeriodEnd: jan2024.AddDate(0, 1, -1),
			FirstSeen: ingestDay, LastSeen: ingestDay.Add(time.Hour), Count: 1},
		{Kind: KindTitleMismatch, Severity: SeverityCritical, ISRC: ptr(testISRC), Field: FieldTitle,
			ReportedValue: "Tøilette", CatalogValue: ptr("Toilette"), CatalogVersion: &v, Detail: "d",
			DSP: "Spotify", PeriodStart: jan2024, PeriodEnd: jan2024, FirstSeen: ingestDay, LastSeen: ingestDay,
			Count: 1 << 40, SampleEventIDs: []string{"a", "b", "c", "d", "e"}},
	}
}

// checkCounters checks that decodeCounters of an alert state reads what
// decodeAlertState reads, and that writing the counters back with the
// alert's descriptive fields gives the same value as the whole alert.
func checkCounters(t *testing.T, v []byte, a *avro.DriftAlert) {
	t.Helper()
	c, err := decodeCounters(v, make([][]byte, 1, 2))
	if err != nil {
		t.Fatalf("decodeCounters(%x): %v", v, err)
	}
	if c.count != a.Count || c.first != a.FirstSeen.UnixMilli() || c.last != a.LastSeen.UnixMilli() ||
		len(c.samples) != len(a.SampleEventIDs) || c.versioned != (a.CatalogVersion != nil) ||
		(c.versioned && c.catalogVersion != *a.CatalogVersion) {
		t.Fatalf("counters %+v disagree with alert %+v", c, a)
	}
	for i, s := range c.samples {
		if string(s) != a.SampleEventIDs[i] {
			t.Fatalf("counter sample %d is %q, alert has %q", i, s, a.SampleEventIDs[i])
		}
	}
	if parts, whole := appendAlertStateParts(nil, &c, a), appendAlertState(nil, a); !bytes.Equal(parts, whole) {
		t.Fatalf("counters and fields encode as %x, the alert as %x", parts, whole)
	}
}

// FuzzDecodeAlertState feeds arbitrary bytes to decodeAlertState and
// decodeCounters.
func FuzzDecodeAlertState(f *testing.F) {
	for _, a := range sampleAlerts() {
		f.Add(appendAlertState(nil, &a))
	}
	f.Add([]byte{alertLayout, 0, 200})
	f.Add([]byte{alertLayout, 1, 0, 0, 6})
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := decodeAlertState(data)
		_, cerr := decodeCounters(data, nil)
		if err != nil {
			if !errors.Is(err, errCorrupt) {
				t.Fatalf("error %v does not wrap errCorrupt", err)
			}
			if cerr != nil && !errors.Is(cerr, errCorrupt) {
				t.Fatalf("counters error %v does not wrap errCorrupt", cerr)
			}
			return
		}
		checkCounters(t, data, &a)
		enc := appendAlertState(nil, &a)
		checkReencoded(t, data, enc)
		back, err := decodeAlertState(enc)
		if err != nil || !reflect.DeepEqual(back, a) {
			t.Fatalf("re-encoded %x decodes as %+v, %v; want %+v", enc, back, err, a)
		}
	})
}

// FuzzAlertStateRoundTrip encodes alerts built from the fuzz input and
// decodes them back.
func FuzzAlertStateRoundTrip(f *testing.F) {
	for i, a := range sampleAlerts() {
		var version int64
		if a.CatalogVersion != nil {
			version = *a.CatalogVersion
		}
		f.Add(uint8(i*7), a.Kind, a.Severity, deref(a.ISRC), a.Field, a.ReportedValue, deref(a.CatalogValue), a.Detail, a.DSP,
			version, a.Count, a.FirstSeen.UnixMilli(), a.LastSeen.UnixMilli(), epochDay(a.PeriodStart), epochDay(a.PeriodEnd),
			strings.Join(a.SampleEventIDs, "\n"))
	}
	f.Add(uint8(7), "", "", "", "", "", "", "", "", int64(-1<<63), int64(-1), int64(-1<<63), int64(1<<63-1), int32(-1<<31), int32(1<<31-1), "\n\n")
	f.Fuzz(func(t *testing.T, flags uint8, kind, severity, isrc, field, reported, catalogValue, detail, dsp string,
		version, count, first, last int64, start, end int32, samples string) {
		a := avro.DriftAlert{
			Kind: kind, Severity: severity, Field: field, ReportedValue: reported, Detail: detail, DSP: dsp,
			PeriodStart: dayTime(start), PeriodEnd: dayTime(end), Count: count,
			FirstSeen: time.UnixMilli(first).UTC(), LastSeen: time.UnixMilli(last).UTC(),
		}
		if flags&flagISRC != 0 {
			a.ISRC = &isrc
		}
		if flags&flagCatalogValue != 0 {
			a.CatalogValue = &catalogValue
		}
		if flags&flagCatalogVersion != 0 {
			a.CatalogVersion = &version
		}
		if ids := splitList(samples); len(ids) > 0 {
			a.SampleEventIDs = ids[:min(len(ids), maxSamples)]
		}
		enc := appendAlertState(nil, &a)
		got, err := decodeAlertState(enc)
		if err != nil {
			t.Fatalf("decode %x: %v", enc, err)
		}
		if !reflect.DeepEqual(got, a) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, a)
		}
		if epochDay(got.PeriodStart) != start || epochDay(got.PeriodEnd) != end {
			t.Fatalf("period days %d..%d read back as %d..%d", start, end, epochDay(got.PeriodStart), epochDay(got.PeriodEnd))
		}
		checkCounters(t, enc, &a)
		checkPrefixesRefused(t, enc, func(b []byte) error { _, err := decodeAlertState(b); return err })
	})
}

// TestDecodeRefusesWhatNoEncoderWrites: values the encoders cannot write
// are corrupt, not read as some other value that would be written back
// differently.
func TestDecodeRefusesWhatNoEncoderWrites(t *testing.T) {
	day := func(prefix []byte, d int64) []byte { return binary.AppendVarint(slices.Clip(prefix), d) }
	periods := func(start int64) []byte {
		b := appendPeriodsHeader(nil, &checked{})
		b = binary.AppendUvarint(b, 1)
		b = binary.AppendVarint(b, start)
		b = binary.AppendVarint(b, 0)
		b = binary.LittleEndian.AppendUint64(b, 0)
		return append(b, 0, 0, 0, 0, 0)
	}
	a := sampleAlerts()[0]
	a.PeriodEnd = dayTime(0)
	alert := appendAlertState(nil, &a)
	alert = alert[:len(alert)-1] // the period end, 0
	for _, tt := range []struct {
		name   string
		value  []byte
		decode func([]byte) error
	}{
		{"period start beyond int32", periods(1 << 32), decodePeriodsErr},
		{"period start below int32", periods(-1<<31 - 1), decodePeriodsErr},
		{"alert period end beyond int32", day(alert, 1<<40), func(b []byte) error { _, err := decodeAlertState(b); return err }},
		// Found by FuzzDecodeAlertState: flag bits 0x30 were ignored.
		{"alert flags unknown", []byte("\x01000\x05\x010\x010\x010\x010\x0100\f000000000000\v00000000000\t000000000\b00000000\x010\a000000000"),
			func(b []byte) error { _, err := decodeAlertState(b); return err }},
		{"counters flags unknown", []byte("\x01000\x05\x010\x010\x010\x010\x0100\f000000000000\v00000000000\t000000000\b00000000\x010\a000000000"),
			func(b []byte) error { _, err := decodeCounters(b, nil); return err }},
	} {
		if err := tt.decode(tt.value); !errors.Is(err, errCorrupt) {
			t.Errorf("%s: %x decodes, error %v", tt.name, tt.value, err)
		}
	}
	// The same values within range decode.
	if err := decodePeriodsErr(periods(-1 << 31)); err != nil {
		t.Errorf("period start -2^31: %v", err)
	}
	if _, err := decodeAlertState(day(alert, 1<<31-1)); err != nil {
		t.Errorf("alert period end 2^31-1: %v", err)
	}
}
