package processortest

import (
	"math/rand/v2"
	"testing"
)

// TestHashIndex checks the index against a map, with hashes drawn from a
// small range so clusters form, wrap around the table and are shifted by
// deletes.
func TestHashIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, spread := range []uint64{8, 100, 1 << 20, 1 << 63} {
		var x hashIndex
		model := map[uint64]uint64{}
		for i := range 20000 {
			h := rng.Uint64N(spread)
			if spread == 8 || spread == 100 {
				h = h*uint64(minIndexSlots) + 63 // same home slot, next to the wrap
			}
			switch rng.IntN(3) {
			case 0, 1:
				ref := uint64(i + 1)
				x.set(h, ref)
				model[h] = ref
			case 2:
				x.remove(h)
				delete(model, h)
			}
			if x.n != len(model) {
				t.Fatalf("spread %d step %d: n = %d, want %d", spread, i, x.n, len(model))
			}
			if i%97 == 0 {
				for k, v := range model {
					if got := x.get(k); got != v {
						t.Fatalf("spread %d step %d: get(%d) = %d, want %d", spread, i, k, got, v)
					}
				}
				seen := 0
				x.each(func(uint64) { seen++ })
				if seen != len(model) {
					t.Fatalf("spread %d step %d: each saw %d, want %d", spread, i, seen, len(model))
				}
			}
			if got := x.get(h); got != model[h] {
				t.Fatalf("spread %d step %d: get(%d) = %d, want %d", spread, i, h, got, model[h])
			}
		}
	}
}
