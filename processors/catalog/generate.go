package catalog

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/shopspring/decimal"
)

// Generate yields n realistic catalog records, deterministic for a seed,
// without holding them in memory. Records are grouped into releases of 1
// to 16 tracks sharing a UPC (a GTIN-14 with a correct GS1 check digit);
// ISRCs are unique and well formed (country, registrant, year,
// designation); about 90% carry an ISWC with a correct check digit; titles
// and artists include diacritics, apostrophes, ampersands, featured
// artists and version titles; splits have 1 to 4 parties whose shares sum
// to exactly 1. Every record is version 1.
//
// Record i is identified by its ISRC; Generate(n, s) yields a prefix of
// Generate(m, s) for m > n.
func Generate(n int, seed int64) iter.Seq[avro.CatalogRecord] {
	return func(yield func(avro.CatalogRecord) bool) {
		g := newGenerator(seed)
		for i := 0; i < n; i++ {
			if !yield(g.record(i)) {
				return
			}
		}
	}
}

// generator carries the release currently being filled.
type generator struct {
	vocab        vocabulary
	rng          *rand.Rand
	seed         uint64
	release      int // index of the current release
	left         int // tracks left on it
	upc          string
	releaseTitle string
	label        string
	artists      []string
	base         time.Time
}

func newGenerator(seed int64) *generator {
	s := uint64(seed)
	return &generator{
		vocab:   newVocabulary(),
		rng:     rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15)),
		seed:    s,
		release: -1,
		base:    time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

func (g *generator) record(i int) avro.CatalogRecord {
	if g.left == 0 {
		g.newRelease()
	}
	g.left--
	rec := avro.CatalogRecord{
		ISRC:      g.isrc(i),
		Version:   1,
		ValidFrom: g.base.Add(time.Duration(g.rng.IntN(3650*24)) * time.Hour),
		Title:     g.title(),
		Artists:   g.artists,
		Label:     ptr(g.label),
		Splits:    g.splits(),
	}
	if g.rng.IntN(100) < 15 {
		rec.VersionTitle = ptr(g.vocab.versions[g.rng.IntN(len(g.vocab.versions))])
	}
	if g.rng.IntN(100) < 8 {
		rec.Title += " (feat. " + g.person() + ")"
	}
	if g.upc != "" {
		rec.UPC = ptr(g.upc)
		rec.ReleaseTitle = ptr(g.releaseTitle)
	}
	if g.rng.IntN(100) < 90 {
		rec.ISWC = ptr(iswc(g.rng.Uint64() % 1_000_000_000))
	}
	return rec
}

func (g *generator) newRelease() {
	g.release++
	switch r := g.rng.IntN(100); {
	case r < 40:
		g.left = 1
	case r < 65:
		g.left = 3 + g.rng.IntN(4)
	default:
		g.left = 8 + g.rng.IntN(9)
	}
	g.upc = ""
	if g.rng.IntN(100) < 97 {
		g.upc = gtin14(uint64(g.release)*7919 + g.seed%1_000_000)
	}
	g.releaseTitle = g.title()
	g.label = g.vocab.labels[g.rng.IntN(len(g.vocab.labels))]
	g.artists = g.artists[:0:0]
	g.artists = append(g.artists, g.artist())
	if g.rng.IntN(100) < 20 {
		g.artists = append(g.artists, g.artist())
	}
}

// isrc derives a unique ISRC from i: the designation code and year come
// from i's low digits, the registrant from the rest, the country from the
// registrant.
func (g *generator) isrc(i int) string {
	designation := i % 100_000
	rest := i / 100_000
	year := (rest + int(g.seed%100)) % 100
	reg := rest / 100
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	r := (reg*7 + int(g.seed%1000)) % (36 * 36 * 36)
	code := []byte{alnum[r/1296], alnum[r/36%36], alnum[r%36]}
	return fmt.Sprintf("%s%s%02d%05d", g.vocab.countries[(reg+r)%len(g.vocab.countries)], code, year, designation)
}

func (g *generator) title() string {
	n := 1 + g.rng.IntN(4)
	words := make([]string, n)
	for i := range words {
		words[i] = g.vocab.words[g.rng.IntN(len(g.vocab.words))]
	}
	return capitalise(strings.Join(words, " "))
}

func (g *generator) person() string {
	return g.vocab.first[g.rng.IntN(len(g.vocab.first))] + " " + g.vocab.last[g.rng.IntN(len(g.vocab.last))]
}

func (g *generator) artist() string {
	if g.rng.IntN(2) == 0 {
		return g.person()
	}
	f := g.vocab.bands[g.rng.IntN(len(g.vocab.bands))]
	w1, w2 := capitalise(g.vocab.words[g.rng.IntN(len(g.vocab.words))]), capitalise(g.vocab.words[g.rng.IntN(len(g.vocab.words))])
	if strings.Count(f, "%s") == 1 {
		return fmt.Sprintf(f, w1)
	}
	return fmt.Sprintf(f, w1, w2)
}

// splits returns 1 to 4 splits whose shares sum to exactly 1, in units of
// 10^-8 (the schema's scale).
func (g *generator) splits() []avro.Split {
	n := 1 + g.rng.IntN(4)
	const whole = 100_000_000
	out := make([]avro.Split, n)
	left := int64(whole)
	for i := range out {
		// Shares are whole multiples of 0.00001, as rights holders write
		// them; every party keeps at least one such unit.
		const unit = 1000
		share := left
		if i < n-1 {
			spare := left/unit - int64(n-1-i)
			share = unit * (1 + g.rng.Int64N(spare))
		}
		left -= share
		out[i] = avro.Split{
			PartyID: fmt.Sprintf("IPI:%011d", g.rng.Int64N(100_000_000_000)),
			Name:    g.person(),
			Role:    g.vocab.roles[g.rng.IntN(len(g.vocab.roles))],
			Share:   decimal.New(share, -8),
		}
	}
	return out
}

// gtin14 returns a GTIN-14 ("0" indicator, a 12-digit item and its check
// digit) derived from k.
func gtin14(k uint64) string {
	data := fmt.Sprintf("00%011d", k%100_000_000_000)
	return data + strconv.Itoa(GS1CheckDigit(data))
}

// iswc returns "T" + the nine digits of k + the check digit.
func iswc(k uint64) string {
	d := fmt.Sprintf("%09d", k)
	return "T" + d + strconv.Itoa(ISWCCheckDigit(d))
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	for i := range s {
		if i > 0 {
			return strings.ToUpper(s[:i]) + s[i:]
		}
	}
	return strings.ToUpper(s)
}

func ptr(s string) *string { return &s }
