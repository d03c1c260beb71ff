package validate

import (
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
)

// TestWireRoundTrip checks that what the validator produces fits the data
// contracts: events, dead letters and catalog records encode and decode
// unchanged.
func TestWireRoundTrip(t *testing.T) {
	codecs, err := avro.NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	v := New(Options{})

	l := typicalLine()
	l.Amount = "123456789.123456789012345" // 15 fractional digits
	l.ISWC = "T-034.524.680-1"
	e, rej := v.Validate(l, ingestTime)
	if rej != nil {
		t.Fatal(rej)
	}
	msg, err := codecs.Usage.Encode(&e)
	if err != nil {
		t.Fatalf("encode event: %v", err)
	}
	got, err := codecs.Usage.Decode(msg)
	if err != nil {
		t.Fatalf("decode event: %v", err)
	}
	if !got.Revenue.Equal(e.Revenue) || got.EventID != e.EventID || deref(got.ISRC) != deref(e.ISRC) ||
		deref(got.UPC) != deref(e.UPC) || deref(got.ISWC) != deref(e.ISWC) || !got.PeriodEnd.Equal(e.PeriodEnd) ||
		got.Units != e.Units || got.Territory != e.Territory {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, e)
	}

	l.UPC = "7.31453E+11"
	_, rej = v.Validate(l, ingestTime)
	d := DeadLetter(l, rej, StageIngest, ingestTime.Add(time.Second))
	if _, err := codecs.DeadLetter.Encode(&d); err != nil {
		t.Errorf("encode dead letter: %v", err)
	}

	rec, rej := v.ValidateCatalog(&CatalogInput{
		ISRC: "USRC17607839", Version: "1", ValidFrom: "2023-01-01T00:00:00Z", Title: "Track Title",
		Splits: "IPI:00052210040:Writer 1:composer:0.33333333|IPI:00052210041:Writer 2:composer:0.66666667",
	})
	if rej != nil {
		t.Fatal(rej)
	}
	msg, err = codecs.Catalog.Encode(&rec)
	if err != nil {
		t.Fatalf("encode catalog record: %v", err)
	}
	back, err := codecs.Catalog.Decode(msg)
	if err != nil {
		t.Fatalf("decode catalog record: %v", err)
	}
	if len(back.Splits) != 2 || !back.Splits[0].Share.Equal(rec.Splits[0].Share) || back.Splits[0].PartyID != "IPI:00052210040" {
		t.Errorf("catalog round trip: %+v", back)
	}
}
