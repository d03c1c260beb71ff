package catalog

import (
	"encoding/binary"
	"errors"
	"math/big"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/shopspring/decimal"
)

// catalogFingerprint is the CRC-64-AVRO fingerprint of the CatalogRecord
// schema decodeCatalogBody reads. Values written with any other schema
// (an older or newer version) are decoded by the generic codec; a test
// fails when the embedded schema changes, so this decoder is revisited
// with it.
const catalogFingerprint = 0x0ee0ddc858eb48b0

// singleObjectHeader is Avro single-object framing: marker and fingerprint.
const singleObjectHeader = 10

var errFastDecode = errors.New("catalog: record does not match its schema")

// decode decodes a stored, framed catalog record. A record written with
// the current schema in single-object framing is read straight from its
// binary encoding, about ten times faster than the generic codec, which
// builds a map per record; everything else goes through the codec.
//
// The optional strings of a directly decoded record point into opt, so
// they cost no allocation of their own when opt is part of a larger
// allocation (an Entry).
func (c *Catalog) decode(raw []byte, opt *optionals) (avro.CatalogRecord, error) {
	if c.direct && len(raw) >= singleObjectHeader && raw[0] == 0xC3 && raw[1] == 0x01 &&
		binary.LittleEndian.Uint64(raw[2:singleObjectHeader]) == catalogFingerprint {
		if rec, err := decodeCatalogBody(raw[singleObjectHeader:], opt); err == nil {
			return rec, nil
		}
	}
	return c.codecs.Catalog.Decode(raw)
}

// optionals holds the values of a record's optional strings.
type optionals [5]string

// body reads Avro binary encoding; the first error sticks. Strings are
// substrings of one copy of the whole body, so a record costs one string
// allocation rather than one per field.
type body struct {
	b   []byte // unread input
	all string // the whole input, as a string
	err error
}

func (d *body) long() int64 {
	v, n := binary.Varint(d.b) // zig-zag varint, as Avro writes int and long
	if n <= 0 {
		d.err, d.b = errFastDecode, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *body) bytes() []byte {
	n := d.long()
	if n < 0 || int64(len(d.b)) < n {
		d.err, d.b = errFastDecode, nil
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

func (d *body) string() string {
	v := d.bytes()
	if d.err != nil || len(v) == 0 {
		return ""
	}
	end := len(d.all) - len(d.b)
	return d.all[end-len(v) : end]
}

// optString reads a ["null", "string"] union into *dst.
func (d *body) optString(dst *string) *string {
	switch d.long() {
	case 0:
		return nil
	case 1:
		*dst = d.string()
		return dst
	}
	d.err, d.b = errFastDecode, nil
	return nil
}

// arrayLen reads the item count of the next array block (0 ends the
// array); a negative count is followed by the block's size in bytes.
func (d *body) arrayLen() int {
	n := d.long()
	if n < 0 {
		n = -n
		d.long()
	}
	if n > int64(len(d.b)) { // every item takes at least one byte
		d.err, d.b = errFastDecode, nil
		return 0
	}
	return int(n)
}

// share reads an Avro decimal of scale avro.ShareScale, normalised as the
// generic codec normalises it: without trailing fractional zeros.
func (d *body) share() decimal.Decimal {
	b := d.bytes()
	if d.err != nil {
		return decimal.Zero
	}
	exp := -int32(avro.ShareScale)
	if len(b) <= 8 {
		var v int64
		for _, c := range b {
			v = v<<8 | int64(c)
		}
		if len(b) > 0 && len(b) < 8 && b[0]&0x80 != 0 {
			v -= 1 << (8 * len(b)) // sign-extend two's complement
		}
		if v == 0 {
			return decimal.New(0, 0)
		}
		for exp < 0 && v%10 == 0 {
			v, exp = v/10, exp+1
		}
		return decimal.New(v, exp)
	}
	u := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		u.Sub(u, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	ten, r := big.NewInt(10), new(big.Int)
	for exp < 0 {
		q, m := new(big.Int).QuoRem(u, ten, r)
		if m.Sign() != 0 {
			break
		}
		u, exp = q, exp+1
	}
	return decimal.NewFromBigInt(u, exp)
}

// decodeCatalogBody decodes the Avro body of a CatalogRecord written with
// the schema whose fingerprint is catalogFingerprint: isrc, version,
// valid_from, title, version_title, artists, release_title, upc, iswc,
// label, splits (party_id, name, role, share).
func decodeCatalogBody(b []byte, opt *optionals) (avro.CatalogRecord, error) {
	d := body{b: b, all: string(b)}
	var r avro.CatalogRecord
	r.ISRC = d.string()
	r.Version = d.long()
	r.ValidFrom = time.UnixMilli(d.long()).UTC()
	r.Title = d.string()
	r.VersionTitle = d.optString(&opt[0])
	for n := d.arrayLen(); n > 0 && d.err == nil; n = d.arrayLen() {
		if r.Artists == nil {
			r.Artists = make([]string, 0, n)
		}
		for range n {
			r.Artists = append(r.Artists, d.string())
		}
	}
	if r.Artists == nil {
		r.Artists = []string{}
	}
	r.ReleaseTitle = d.optString(&opt[1])
	r.UPC = d.optString(&opt[2])
	r.ISWC = d.optString(&opt[3])
	r.Label = d.optString(&opt[4])
	for n := d.arrayLen(); n > 0 && d.err == nil; n = d.arrayLen() {
		if r.Splits == nil {
			r.Splits = make([]avro.Split, 0, n)
		}
		for range n {
			r.Splits = append(r.Splits, avro.Split{PartyID: d.string(), Name: d.string(), Role: d.string(), Share: d.share()})
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.err = errFastDecode
	}
	return r, d.err
}
