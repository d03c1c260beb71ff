package reportfile

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
)

// DefaultBadFraction is the share of broken lines GenerateCSV writes.
const DefaultBadFraction = 0.001

// GenerateOptions configures GenerateReport.
type GenerateOptions struct {
	// Rows is the number of data rows to write.
	Rows int
	// Seed makes the output reproducible.
	Seed int64
	// BadFraction is the share of rows written broken (0 to 1): short
	// rows, rows with extra cells, and text after a closing quote.
	BadFraction float64
}

// GenerateStats describes a generated report.
type GenerateStats struct {
	Rows    int
	BadRows int
	Voids   int
	Bytes   int64
}

// beatportHeader is the header of the beatport profile's layout.
const beatportHeader = "PRODUCT_UPC,PRODUCT_CATALOGUE_NUMBER,TRACK_ISRC_CODE,TRACK_ID,LABEL,RELEASE,TRACK_TITLE,TRACK_ARTIST,REMIXER_NAME,REMIX,TERRITORY,PURCHASE_STATUS,FORMAT,DELIVERY,TRANSACTION_DATE,CONTENT_TYPE,TRACK_COUNT,GROSS_CONTENT_REVENUE,GROSS_WAV_REVENUE,PAID_PRICE,NET_CONTENT_REVENUE,NET_WAV_REVENUE,MECHANICAL_WITHHOLDING,US_TAX_WITHHOLDING,WITHHELD_AMOUNT,US_TAX_WITHHOLDING_PERCENT,US_TAX_WITHHOLDING_COMPLIANCY_STATUS,NET_TOTAL,SALE_TYPE"

// GenerateCSV writes a synthetic label statement of rows data rows in the
// layout of the built-in beatport profile, with DefaultBadFraction of the
// rows broken. The same seed gives the same bytes.
func GenerateCSV(w io.Writer, rows int, seed int64) error {
	_, err := GenerateReport(w, GenerateOptions{Rows: rows, Seed: seed, BadFraction: DefaultBadFraction})
	return err
}

// GenerateReport writes a synthetic report as described by opts.
func GenerateReport(w io.Writer, opts GenerateOptions) (GenerateStats, error) {
	cw := &countWriter{w: w}
	g := generator{
		rng: rand.New(rand.NewPCG(uint64(opts.Seed), 0x9e3779b97f4a7c15)),
		bw:  bufio.NewWriterSize(cw, 64<<10),
		v:   newVocabulary(),
	}
	g.bw.WriteString(beatportHeader)
	g.bw.WriteString("\r\n")
	var st GenerateStats
	for i := 0; i < opts.Rows; i++ {
		bad := opts.BadFraction > 0 && g.rng.Float64() < opts.BadFraction
		void := g.rng.IntN(250) == 0
		g.row(bad, void)
		st.Rows++
		if bad {
			st.BadRows++
		}
		if void {
			st.Voids++
		}
	}
	if err := g.bw.Flush(); err != nil {
		return st, fmt.Errorf("generate report: %w", err)
	}
	st.Bytes = cw.n
	return st, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

type generator struct {
	rng *rand.Rand
	bw  *bufio.Writer
	v   vocabulary
	num []byte
}

// vocabulary holds the values the generator draws from.
type vocabulary struct {
	artists, words, remixes, territories, statuses, formats []string
}

func newVocabulary() vocabulary {
	return vocabulary{
		artists:     []string{"DJ Dan", "Mike Balance", "Peace Division", "Dom G", "Uberzone", "Soma (USA)", "Gary Caos", "Angel Heredia", "Leandro Da Silva", "Rescue"},
		words:       []string{"Put", "The", "Record", "Back", "On", "House", "Music", "Side", "Street", "Player", "Upside", "Down", "Triangles", "Work", "Love", "Night", "Deep", "Groove"},
		remixes:     []string{"Original Mix", "Club Mix", "Dub", "Extended Mix", "Peace Division Mix", "Radio Edit"},
		territories: []string{"USA", "GBR", "DEU", "FRA", "NLD", "CAN", "AUS", "IRL", "ESP", "ITA", "JPN", "BRA"},
		statuses:    []string{"Classic", "Exclusive", "General Content"},
		formats:     []string{"mp3", "wav", "aiff"},
	}
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *generator) title() string {
	n := 1 + g.rng.IntN(3)
	s := g.pick(g.v.words)
	for i := 1; i < n; i++ {
		s += " " + g.pick(g.v.words)
	}
	return s
}

func (g *generator) quoted(s string) {
	g.bw.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			g.bw.WriteByte('"')
		}
		g.bw.WriteByte(s[i])
	}
	g.bw.WriteByte('"')
}

