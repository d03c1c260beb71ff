package catalog

import (
	"iter"
	"math"
	"math/rand/v2"
	"testing"
)

func BenchmarkApply(b *testing.B) {
	c, _ := newTestCatalog(b, 1000)
	next, stop := iter.Pull(Generate(math.MaxInt32, 9))
	defer stop()
	for b.Loop() {
		rec, ok := next()
		if !ok {
			b.Fatal("generator exhausted")
		}
		if _, err := c.Apply(rec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookup measures Current under a Zipf (s=1.1) workload over
// 100,000 records with the default cache, and the cost of a miss.
func BenchmarkLookup(b *testing.B) {
	const n = 100_000
	for _, size := range []int{DefaultCacheSize, -1} {
		name := "cached"
		if size < 0 {
			name = "uncached"
		}
		b.Run(name, func(b *testing.B) {
			c, _ := newTestCatalog(b, size)
			isrcs := make([]string, 0, n)
			for rec := range Generate(n, 1) {
				if _, err := c.Apply(rec); err != nil {
					b.Fatal(err)
				}
				isrcs = append(isrcs, rec.ISRC)
			}
			z := rand.NewZipf(rand.New(rand.NewPCG(1, 2)), 1.1, 1, n-1)
			keys := make([]string, 1<<16)
			for i := range keys {
				keys[i] = isrcs[z.Uint64()]
			}
			b.ResetTimer()
			i := 0
			for b.Loop() {
				if _, ok, err := c.Current(keys[i&(len(keys)-1)]); !ok || err != nil {
					b.Fatal(ok, err)
				}
				i++
			}
		})
	}
}
