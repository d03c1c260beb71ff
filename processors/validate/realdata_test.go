package validate

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/shopspring/decimal"
)

// The real DSP report samples live in the shared folder beside the
// repository (see shared/realdata/SOURCES.md); they are not copied into
// it. These tests skip when the folder is absent.
const realDataDir = "../../../shared/realdata"

type realRow struct {
	line   int64
	cells  map[string]string
	fields []string
	raw    string
	short  bool // fewer cells than the header
}

// readReport reads a delimited report with a header row.
func readReport(t *testing.T, name string, comma rune) []realRow {
	t.Helper()
	f, err := os.Open(filepath.Join(realDataDir, name))
	if os.IsNotExist(err) {
		t.Skipf("real data sample %s is not available", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = comma == '\t'
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	var rows []realRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		line, _ := r.FieldPos(0)
		row := realRow{line: int64(line), cells: map[string]string{}, fields: rec, raw: strings.Join(rec, string(comma)), short: len(rec) < len(header)}
		for i, h := range header {
			if i < len(rec) {
				row.cells[h] = rec[i]
			}
		}
		rows = append(rows, row)
	}
	return rows
}

type realOutcome struct {
	events   []avro.UsageEvent
	reasons  map[string]int
	messages []string
}

func validateReport(t *testing.T, name string, comma rune, opts Options, mapRow func(r realRow, l *Line)) realOutcome {
	t.Helper()
	v := New(opts)
	out := realOutcome{reasons: map[string]int{}}
	for _, r := range readReport(t, name, comma) {
		l := &Line{Source: avro.Source{FileName: name, FileSHA256: testSHA, Line: r.line, Profile: "test"}, Raw: []byte(r.raw)}
		if r.short {
			l.Malformed = "row is shorter than the header"
		}
		mapRow(r, l)
		e, rej := v.Validate(l, ingestTime)
		if rej != nil {
			out.reasons[rej.Reason]++
			out.messages = append(out.messages, rej.Error())
			continue
		}
		out.events = append(out.events, e)
	}
	return out
}

func TestRealTraxsource(t *testing.T) {
	out := validateReport(t, "instereo_Traxsource-July-2017-Statement.csv", ',', Options{}, func(r realRow, l *Line) {
		c := r.cells
		l.DSP, l.Label, l.PeriodStart, l.UPC = "Traxsource", c["Label"], c["Period"], c["UPC - EAN"]
		l.ReleaseTitle, l.ISRC, l.Artists, l.TrackTitle = c["Release Title"], c["ISRC"], c["Track Artist"], c["Track Title"]
		l.VersionTitle, l.Territory, l.Units, l.Amount = c["Track Version"], c["Territory"], c["Qty"], c["Amount Due"]
		l.Currency, l.UseType, l.Decimal = "USD", "Download", '.'
	})
	// The free-text trailer rows are short: malformed. One row has a UPC in
	// the ISRC column.
	if out.reasons[avro.ReasonInvalidISRC] != 1 {
		t.Errorf("invalid_isrc = %d, want 1: %v", out.reasons[avro.ReasonInvalidISRC], out.messages)
	}
	if len(out.events) != 162 {
		t.Errorf("accepted %d lines, want 162; rejections %v", len(out.events), out.reasons)
	}
	units, total := int64(0), decimal.Zero
	for _, e := range out.events {
		units += e.Units
		total = total.Add(e.Revenue)
		if !e.PeriodStart.Equal(day("2017-07-01")) || !e.PeriodEnd.Equal(day("2017-07-31")) {
			t.Fatalf("period %v..%v", e.PeriodStart, e.PeriodEnd)
		}
	}
	// The declared totals: 445 purchases; the Amount Due column sums to
	// 498.665080 (the trailer rounds it to 498.67), less the rejected line.
	rejected := decimal.RequireFromString("0.941270")
	if want := decimal.RequireFromString("498.665080").Sub(rejected); !total.Equal(want) {
		t.Errorf("revenue sum = %s, want %s", total, want)
	}
	if units != 444 {
		t.Errorf("units sum = %d, want 444 (445 less the rejected line)", units)
	}
}

func TestRealBeatport(t *testing.T) {
	out := validateReport(t, "instereo_Beatport-2017-Q3-Statement.csv", ',', Options{}, func(r realRow, l *Line) {
		c := r.cells
		l.DSP, l.UPC, l.ISRC, l.ProprietaryID = "Beatport", c["PRODUCT_UPC"], c["TRACK_ISRC_CODE"], c["TRACK_ID"]
		l.Label, l.ReleaseTitle, l.TrackTitle, l.Artists = c["LABEL"], c["RELEASE"], c["TRACK_TITLE"], c["TRACK_ARTIST"]
		l.VersionTitle, l.Territory, l.PeriodStart = c["REMIX"], c["TERRITORY"], c["TRANSACTION_DATE"]
		l.UseType, l.Units, l.Amount, l.SaleType = c["DELIVERY"], "1", c["NET_TOTAL"], c["SALE_TYPE"]
		l.Currency, l.CommercialModel = "USD", "PayAsYouGoModel"
	})
	if len(out.reasons) != 0 {
		t.Errorf("rejections %v: %v", out.reasons, out.messages[:min(5, len(out.messages))])
	}
	if len(out.events) != 5975 {
		t.Errorf("accepted %d lines, want 5975", len(out.events))
	}
	voids := 0
	for _, e := range out.events {
		if len(e.Territory) != 2 || e.UseType != UseDownload || e.CommercialModel != ModelPurchase {
			t.Fatalf("event %+v", e)
		}
		if e.Units < 0 {
			voids++
			if e.Revenue.Sign() > 0 {
				t.Errorf("void with positive revenue: %+v", e)
			}
		}
	}
	if voids != 24 {
		t.Errorf("voids = %d, want 24", voids)
	}
}

func TestRealAppleEU(t *testing.T) {
	out := validateReport(t, "appleslicer_45545510_0914_EU.txt", '\t', Options{}, func(r realRow, l *Line) {
		c := r.cells
		l.DSP, l.PeriodStart, l.PeriodEnd, l.UPC, l.ISRC = "iTunes", c["Start Date"], c["End Date"], c["UPC"], c["ISRC/ISBN"]
		l.ProprietaryID, l.Units, l.Amount, l.Currency = c["Vendor Identifier"], c["Quantity"], c["Extended Partner Share"], c["Partner Share Currency"]
		l.SaleType, l.Artists, l.TrackTitle, l.Territory = c["Sales or Return"], c["Artist/Show/Developer/Author"], c["Title"], c["Country Of Sale"]
		l.UseType, l.CommercialModel = "PermanentDownload", "PayAsYouGoModel"
	})
	// The three 2-cell trailer rows (Total_Rows, Total_Amount, Total_Units)
	// are malformed.
	if out.reasons[avro.ReasonMalformedRow] != 3 || len(out.events) != 6 {
		t.Fatalf("accepted %d, rejections %v", len(out.events), out.reasons)
	}
	units, total := int64(0), decimal.Zero
	for _, e := range out.events {
		units += e.Units
		total = total.Add(e.Revenue)
		if !e.PeriodStart.Equal(day("2014-08-31")) || !e.PeriodEnd.Equal(day("2014-09-27")) || e.Currency != "EUR" || !e.NeedsMatch {
			t.Fatalf("event %+v", e)
		}
	}
	// Total_Amount 206.89 matches; Total_Units says 20, the signed sum is 19.
	if !total.Equal(decimal.RequireFromString("206.89")) || units != 19 {
		t.Errorf("totals %s, %d units", total, units)
	}
}

func TestRealSmallSamples(t *testing.T) {
	t.Run("CD Baby", func(t *testing.T) {
		out := validateReport(t, "trackshift_CdBaby_Test.txt", '\t', Options{}, func(r realRow, l *Line) {
			c := r.cells
			l.DSP, l.PeriodStart, l.Units, l.Amount = c["Partner Name"], c["Sales Date"], c["Quantity"], c["Subtotal"]
			l.ISRC, l.UPC, l.ReleaseTitle, l.Artists, l.TrackTitle = c["Isrc"], c["Barcode"], c["Album Name"], c["Artist Name"], c["Track Name"]
			l.UseType, l.Territory, l.Currency = c["Transaction Type"], c["Delivery Country"], "USD"
		})
		// The quoted placeholder barcodes "880000000001" fail the check digit.
		if out.reasons[avro.ReasonInvalidUPC] != 2 || !strings.Contains(out.messages[0], `"880000000001"`) {
			t.Errorf("rejections %v: %v", out.reasons, out.messages)
		}
	})
	t.Run("ClicknClear", func(t *testing.T) {
		out := validateReport(t, "clicknclear_TEST_RIGHTSHOLDER_STANDARD_Q1_2023.csv", ',', Options{}, func(r realRow, l *Line) {
			// Rows are of mixed widths; sale rows of the publishing section
			// (S, P) carry the ISWC in their 8th cell.
			f := r.fields
			if len(f) < 19 || f[0] != "S" || f[1] != "P" {
				l.Malformed = "not a publishing sale row"
				return
			}
			l.DSP, l.PeriodStart, l.TrackTitle, l.ISWC = "ClicknClear", f[2], f[4], f[7]
			l.Territory, l.Currency, l.Units, l.Amount = f[8], f[9], "1", f[13]
		})
		if out.reasons[avro.ReasonInvalidISWC] != 2 || !strings.Contains(out.messages[len(out.messages)-1], "want 3") {
			t.Errorf("rejections %v: %v", out.reasons, out.messages)
		}
	})
	t.Run("DistroKid", func(t *testing.T) {
		out := validateReport(t, "trackshift_DistroKid_Test.tsv", '\t', Options{}, func(r realRow, l *Line) {
			c := r.cells
			l.DSP, l.PeriodStart, l.Artists, l.TrackTitle = c["Store"], c["Sale Month"], c["Artist"], c["Title"]
			l.ISRC, l.Units, l.Territory, l.Amount, l.Currency = c["ISRC"], c["Quantity"], c["Country of Sale"], c["Earnings (USD)"], "USD"
		})
		if len(out.events) != 4 {
			t.Fatalf("rejections %v: %v", out.reasons, out.messages)
		}
		if e := out.events[0]; deref(e.ISRC) != "AAAAA1234567" || len(e.Warnings) != 1 || !e.PeriodEnd.Equal(day("2021-04-30")) {
			t.Errorf("event %+v", e)
		}
		// With the placeholder UPCs the lines fail.
		out = validateReport(t, "trackshift_DistroKid_Test.tsv", '\t', Options{}, func(r realRow, l *Line) {
			c := r.cells
			l.DSP, l.PeriodStart, l.TrackTitle, l.UPC = c["Store"], c["Sale Month"], c["Title"], c["UPC"]
			l.Units, l.Territory, l.Amount, l.Currency = c["Quantity"], c["Country of Sale"], c["Earnings (USD)"], "USD"
		})
		if out.reasons[avro.ReasonInvalidUPC] != 4 {
			t.Errorf("rejections %v", out.reasons)
		}
	})
	t.Run("sddigital", func(t *testing.T) {
		out := validateReport(t, "royaltyappv4_sddigital.csv", ',', Options{}, func(r realRow, l *Line) {
			c := r.cells
			l.DSP, l.ISRC, l.Artists, l.TrackTitle = c["Digital Service Provider_Subdescription"], c["Product ID"], c["Artist"], c["Product Title"]
			l.Territory, l.UseType, l.Units, l.Amount = c["Country Code"], c["Transaction Type"], c["Quantity"], c["Label Net Total"]
			l.PeriodStart, l.Currency = c["dateProcessedlast"], "USD"
		})
		if len(out.events) != 5 {
			t.Fatalf("rejections %v: %v", out.reasons, out.messages)
		}
		e := out.events[1]
		if !e.Revenue.Equal(decimal.RequireFromString("0.02186840089695")) || e.Units != 2 || !e.PeriodStart.Equal(day("2020-01-31")) ||
			e.UseType != UseStream || len(e.Warnings) != 1 {
			t.Errorf("event %+v", e)
		}
	})
	t.Run("Tunecore", func(t *testing.T) {
		out := validateReport(t, "trackshift_Tunecore_Test.csv", ',', Options{}, func(r realRow, l *Line) {
			c := r.cells
			l.DSP, l.PeriodStart, l.Territory, l.Artists, l.ReleaseTitle = c["Store Name"], c["Sales Period"], c["Country Of Sale"], c["Artist"], c["Release Title"]
			l.TrackTitle, l.Label, l.UseType, l.Units = c["Song Title"], c["Label"], c["Sales Type"], c["# Units Sold"]
			l.Amount, l.Currency = c["Total Earned"], c["Currency"]
		})
		if len(out.events) != 4 || out.events[3].Currency != "GBP" || out.events[3].Units != 2 || out.events[0].UseType != UseStream {
			t.Errorf("events %+v, rejections %v", out.events, out.reasons)
		}
	})
}
