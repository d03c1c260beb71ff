package avro

import (
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to every decoder: they must return an
// error or a value, never panic, and a decoded value must re-encode.
func FuzzDecode(f *testing.F) {
	c, err := NewCodecs()
	if err != nil {
		f.Fatal(err)
	}
	e := sampleUsage()
	seed, err := c.Usage.Encode(&e)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add(seed[:20])
	f.Add([]byte{0xC3, 0x01})
	l := IngestLedgerEntry{FileSHA256: "x", Status: LedgerComplete}
	if b, err := c.Ledger.Encode(&l); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		if v, err := c.Usage.Decode(msg); err == nil {
			if _, err := c.Usage.Encode(&v); err != nil {
				t.Fatalf("decoded usage event does not re-encode: %v", err)
			}
		}
		_, _ = c.Enriched.Decode(msg)
		_, _ = c.Catalog.Decode(msg)
		_, _ = c.Alert.Decode(msg)
		_, _ = c.DeadLetter.Decode(msg)
		_, _ = c.Reconciliation.Decode(msg)
		_, _ = c.Ledger.Decode(msg)
	})
}

// TestHugeDeclaredCountsAreRefused: a body declaring an array of 2^30
// items fails at once instead of allocating for them.
func TestHugeDeclaredCountsAreRefused(t *testing.T) {
	reg, err := NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	s, err := reg.Register(`{"type":"record","name":"T","namespace":"test","fields":[{"name":"a","type":{"type":"array","items":"string"}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte{0x80, 0x80, 0x80, 0x80, 0x08} // zigzag varint of 2^30
	_, _, err = s.codec.NativeFromBinary(body)
	if err == nil || !strings.Contains(err.Error(), "MaxBlockCount") {
		t.Fatalf("decoding a 2^30-item array: %v", err)
	}
}
