package drift

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/ledgerline/ledgerline/processors/processortest"
)

// TestAddUsage checks that addUsage, which extends the stored value in
// place, writes exactly what encoding the decoded DSPs plus the new one
// writes, keeps the order first seen, and rejects corrupt values.
func TestAddUsage(t *testing.T) {
	ctx := processortest.NewContext()
	store := ctx.Store(StoreUsage)
	var want []string
	for _, dsp := range []string{"Spotify", "Deezer", "Spotify", "", "Apple Music", "Deezer"} {
		if err := addUsage(ctx, "ISRC1", dsp); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(want, dsp) {
			want = append(want, dsp)
		}
		v, ok, err := store.Get([]byte("ISRC1"))
		if err != nil || !ok {
			t.Fatalf("get: %v %v", ok, err)
		}
		if !bytes.Equal(v, encodeUsage(want)) {
			t.Fatalf("after %q: value %x, want %x", dsp, v, encodeUsage(want))
		}
		got, err := usageDSPs(ctx, "ISRC1")
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("after %q: DSPs %q (%v), want %q", dsp, got, err, want)
		}
	}
	for _, bad := range [][]byte{{}, {2, 0}, {usageLayout, 1}, {usageLayout, 1, 3, 'a'}, append(encodeUsage([]string{"a"}), 0)} {
		if err := store.Put([]byte("ISRC2"), bad); err != nil {
			t.Fatal(err)
		}
		if err := addUsage(ctx, "ISRC2", "x"); !errors.Is(err, errCorrupt) {
			t.Errorf("value %x: error %v, want errCorrupt", bad, err)
		}
	}
}
