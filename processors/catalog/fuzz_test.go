package catalog

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/shopspring/decimal"
)

// sameRecord reports whether a and b are equal, comparing shares by value
// and exponent.
func sameRecord(a, b avro.CatalogRecord) bool {
	as, bs := a.Splits, b.Splits
	a.Splits, b.Splits = nil, nil
	if !reflect.DeepEqual(a, b) || len(as) != len(bs) {
		return false
	}
	for i := range as {
		x, y := as[i], bs[i]
		if x.PartyID != y.PartyID || x.Name != y.Name || x.Role != y.Role ||
			!x.Share.Equal(y.Share) || x.Share.Exponent() != y.Share.Exponent() {
			return false
		}
	}
	return true
}

// fuzzCodecs returns the codecs and the single-object header of the
// current CatalogRecord schema.
func fuzzCodecs(f *testing.F) (*avro.Codecs, []byte) {
	codecs, err := avro.NewCodecs()
	if err != nil {
		f.Fatal(err)
	}
	raw, err := codecs.Catalog.Encode(&avro.CatalogRecord{ISRC: "X", Artists: []string{}})
	if err != nil {
		f.Fatal(err)
	}
	return codecs, raw[:singleObjectHeader:singleObjectHeader]
}

func addCatalogSeeds(f *testing.F, codecs *avro.Codecs) {
	recs := []avro.CatalogRecord{record("USRC17607839", 2, "Hier, à l'aube")}
	for rec := range Generate(8, 11) {
		recs = append(recs, rec)
	}
	for _, rec := range recs {
		raw, err := codecs.Catalog.Encode(&rec)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw[singleObjectHeader:])
	}
	// Two blocks of artists, the second with a negative count and a size.
	f.Add([]byte{2, 'X', 2, 0, 0, 0, 2, 2, 'a', 1, 4, 2, 'b', 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0x02, 'X', 0x02})
}

// FuzzDecodeCatalogBody feeds arbitrary bodies to the direct decoder and
// to the generic codec: a body the direct decoder accepts must be a valid
// record that the codec decodes to the same value, and it must re-encode
// to a body that decodes to it again.
func FuzzDecodeCatalogBody(f *testing.F) {
	codecs, header := fuzzCodecs(f)
	addCatalogSeeds(f, codecs)
	c := New(nil, codecs, Options{})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeCatalogBody(data, new(optionals))
		raw := append(slices.Clip(header), data...)
		want, werr := codecs.Catalog.Decode(raw)
		if werr == nil {
			viaCatalog, err := c.decode(raw, new(optionals))
			if err != nil || !sameRecord(viaCatalog, want) {
				t.Fatalf("Catalog.decode gives %+v, %v; codec %+v", viaCatalog, err, want)
			}
		}
		if err != nil {
			if !errors.Is(err, errFastDecode) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if werr != nil {
			t.Fatalf("direct decoder accepts %x (%+v), codec refuses it: %v", data, got, werr)
		}
		if !sameRecord(got, want) {
			t.Fatalf("body %x:\ndirect %+v\n codec %+v", data, got, want)
		}
		enc, err := codecs.Catalog.Encode(&got)
		if err != nil {
			t.Fatalf("decoded record %+v does not encode: %v", got, err)
		}
		back, err := decodeCatalogBody(enc[singleObjectHeader:], new(optionals))
		if err != nil || !sameRecord(back, got) {
			t.Fatalf("re-encoded body decodes as %+v, %v; want %+v", back, err, got)
		}
		// The codec writes one form of each record (data may have split
		// arrays into blocks, or written a share in more or fewer bytes).
		if again, err := codecs.Catalog.Encode(&back); err != nil || !bytes.Equal(again, enc) {
			t.Fatalf("record encodes as %x, then as %x, %v", enc, again, err)
		}
	})
}

