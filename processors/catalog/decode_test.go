package catalog

import (
	"reflect"
	"testing"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/shopspring/decimal"
)

func TestDirectDecoderSchema(t *testing.T) {
	codecs, err := avro.NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	if fp := codecs.Catalog.Schema().Fingerprint; fp != catalogFingerprint {
		t.Fatalf("CatalogRecord schema changed (fingerprint %#016x): update decodeCatalogBody and catalogFingerprint", fp)
	}
}

// TestDirectDecoderMatchesCodec decodes generated and edge-case records
// with both decoders.
func TestDirectDecoderMatchesCodec(t *testing.T) {
	codecs, err := avro.NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	c := New(nil, codecs, Options{})
	recs := []avro.CatalogRecord{
		{ISRC: "X", Version: 1, Artists: []string{}},
		{ISRC: "USRC17607839", Version: 1 << 40, Title: "Tøilette", Artists: []string{"a", "b"},
			Splits: []avro.Split{
				{PartyID: "p", Share: decimal.RequireFromString("0.00000001")},
				{PartyID: "q", Share: decimal.RequireFromString("-0.5")},
				{PartyID: "r", Share: decimal.RequireFromString("1")},
				{PartyID: "s", Share: decimal.RequireFromString("1234.12345678")},
				{PartyID: "t", Share: decimal.RequireFromString("-1234.1234")},
				{PartyID: "u", Share: decimal.RequireFromString("0.32768")},
			}},
	}
	for rec := range Generate(300, 5) {
		recs = append(recs, rec)
	}
	for _, rec := range recs {
		raw, err := codecs.Catalog.Encode(&rec)
		if err != nil {
			t.Fatal(err)
		}
		want, err := codecs.Catalog.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeCatalogBody(raw[singleObjectHeader:], new(optionals))
		if err != nil {
			t.Fatalf("%s: %v", rec.ISRC, err)
		}
		gs, ws := got.Splits, want.Splits
		got.Splits, want.Splits = nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %#v\nwant %#v", rec.ISRC, got, want)
		}
		if len(gs) != len(ws) {
			t.Fatalf("%s: %d splits, want %d", rec.ISRC, len(gs), len(ws))
		}
		for i := range gs {
			if gs[i].PartyID != ws[i].PartyID || gs[i].Name != ws[i].Name || gs[i].Role != ws[i].Role ||
				!gs[i].Share.Equal(ws[i].Share) || gs[i].Share.Exponent() != ws[i].Share.Exponent() {
				t.Errorf("%s split %d: got %+v (exp %d) want %+v (exp %d)", rec.ISRC, i, gs[i], gs[i].Share.Exponent(), ws[i], ws[i].Share.Exponent())
			}
		}
		if d, err := c.decode(raw, new(optionals)); err != nil || d.ISRC != rec.ISRC {
			t.Fatalf("decode: %v", err)
		}
	}
	if _, err := decodeCatalogBody([]byte{0x02, 'X', 0x02}, new(optionals)); err == nil {
		t.Error("truncated body decoded")
	}
}
