package avro

import "testing"

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