// FuzzCatalogBodyRoundTrip encodes records built from the fuzz input with
// the codec and decodes them with the direct decoder.
func FuzzCatalogBodyRoundTrip(f *testing.F) {
	codecs, _ := fuzzCodecs(f)
	for rec := range Generate(6, 5) {
		s := rec.Splits[0]
		f.Add(rec.ISRC, rec.Version, rec.ValidFrom.UnixMilli(), rec.Title, deref(rec.VersionTitle), strings.Join(rec.Artists, "\n"),
			deref(rec.UPC), deref(rec.ISWC), uint8(len(rec.Splits)), s.PartyID, s.Name, s.Role, s.Share.CoefficientInt64(), uint8(-s.Share.Exponent()))
	}
	f.Add("", int64(-1<<63), int64(-1<<63), "", "", "", "", "", uint8(0xff), "", "", "", int64(-1<<63), uint8(8))
	f.Add("\xff", int64(1<<63-1), int64(1<<63-1), "Tøilette", "(Live)", "\n", "x", "y", uint8(3), "IPI:1", "A", "composer", int64(1<<63-1), uint8(0))
	f.Fuzz(func(t *testing.T, isrc string, version, validFrom int64, title, versionTitle, artists, upc, iswc string,
		opt uint8, party, name, role string, coef int64, scale uint8) {
		rec := avro.CatalogRecord{
			ISRC: isrc, Version: version, ValidFrom: time.UnixMilli(validFrom).UTC(), Title: title,
			Artists: []string{},
		}
		if a := strings.Split(artists, "\n"); artists != "" {
			rec.Artists = a
		}
		for i, p := range []**string{&rec.VersionTitle, &rec.ReleaseTitle, &rec.UPC, &rec.ISWC, &rec.Label} {
			if opt&(1<<i) != 0 {
				v := []string{versionTitle, title, upc, iswc, name}[i]
				*p = &v
			}
		}
		for i := range int(opt>>5) % 4 {
			share := decimal.New(coef-int64(i), -int32(scale%(avro.ShareScale+1)))
			rec.Splits = append(rec.Splits, avro.Split{PartyID: party, Name: name, Role: role, Share: share})
		}
		raw, err := codecs.Catalog.Encode(&rec)
		if err != nil {
			t.Fatalf("encode %+v: %v", rec, err)
		}
		want, err := codecs.Catalog.Decode(raw)
		if err != nil {
			t.Fatalf("codec does not decode what it wrote: %v", err)
		}
		got, err := decodeCatalogBody(raw[singleObjectHeader:], new(optionals))
		if err != nil {
			t.Fatalf("decode %x: %v", raw, err)
		}
		if !sameRecord(got, want) {
			t.Fatalf("direct %+v\n codec %+v", got, want)
		}
		if len(got.Splits) != len(rec.Splits) {
			t.Fatalf("%d splits decode as %d", len(rec.Splits), len(got.Splits))
		}
		for i, s := range got.Splits {
			if !s.Share.Equal(rec.Splits[i].Share) {
				t.Fatalf("share %s decodes as %s", rec.Splits[i].Share, s.Share)
			}
		}
		got.Splits, rec.Splits = nil, nil
		if !reflect.DeepEqual(got, rec) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, rec)
		}
		for i := range len(raw) - singleObjectHeader {
			if _, err := decodeCatalogBody(raw[singleObjectHeader:singleObjectHeader+i], new(optionals)); err == nil {
				t.Fatalf("prefix of %d bytes of %x decoded", i, raw[singleObjectHeader:])
			}
		}
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// FuzzDecodeList feeds arbitrary bytes to decodeList and round-trips the
// list of a fuzz string through encodeList.
func FuzzDecodeList(f *testing.F) {
	f.Add(encodeList([]string{"USRC17607839", "GBUM70602587"}), "USRC17607839\nGBUM70602587")
	f.Add(encodeList(nil), "")
	f.Add([]byte{listLayout, 0x80, 0x00}, "\n")
	f.Add([]byte{listLayout, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, "x")
	f.Fuzz(func(t *testing.T, data []byte, list string) {
		got, err := decodeList(data)
		if err != nil {
			if !errors.Is(err, errBadList) {
				t.Fatalf("error %v does not wrap errBadList", err)
			}
		} else {
			if len(got) > len(data) {
				t.Fatalf("%d ISRCs from %d bytes", len(got), len(data))
			}
			enc := encodeList(got)
			if len(enc) > len(data) || (len(enc) == len(data) && !bytes.Equal(enc, data)) {
				t.Fatalf("list %x re-encodes as %x", data, enc)
			}
			if back, err := decodeList(enc); err != nil || !slices.Equal(back, got) {
				t.Fatalf("re-encoded %x decodes as %q, %v", enc, back, err)
			}
		}

		var isrcs []string
		if list != "" {
			isrcs = strings.Split(list, "\n")
		}
		enc := encodeList(isrcs)
		back, err := decodeList(enc)
		if err != nil || !slices.Equal(back, isrcs) {
			t.Fatalf("%q round trips as %q, %v", isrcs, back, err)
		}
		// A proper prefix is refused or reads the first entries.
		for i := range enc {
			if p, err := decodeList(enc[:i]); err == nil && (len(p) >= len(isrcs) || !slices.Equal(p, isrcs[:len(p)])) {
				t.Fatalf("prefix %x of %x decodes as %q", enc[:i], enc, p)
			}
		}
	})
}
