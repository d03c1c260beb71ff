package lake

import (
	"bytes"
	"fmt"
	"math/big"
	"path"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

func sampleManifest() *Manifest {
	at := time.Date(2024, 3, 5, 10, 0, 0, 123456789, time.UTC)
	return &Manifest{
		Format: formatVersion, Version: 42, Partition: "dsp=Spotify/period=2024-01",
		Values:     map[string]string{"dsp": "Spotify", "period": "2024-01"},
		LastAppend: at,
		Files: []FileEntry{
			{Name: "part-00000000000000000001.parquet", Size: 1 << 20, Rows: 5000, Created: at.Add(-time.Hour)},
			{Name: "part-00000000000000000002.parquet", Size: 4096, Rows: 12, Created: at},
		},
		HighWater: map[string]int64{sourceKey("usage.enriched", 0): 99, sourceKey("usage.enriched", 3): 0},
		Replaced:  []Replaced{{Name: "part-00000000000000000000.parquet", At: at.Add(-2 * time.Hour)}},
	}
}

// FuzzDecodeManifest feeds arbitrary JSON to decodeManifest: an accepted
// manifest has the supported format and encodes to a canonical form that
// decodes and encodes to itself.
func FuzzDecodeManifest(f *testing.F) {
	for _, m := range []*Manifest{sampleManifest(), {Format: formatVersion, Partition: "p"}} {
		data, err := encodeManifest(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format":1,"version":1,"partition":"x","last_append":"2024-01-01T00:00:00+05:30","files":null}`))
	f.Add([]byte(`{"format":2}`))
	f.Add([]byte(`{"format":1,"FORMAT":1,"high_water":{"t/0":-1},"files":[{"name":"a","size":1e3}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeManifest(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "lake: ") {
				t.Fatalf("error %q", err)
			}
			return
		}
		if m.Format != formatVersion {
			t.Fatalf("manifest of format %d accepted", m.Format)
		}
		enc, err := encodeManifest(m)
		if err != nil {
			t.Fatalf("decoded manifest %+v does not encode: %v", m, err)
		}
		back, err := decodeManifest(enc)
		if err != nil {
			t.Fatalf("encoded manifest %s does not decode: %v", enc, err)
		}
		again, err := encodeManifest(back)
		if err != nil || !bytes.Equal(again, enc) {
			t.Fatalf("manifest encodes as\n%s\nthen as\n%s, %v", enc, again, err)
		}
		if back.Rows() != m.Rows() || back.Version != m.Version || len(back.Files) != len(m.Files) {
			t.Fatalf("manifest %+v decodes as %+v", m, back)
		}
	})
}

// FuzzManifestRoundTrip encodes manifests built from the fuzz input and
// decodes them back. JSON strings are UTF-8, so only valid UTF-8 strings
// are expected to round-trip.
func FuzzManifestRoundTrip(f *testing.F) {
	m := sampleManifest()
	f.Add(m.Version, m.Partition, "dsp", "Spotify", m.LastAppend.UnixNano(), m.Files[0].Name, m.Files[0].Size, m.Files[0].Rows, "usage.enriched/0", int64(99))
	f.Add(int64(-1), "", "", "", int64(-1<<63), "", int64(-1<<63), int64(1<<63-1), "", int64(-1))
	f.Add(int64(1<<63-1), "a\"b\\c\u2028", "<>&", "\x7f", int64(1), "é", int64(0), int64(0), "\x00", int64(0))
	f.Fuzz(func(t *testing.T, version int64, partition, key, value string, at int64, file string, size, rows int64, hwKey string, hw int64) {
		for _, s := range []string{partition, key, value, file, hwKey} {
			if !utf8.ValidString(s) {
				return
			}
		}
		ts := time.Unix(0, at).UTC()
		in := &Manifest{
			Format: formatVersion, Version: version, Partition: partition, Values: map[string]string{key: value},
			LastAppend: ts, Files: []FileEntry{{Name: file, Size: size, Rows: rows, Created: ts}},
			HighWater: map[string]int64{hwKey: hw}, Replaced: []Replaced{{Name: file, At: ts}},
		}
		enc, err := encodeManifest(in)
		if err != nil {
			t.Fatalf("encode %+v: %v", in, err)
		}
		out, err := decodeManifest(enc)
		if err != nil {
			t.Fatalf("decode %s: %v", enc, err)
		}
		if out.Version != version || out.Partition != partition || len(out.Values) != 1 || out.Values[key] != value ||
			!out.LastAppend.Equal(ts) || len(out.Files) != 1 || out.Files[0].Name != file || out.Files[0].Size != size ||
			out.Files[0].Rows != rows || !out.Files[0].Created.Equal(ts) || len(out.HighWater) != 1 ||
			out.HighWater[hwKey] != hw || len(out.Replaced) != 1 || out.Replaced[0].Name != file || !out.Replaced[0].At.Equal(ts) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", out, in)
		}
		if again, err := encodeManifest(out); err != nil || !bytes.Equal(again, enc) {
			t.Fatalf("re-encoding changes\n%s\nto\n%s, %v", enc, again, err)
		}
	})
}

// FuzzParseManifestVersion checks that only the canonical name of a
// version, as manifestName writes it, parses, and that every such name
// does.
func FuzzParseManifestVersion(f *testing.F) {
	for _, s := range []string{"00000000000000000001.json", "00000000000000000042.json", "09223372036854775807.json",
		"00000000000000000000.json", "-0000000000000000001.json", "+0000000000000000001.json", "1.json", "_tmp-x.json"} {
		f.Add(s, int64(len(s)))
	}
	f.Fuzz(func(t *testing.T, base string, v int64) {
		if got, ok := parseManifestVersion(base); ok {
			if got <= 0 || fmt.Sprintf("%020d.json", got) != base {
				t.Fatalf("parseManifestVersion(%q) = %d, whose name is %q", base, got, fmt.Sprintf("%020d.json", got))
			}
		}
		if v <= 0 {
			return
		}
		name := manifestName("dsp=Spotify", v)
		if dir := path.Dir(name); dir != "dsp=Spotify/"+manifestDir {
			t.Fatalf("manifestName(%d) = %q, in %q", v, name, dir)
		}
		if got, ok := parseManifestVersion(path.Base(name)); !ok || got != v {
			t.Fatalf("parseManifestVersion(%q) = %d, %v; want %d", path.Base(name), got, ok, v)
		}
	})
}

// maxRevenue is 10^23, the exclusive bound of DECIMAL(38, 15) values.
var maxRevenue = decimal.New(1, revenuePrecision-revenueScale)

// FuzzRevenue checks that decoding any 16 bytes and encoding the result
// gives the bytes back when the value fits DECIMAL(38, 15), and that a
// decimal built from the fuzz input encodes exactly when it fits and
// decodes to itself.
func FuzzRevenue(f *testing.F) {
	for _, s := range []string{"0", "1.140270", "-68.01", "0.000000000000001", "-99999999999999999999999.999999999999999", "12345678901234567890123"} {
		d := decimal.RequireFromString(s)
		b, err := encodeRevenue(d)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:], d.Coefficient().Bytes(), d.Sign() < 0, d.Exponent())
	}
	f.Add(bytes.Repeat([]byte{0xff}, 16), []byte{1}, false, int32(1<<31-1))
	f.Add(append([]byte{0x80}, make([]byte, 15)...), []byte{1}, true, int32(-1<<31))
	f.Fuzz(func(t *testing.T, raw, coef []byte, negative bool, exp int32) {
		var b [revenueWidth]byte
		copy(b[:], raw)
		d := decodeRevenue(b)
		if d.Exponent() != -revenueScale {
			t.Fatalf("decodeRevenue(%x) = %s with exponent %d", b, d, d.Exponent())
		}
		back, err := encodeRevenue(d)
		if fits := d.Abs().LessThan(maxRevenue); fits != (err == nil) {
			t.Fatalf("decodeRevenue(%x) = %s; encodeRevenue: %v", b, d, err)
		}
		if err == nil && back != b {
			t.Fatalf("decodeRevenue(%x) = %s, which encodes as %x", b, d, back)
		}

		c := new(big.Int).SetBytes(coef[:min(len(coef), 20)])
		if negative {
			c.Neg(c)
		}
		v := decimal.NewFromBigInt(c, exp)
		enc, err := encodeRevenue(v)
		if err == nil {
			if got := decodeRevenue(enc); !got.Equal(v) {
				t.Fatalf("encodeRevenue(%s) decodes as %s", v, got)
			}
			return
		}
		// Compare only where the expectation is cheap to compute: far
		// outside this range every non-zero value is refused.
		if c.Sign() == 0 {
			t.Fatalf("encodeRevenue(0e%d): %v", exp, err)
		}
		if exp >= -64 && exp <= 64 && v.Equal(v.Truncate(revenueScale)) && v.Abs().LessThan(maxRevenue) {
			t.Fatalf("encodeRevenue(%s): %v", v, err)
		}
	})
}

// TestEncodeRevenueBoundsWork: values far outside DECIMAL(38, 15) are
// refused without computing (or printing) their powers of ten.
func TestEncodeRevenueBoundsWork(t *testing.T) {
	for _, tt := range []struct {
		d  decimal.Decimal
		ok bool
	}{
		{decimal.New(1, 1<<31-1), false},
		{decimal.New(-7, 1<<30), false},
		{decimal.New(1, -1<<31), false},
		{decimal.New(123, -1<<20), false},
		{decimal.New(0, 1<<31-1), true},
		{decimal.New(0, -1<<31), true},
		{decimal.New(1, 22), true},
		{decimal.New(1, 23), false},
		{decimal.New(1000, -18), true},
		{decimal.New(1001, -18), false},
	} {
		b, err := encodeRevenue(tt.d)
		if (err == nil) != tt.ok {
			t.Errorf("encodeRevenue(%se%d): %v", tt.d.Coefficient(), tt.d.Exponent(), err)
			continue
		}
		if err == nil && !decodeRevenue(b).Equal(tt.d) {
			t.Errorf("encodeRevenue(%se%d) decodes as %s", tt.d.Coefficient(), tt.d.Exponent(), decodeRevenue(b))
		}
	}
}

func TestParseManifestVersionIsCanonical(t *testing.T) {
	for _, tt := range []struct {
		base string
		v    int64
		ok   bool
	}{
		{"00000000000000000001.json", 1, true},
		{"09223372036854775807.json", 1<<63 - 1, true},
		{"00000000000000000000.json", 0, false},
		{"+0000000000000000001.json", 0, false}, // ParseInt accepts the sign
		{"-0000000000000000001.json", 0, false},
		{"0000000000000000001.json", 0, false},
		{"00000000000000000001.JSON", 0, false},
	} {
		if v, ok := parseManifestVersion(tt.base); v != tt.v && tt.ok || ok != tt.ok {
			t.Errorf("parseManifestVersion(%q) = %d, %v", tt.base, v, ok)
		}
	}
}
