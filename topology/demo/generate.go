package demo

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/ledgerline/ledgerline/avro"
)

// writeCatalogCSV writes records in the catalog-load CSV layout.
func writeCatalogCSV(w io.Writer, recs []avro.CatalogRecord) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "isrc,version,valid_from,title,version_title,artists,release_title,upc,iswc,label,splits")
	for _, r := range recs {
		var splits []string
		for _, s := range r.Splits {
			splits = append(splits, fmt.Sprintf("%s:%s:%s:%s", s.PartyID, s.Name, s.Role, s.Share.String()))
		}
		cells := []string{r.ISRC, fmt.Sprint(r.Version), r.ValidFrom.UTC().Format("2006-01-02"), r.Title,
			deref(r.VersionTitle), strings.Join(r.Artists, "|"), deref(r.ReleaseTitle), deref(r.UPC),
			deref(r.ISWC), deref(r.Label), strings.Join(splits, "|")}
		for i, c := range cells {
			cells[i] = csvCell(c)
		}
		fmt.Fprintln(bw, strings.Join(cells, ","))
	}
	return bw.Flush()
}

func csvCell(s string) string {
	if strings.ContainsAny(s, ",\"\n\r") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

var (
	stores      = []string{"Spotify", "Apple Music", "Deezer", "Amazon Music", "YouTube Music", "Tidal"}
	territories = []string{"US", "GB", "DE", "FR", "SE", "JP", "BR", "CA", "AU", "NL"}
)

// writeDistroKidReport writes a DistroKid-layout earnings report of rows
// lines about recordings of recs, picked with a Zipf distribution (real
// play counts are heavily skewed). Some lines carry drift the way real
// reports do (a version suffix, a different artist credit, no ISRC) and
// about one in fifty is broken (a mistyped ISRC, a territory or a number
// that is not one).
func writeDistroKidReport(w io.Writer, recs []avro.CatalogRecord, rows int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(len(recs)-1))
	bw := bufio.NewWriter(w)
	fmt.Fprint(bw, "Reporting Date\tSale Month\tStore\tArtist\tTitle\tISRC\tUPC\tQuantity\tTeam Percentage\tSong/Album\tCountry of Sale\tSongwriter Royalties Withheld\tEarnings (USD)\r\n")
	for i := 0; i < rows; i++ {
		r := recs[zipf.Uint64()]
		title, artist, isrc, upc := r.Title, strings.Join(r.Artists, ", "), r.ISRC, deref(r.UPC)
		territory := territories[rng.IntN(len(territories))]
		units := 1 + rng.IntN(2000)
		earnings := fmt.Sprintf("%d.%06d", units/400, rng.IntN(1000000))
		switch k := rng.IntN(100); {
		case k < 3:
			title += " (Remastered 2011)"
		case k < 5:
			artist = strings.ToUpper(artist)
		case k < 6:
			artist = "Various Artists"
		case k < 8:
			isrc = ""
		case k == 8:
			isrc = isrc[:7] // a truncated ISRC
		case k == 9:
			territory = "Atlantis"
		case k == 10:
			earnings = "n/a"
		}
		fmt.Fprintf(bw, "2024-06-02\t2024-05\t%s\t%s\t%s\t%s\t%s\t%d\t100\tSong\t%s\t0\t%s\r\n",
			stores[rng.IntN(len(stores))], artist, title, isrc, upc, units, territory, earnings)
	}
	return bw.Flush()
}
