package reportfile

import (
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/ledgerline/ledgerline/connectors/reportfile/internal/realdata"
)

// sample reads one public sample file.
func sample(t *testing.T, name string) (*Reader, []Row) {
	t.Helper()
	f, err := os.Open(filepath.Join(realdata.Dir(t), name))
	if err != nil {
		t.Skipf("sample %s not available: %v", name, err)
	}
	defer f.Close()
	return readAll(t, f, Options{})
}

func declared(rd *Reader, measure, scope string) (Declared, bool) {
	for _, d := range rd.Declared() {
		if d.Measure == measure && d.Scope == scope {
			return d, true
		}
	}
	return Declared{}, false
}

func sum(t *testing.T, rows []Row, f Field) *big.Rat {
	t.Helper()
	total := new(big.Rat)
	for _, r := range rows {
		v, ok := new(big.Rat).SetString(r.Cells[f])
		if !ok {
			t.Fatalf("line %d: %s %q is not a number", r.Line, f, r.Cells[f])
		}
		total.Add(total, v)
	}
	return total
}

func rat(s string) *big.Rat {
	r, _ := new(big.Rat).SetString(s)
	return r
}

// TestRealdataKnownNumbers checks the figures documented for the public
// samples in SOURCES.md, including their known defects.
func TestRealdataKnownNumbers(t *testing.T) {
	t.Run("beatport", func(t *testing.T) {
		rd, rows := sample(t, "instereo_Beatport-2017-Q3-Statement.csv")
		voids, noUPC := 0, 0
		for _, r := range rows {
			if r.Cells[FieldSaleType] == "Void" {
				voids++
				if r.Cells[FieldAmount][0] != '-' {
					t.Errorf("line %d: void with amount %s", r.Line, r.Cells[FieldAmount])
				}
			}
			if r.Cells[FieldUPC] == "" {
				noUPC++
			}
		}
		if rd.Profile() != "beatport" || len(rows) != 5975 || voids != 24 || noUPC != 5902 {
			t.Errorf("profile %s, %d rows, %d voids, %d without UPC", rd.Profile(), len(rows), voids, noUPC)
		}
	})
	t.Run("traxsource", func(t *testing.T) {
		rd, rows := sample(t, "instereo_Traxsource-July-2017-Statement.csv")
		if len(rows) != 163 {
			t.Errorf("%d rows", len(rows))
		}
		want := map[string]string{"units": "445", "label_net": "566.67", "mechanicals_withheld": "-68.01", "amount": "498.67"}
		for m, v := range want {
			if d, _ := declared(rd, m, ""); d.Value != v {
				t.Errorf("declared %s = %q, want %q", m, d.Value, v)
			}
		}
		if got := sum(t, rows, FieldUnits); got.Cmp(rat("445")) != 0 {
			t.Errorf("units sum %s", got.FloatString(0))
		}
		amount := sum(t, rows, FieldAmount)
		if amount.Cmp(rat("498.665080")) != 0 {
			t.Errorf("amount sum %s", amount.FloatString(6))
		}
		d, _ := declared(rd, "amount", "")
		diff := new(big.Rat).Sub(amount, rat(d.Value))
		if diff.Abs(diff).Cmp(rat(d.Tolerance)) > 0 {
			t.Errorf("amount %s vs declared %s exceeds tolerance %s", amount.FloatString(6), d.Value, d.Tolerance)
		}
		if rows[0].Cells[FieldISRC] != "844185059862" || rows[0].Cells[FieldUPC] != "" {
			t.Errorf("first row keeps the UPC in the ISRC column as written: %q / %q", rows[0].Cells[FieldISRC], rows[0].Cells[FieldUPC])
		}
	})
	t.Run("apple EU units defect", func(t *testing.T) {
		rd, rows := sample(t, "appleslicer_45545510_0914_EU.txt")
		d, _ := declared(rd, "units", "")
		if d.Value != "20" || sum(t, rows, FieldUnits).Cmp(rat("19")) != 0 {
			t.Errorf("declared units %q, signed sum %s", d.Value, sum(t, rows, FieldUnits).FloatString(0))
		}
		if a, _ := declared(rd, "amount", ""); a.Value != "206.89" || a.Currency != "EUR" || sum(t, rows, FieldAmount).Cmp(rat("206.89")) != 0 {
			t.Errorf("amount %+v", a)
		}
	})
	t.Run("DSR TEST2 footer defect", func(t *testing.T) {
		rd, rows := sample(t, "ddexdsrf_DSR_TEST2_YouTube_AdSupport-music_2015-Q4_IS_1of1_20160121T150926.tsv")
		d, _ := declared(rd, "lines_in_file", "")
		if d.Value != "35" || rd.Structure().PhysicalLines != 34 || len(rows) != 6 || rd.Profile() != ProfileDSRUGC {
			t.Errorf("declared lines %q, physical %d, %d rows, profile %s", d.Value, rd.Structure().PhysicalLines, len(rows), rd.Profile())
		}
	})
	t.Run("DSR blocks and summary defects", func(t *testing.T) {
		rd, rows := sample(t, "orfium_DSR_PADPIDA2015999999X_PADPIDA2015999999X_AdFunded_2015-08-01--2015-08-31__1of1_20151123T182957.tsv")
		b, _ := declared(rd, "blocks_in_report", "")
		if b.Value != "94" || rd.Structure().Blocks != 3 {
			t.Errorf("declared blocks %q, counted %d", b.Value, rd.Structure().Blocks)
		}
		u, _ := declared(rd, "usages", "summary 1")
		if u.Value != "100" || sum(t, rows, FieldUnits).Cmp(rat("3")) != 0 {
			t.Errorf("declared usages %q, summed %s", u.Value, sum(t, rows, FieldUnits).FloatString(0))
		}
		for _, r := range rows {
			if r.Malformed == "" || r.Scope != "summary 1" || r.Cells[FieldTerritory] != "GB" {
				t.Errorf("line %d: malformed %q scope %q territory %q", r.Line, r.Malformed, r.Scope, r.Cells[FieldTerritory])
			}
		}
	})
	t.Run("DSR basic audio totals", func(t *testing.T) {
		rd, rows := sample(t, "orfium_DSR_PADPIDA00123456743_PADPIDA0123456766K_UnlimitedMusicMonthly_2020-06-01--2020-06-30__1of1_20200703T075930.tsv")
		u, _ := declared(rd, "usages", "summary S1")
		if len(rows) != 15 || u.Value != "3160" || sum(t, rows, FieldUnits).Cmp(rat("3160")) != 0 {
			t.Errorf("%d rows, declared %q, summed %s", len(rows), u.Value, sum(t, rows, FieldUnits).FloatString(0))
		}
		if l, _ := declared(rd, "lines_in_file", ""); l.Value != "33" || rd.Structure().PhysicalLines != 33 {
			t.Errorf("lines %q vs %d", l.Value, rd.Structure().PhysicalLines)
		}
	})
	t.Run("bandcamp non-sales", func(t *testing.T) {
		rd, rows := sample(t, "royaltyappv4_bandcamp.csv")
		if rd.Encoding() != "utf-16le" || len(rows) != 10 || rd.Structure().SkippedRows != 6 {
			t.Errorf("encoding %s, %d rows, %d skipped", rd.Encoding(), len(rows), rd.Structure().SkippedRows)
		}
		rd, rows = sample(t, "trackshift_bandcamp-non-ascii.csv")
		if len(rows) != 12 || len(rd.Skipped()) != 1 || rd.Skipped()[0].Line != 5 {
			t.Errorf("%d rows, skipped %+v", len(rows), rd.Skipped())
		}
	})
	t.Run("apple summary is rejected", func(t *testing.T) {
		f, err := os.Open(filepath.Join(realdata.Dir(t), "appleslicer_financial_report.csv"))
		if err != nil {
			t.Skip(err)
		}
		defer f.Close()
		if _, err := Open(f, Options{}); err == nil {
			t.Error("the payments summary opened as a report")
		}
	})
}
