package drift

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"reflect"
	"testing"

	"github.com/ledgerline/ledgerline/avro"
)

func TestAlertStateRoundTrip(t *testing.T) {
	for _, a := range sampleAlerts() {
		got, err := decodeAlertState(appendAlertState(nil, &a))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, a) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, a)
		}
	}
	if _, err := decodeAlertState([]byte{alertLayout, 0, 200}); !errors.Is(err, errCorrupt) {
		t.Errorf("truncated state: %v", err)
	}
	if _, err := decodeAlertState([]byte{9}); !errors.Is(err, errCorrupt) {
		t.Errorf("unknown layout: %v", err)
	}
}

func TestPeriodsRoundTrip(t *testing.T) {
	ev := avro.UsageEvent{
		PeriodStart: jan2024, PeriodEnd: jan2024.AddDate(0, 1, -1), TrackTitle: "T",
		Artists: []string{"A", "B & C"}, ISWC: ptr(testISWC),
	}
	p := New(nil, nil, Options{})
	c := checked{version: 3, splits: 0xfeedface, iswc: []byte(testISWC)}
	b := p.encodePeriods(&c, nil, -1, &ev, 99, epochDay(ev.PeriodStart), epochDay(ev.PeriodEnd))
	got, entries, err := decodePeriods(b, nil)
	if err != nil || len(entries) != 1 {
		t.Fatalf("%v %v", entries, err)
	}
	if got.version != c.version || got.splits != c.splits || string(got.iswc) != testISWC {
		t.Errorf("catalog version %+v, want %+v", got, c)
	}
	if !entries[0].sameAsEvent(&ev) || entries[0].quiet != 99 {
		t.Errorf("entry %+v differs from event", entries[0])
	}
	if again := encodeEntries(&got, entries); string(again) != string(b) {
		t.Error("re-encoding the decoded value changes it")
	}
	ev.Artists = []string{"A", "B", "C"}
	if entries[0].sameAsEvent(&ev) {
		t.Error("different artists compare equal")
	}
	if _, _, err := decodePeriods(b[:len(b)-1], nil); !errors.Is(err, errCorrupt) {
		t.Errorf("truncated: %v", err)
	}
	if _, _, err := decodePeriods([]byte{9, 0}, nil); !errors.Is(err, errCorrupt) {
		t.Errorf("unknown layout: %v", err)
	}
}

// periodsV1 encodes entries in periods layout 1, as written before the
// catalog version was kept.
func periodsV1(entries []periodEntry) []byte {
	b := []byte{periodsLayoutV1}
	b = binary.AppendUvarint(b, uint64(len(entries)))
	for i := range entries {
		b = appendPeriodEntry(b, &entries[i])
	}
	return b
}

func TestPeriodsLayoutV1(t *testing.T) {
	ev := avro.UsageEvent{PeriodStart: jan2024, PeriodEnd: jan2024.AddDate(0, 1, -1), TrackTitle: "T", Artists: []string{"A"}}
	p := New(nil, nil, Options{})
	_, entries, err := decodePeriods(p.encodePeriods(&checked{}, nil, -1, &ev, 7, epochDay(ev.PeriodStart), epochDay(ev.PeriodEnd)), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, old, err := decodePeriods(periodsV1(entries), nil)
	if err != nil || len(old) != 1 || !old[0].sameAsEvent(&ev) || old[0].quiet != 7 {
		t.Fatalf("layout 1: %+v %v", old, err)
	}
	if c.version != 0 || c.splits != 0 || len(c.iswc) != 0 {
		t.Errorf("layout 1 read with catalog version %+v, want none", c)
	}
}

func TestArtistsEqual(t *testing.T) {
	j := []byte("A\x1fB")
	for _, tt := range []struct {
		artists []string
		want    bool
	}{
		{[]string{"A", "B"}, true}, {[]string{"A"}, false}, {[]string{"A", "B", ""}, false},
		{[]string{"AB"}, false}, {nil, false},
	} {
		if got := artistsEqual(j, tt.artists); got != tt.want {
			t.Errorf("artistsEqual(%q) = %v", tt.artists, got)
		}
	}
	if !artistsEqual(nil, nil) {
		t.Error("empty lists differ")
	}
}

func TestAlertIDPreimage(t *testing.T) {
	occ := occurrence{isrc: testISRC, dsp: "Spotify", start: epochDay(jan2024), end: epochDay(jan2024.AddDate(0, 1, -1))}
	id, _ := alertID(nil, &occ, KindTitleMismatch, "Song")
	// Each field preceded by its length (all below 128, so one byte).
	var pre []byte
	for _, f := range []string{testISRC, "Spotify", KindTitleMismatch, "Song", "2024-01-01", "2024-01-31"} {
		pre = append(append(pre, byte(len(f))), f...)
	}
	if id != sha256.Sum256(pre) {
		t.Error("alert id is not the documented hash")
	}
	other := occ
	other.dsp = "Spotif"
	id2, _ := alertID(nil, &other, KindTitleMismatch, "ySong")
	if id == id2 {
		t.Error("length prefixes do not separate fields")
	}
}
