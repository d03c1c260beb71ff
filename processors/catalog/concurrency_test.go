package catalog

import (
	"sync"
	"testing"
)

// TestConcurrentLookupAndApply runs lookups on several goroutines while
// records are applied; run with -race. Every lookup must see a version at
// least as new as the last one applied before it started.
func TestConcurrentLookupAndApply(t *testing.T) {
	c, _ := newTestCatalog(t, 8)
	isrcs := []string{"USRC17600001", "USRC17600002", "USRC17600003", "USRC17600004"}
	for _, isrc := range isrcs {
		mustApply(t, c, record(isrc, 1, "v1"))
	}
	var applied [4]int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				k := (g + i) % len(isrcs)
				mu.Lock()
				floor := applied[k]
				mu.Unlock()
				rec, ok, err := c.Current(isrcs[k])
				if err != nil || !ok {
					t.Errorf("lookup: %v %v", ok, err)
					return
				}
				if rec.Version < floor {
					t.Errorf("%s: version %d after %d was applied", isrcs[k], rec.Version, floor)
					return
				}
			}
		}()
	}
	for v := int64(2); v <= 200; v++ {
		k := int(v) % len(isrcs)
		if _, err := c.Apply(record(isrcs[k], v, "v")); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		applied[k] = v
		mu.Unlock()
	}
	close(stop)
	wg.Wait()
}