func (g *generator) money(cents int) {
	if cents < 0 {
		g.bw.WriteByte('-')
		cents = -cents
	}
	g.num = strconv.AppendInt(g.num[:0], int64(cents/100), 10)
	g.num = append(g.num, '.', byte('0'+cents/10%10), byte('0'+cents%10))
	g.bw.Write(g.num)
}

// upc writes a 12-digit UPC-A with a valid check digit: broken rows are
// the only bad lines a generated report is meant to have.
func (g *generator) upc() {
	body := 19000000000 + g.rng.IntN(9999999) // 11 digits
	g.num = strconv.AppendInt(g.num[:0], int64(body), 10)
	sum, w := 0, 3
	for i := len(g.num) - 1; i >= 0; i-- {
		sum += int(g.num[i]-'0') * w
		w = 4 - w
	}
	g.num = append(g.num, byte('0'+(10-sum%10)%10))
	g.bw.Write(g.num)
}

func (g *generator) row(bad, void bool) {
	w := g.bw
	kind := -1
	if bad {
		kind = g.rng.IntN(3)
	}
	if g.rng.IntN(80) == 0 {
		g.upc()
	}
	w.WriteByte(',')
	w.WriteString("INS" + strconv.Itoa(10+g.rng.IntN(300)))
	w.WriteByte(',')
	if g.rng.IntN(4) != 0 {
		w.WriteString("USMKV17" + strconv.Itoa(10000+g.rng.IntN(89999)))
	}
	w.WriteByte(',')
	w.WriteString(strconv.Itoa(400000 + g.rng.IntN(9000000)))
	w.WriteByte(',')
	g.quoted("InStereo Recordings")
	w.WriteByte(',')
	release, track := g.title(), g.title()
	if g.rng.IntN(10) == 0 {
		release += ", Vol. " + strconv.Itoa(1+g.rng.IntN(9))
	}
	if g.rng.IntN(40) == 0 {
		track = `The "` + track + `" Edit`
	}
	g.quoted(release)
	w.WriteByte(',')
	if kind == 2 {
		w.WriteString(`"` + track + `"x`)
	} else {
		g.quoted(track)
	}
	w.WriteByte(',')
	g.quoted(g.pick(g.v.artists))
	w.WriteByte(',')
	if g.rng.IntN(3) == 0 {
		g.quoted(g.pick(g.v.artists))
	}
	w.WriteByte(',')
	g.quoted(g.pick(g.v.remixes))
	w.WriteByte(',')
	w.WriteString(g.pick(g.v.territories))
	w.WriteByte(',')
	g.quoted(g.pick(g.v.statuses))
	w.WriteByte(',')
	w.WriteString(g.pick(g.v.formats))
	w.WriteString(",download,2017-0")
	w.WriteByte(byte('7' + g.rng.IntN(3)))
	w.WriteByte('-')
	day := 1 + g.rng.IntN(28)
	w.WriteByte(byte('0' + day/10))
	w.WriteByte(byte('0' + day%10))
	w.WriteString(",single,1,")
	price := 149 + g.rng.IntN(150)
	sign := 1
	if void {
		sign = -1
	}
	net := price * 6 / 10
	withheld := 0
	if g.rng.IntN(2) == 0 {
		withheld = net / 10
	}
	g.money(sign * price)
	w.WriteString(",0.00,")
	g.money(sign * price)
	w.WriteByte(',')
	g.money(sign * net)
	w.WriteString(",0.0000000000,")
	g.money(sign * withheld)
	w.WriteString(",0.00,")
	g.money(sign * withheld)
	w.WriteString(",0.0000,1,")
	if kind == 0 {
		w.WriteString("\r\n")
		return
	}
	g.money(sign * (net - withheld))
	if void {
		w.WriteString(",Void")
	} else {
		w.WriteString(",Sale")
	}
	if kind == 1 {
		w.WriteString(",extra,cells")
	}
	w.WriteString("\r\n")
}
