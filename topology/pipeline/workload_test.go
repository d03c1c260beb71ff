package pipeline

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/catalog"
)

// workload is a generated catalog and usage over it with a realistic mix
// of drift, for the crash, rebalance, partition and throughput tests.
type workload struct {
	catalog []avro.CatalogRecord
	events  []avro.UsageEvent
}

// newWorkload generates a catalog of catalogSize records
// (catalog.Generate) and n usage events. ISRCs are drawn from a Zipf
// distribution (a few recordings get most of the usage) over three DSPs
// and three monthly periods. About four events in five report the
// recording as the catalog has it; the rest carry the drift the
// drift stage looks for: version suffixes, case, missing artists,
// another ISWC or UPC, unknown ISRCs and lines without ISRC.
func newWorkload(catalogSize, n int, seed uint64) workload {
	w := workload{catalog: slices.Collect(catalog.Generate(catalogSize, int64(seed)))}
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(catalogSize-1))
	dsps := []string{dspA, dspB, "Apple Music"}
	periods := []period{jan24, feb24, mar24}
	w.events = make([]avro.UsageEvent, 0, n)
	for i := range n {
		rec := w.catalog[zipf.Uint64()]
		p := periods[rng.IntN(len(periods))]
		ev := usageOf(fmt.Sprintf("w%d-%07d", seed, i), rec,
			by(dsps[rng.IntN(len(dsps))]), in(p),
			sourceLine("workload.tsv", int64(i+1)),
			ingestedAt(ingestBase.Add(time.Duration(i)*time.Millisecond)))
		switch r := rng.IntN(100); {
		case r < 80:
			// as the catalog has it
		case r < 84:
			ev.TrackTitle += " (Live)"
		case r < 87:
			ev.TrackTitle = strings.ToUpper(ev.TrackTitle)
		case r < 90:
			ev.TrackTitle += " - Remastered 2011"
		case r < 92:
			if len(ev.Artists) > 0 {
				ev.Artists = append(slices.Clone(ev.Artists), "Guest Artist")
			}
		case r < 93:
			ev.ISWC = ptr(iswcN(rng.IntN(1000)))
		case r < 94:
			ev.UPC = ptr(upcN(rng.IntN(1000)))
		case r < 96:
			ev.ISRC = ptr(fmt.Sprintf("QZUNK24%05d", rng.IntN(500)))
		case r < 99:
			ev.ISRC = nil // identified by UPC and title, or not
		default:
			ev.ISRC, ev.UPC = nil, nil
		}
		w.events = append(w.events, ev)
	}
	return w
}
