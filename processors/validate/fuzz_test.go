package validate

import (
	"strconv"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
)

var amountSeeds = []string{
	"0.941270", "-12.17", "(68.01)", "68.01-", "1,234.56", "1.234,56", "1 234,56", "1'234.56",
	"1,234", "1,5", "$1.00", "1.00 USD", "(EUR 2)", "7.31453E+11", "0.0109342004484751",
	"12,34,567.89", "−68.01", "1\u00a0234,56", "", ".", "-", "()", "99999999999999999999999.999999999999999",
}

func styleOf(sel byte) (dec, thou byte) {
	switch sel % 5 {
	case 1:
		return '.', 0
	case 2:
		return ',', 0
	case 3:
		return '.', ','
	case 4:
		return ',', '.'
	}
	return 0, 0
}

func FuzzParseAmount(f *testing.F) {
	for i, s := range amountSeeds {
		f.Add(s, byte(i))
	}
	f.Fuzz(func(t *testing.T, s string, sel byte) {
		dec, thou := styleOf(sel)
		d, err := ParseAmount(s, dec, thou)
		if err != nil {
			return
		}
		if d.Exponent() > 0 || d.Exponent() < -maxFractionDigits {
			t.Fatalf("ParseAmount(%q) exponent %d", s, d.Exponent())
		}
		if n := len(d.Coefficient().String()); n > 39 { // 38 digits and a sign
			t.Fatalf("ParseAmount(%q) has %d digits", s, n)
		}
		text := d.String()
		back, err := ParseAmount(text, '.', 0)
		if err != nil {
			t.Fatalf("ParseAmount(%q) = %s, which does not parse back: %v", s, text, err)
		}
		if !back.Equal(d) {
			t.Fatalf("ParseAmount(%q) = %s, parsed back as %s", s, d, back)
		}
	})
}

func FuzzParseUnits(f *testing.F) {
	for i, s := range []string{"1", "-1", "(3)", "1,234", "1.234", "1.0", "1.5", "9223372036854775807", "9223372036854775808", "1 234", "1e3", ""} {
		f.Add(s, byte(i))
	}
	f.Fuzz(func(t *testing.T, s string, sel byte) {
		dec, thou := styleOf(sel)
		n, err := ParseUnits(s, dec, thou)
		if err != nil {
			return
		}
		text := strconv.FormatInt(n, 10)
		back, err := ParseUnits(text, 0, 0)
		if err != nil || back != n {
			t.Fatalf("ParseUnits(%q) = %d, parsed back as %d, %v", s, n, back, err)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2015-10-01", "20151001", "10/15/2023 12:00:00 AM", "15.10.2023", "2015-10", "2017M10",
		"Jul - 2017", "July 2017", "2015-Q4", "2015Q4", "Q4 2015", "2015-10-01T00:00:00Z",
		"2015-10-01--2015-12-31", "2015-10-01/2015-12-31", "2023-03-31T23:59:59.999+01:00", "Jul 15, 2017",
		"15-Jul-2017", "201510", "07/2017", "20160121T150926", "",
	} {
		for _, o := range []string{"", OrderDMY} {
			f.Add(s, o)
		}
	}
	f.Fuzz(func(t *testing.T, s, order string) {
		first, last, err := ParseDate(s, order)
		if err != nil {
			return
		}
		if last.Before(first) {
			t.Fatalf("ParseDate(%q) = %v..%v: ends before it starts", s, first, last)
		}
		for _, d := range []time.Time{first, last} {
			if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
				t.Fatalf("ParseDate(%q) = %v: not a UTC midnight", s, d)
			}
			if d.Year() < minYear || d.Year() > maxYear {
				t.Fatalf("ParseDate(%q) = %v: year out of range", s, d)
			}
		}
		text := first.Format(time.DateOnly)
		a, b, err := ParseDate(text, order)
		if err != nil || !a.Equal(first) || !b.Equal(first) {
			t.Fatalf("ParseDate(%q) starts %s, which parses back as %v..%v, %v", s, text, a, b, err)
		}
	})
}

func FuzzISRC(f *testing.F) {
	for _, s := range []string{"USRC17607839", "usx123000001", "ISRC US-RC1-76-07839", "ISRC:USRC17607839", "844185059862", "ISRCA1234567", `"GBUM70602587"`, ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		isrc, known, err := NormalizeISRC(s)
		if err != nil {
			return
		}
		if !isISRCShape(isrc) || hasLower(isrc) {
			t.Fatalf("NormalizeISRC(%q) = %q: not canonical", s, isrc)
		}
		again, known2, err := NormalizeISRC(isrc)
		if err != nil || again != isrc || known2 != known {
			t.Fatalf("NormalizeISRC(%q) = %q, which normalises to %q, %v", s, isrc, again, err)
		}
	})
}

func FuzzGTIN(f *testing.F) {
	for _, s := range []string{"036000291452", "4006381333931", "96385074", "00123456789012", `"880000000001"`, `="036000291452"`, "7.31453E+11", "889176543517.0", "0-36000-29145-2", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gtin, err := NormalizeGTIN(s)
		if err != nil {
			return
		}
		if len(gtin) != 14 || !allDigits(gtin) || gtinCheckDigit(gtin[:13]) != gtin[13] {
			t.Fatalf("NormalizeGTIN(%q) = %q: not a valid GTIN-14", s, gtin)
		}
		again, err := NormalizeGTIN(gtin)
		if err != nil || again != gtin {
			t.Fatalf("NormalizeGTIN(%q) = %q, which normalises to %q, %v", s, gtin, again, err)
		}
	})
}

// FuzzValidate feeds arbitrary cells to Validate: it never panics, and it
// either accepts with a well-formed event or rejects with one known reason.
func FuzzValidate(f *testing.F) {
	f.Add("USMKV1005301", "889176543517", "T0345246801", "US", "USD", "1", "1.140270", "Jul - 2017", "", "Sale")
	f.Add("844185059862", "", "", "GBR", "", "(3)", "$1.00 USD", "08/31/2014", "09/27/2014", "R")
	f.Add("", "7.31453E+11", "T3452468001", "2136", "EUR", "1,234", "1.234,56", "2015-Q4", "", "Void")
	reasons := map[string]bool{
		avro.ReasonMalformedRow: true, avro.ReasonMissingField: true, avro.ReasonInvalidISRC: true,
		avro.ReasonInvalidUPC: true, avro.ReasonInvalidISWC: true, avro.ReasonInvalidTerritory: true,
		avro.ReasonInvalidCurrency: true, avro.ReasonInvalidNumber: true, avro.ReasonInvalidDate: true,
	}
	v := New(Options{})
	f.Fuzz(func(t *testing.T, isrc, upc, iswc, territory, currency, units, amount, start, end, saleType string) {
		l := &Line{
			Source: avro.Source{FileSHA256: "ab", Line: 1}, DSP: "X", TrackTitle: "T",
			ISRC: isrc, UPC: upc, ISWC: iswc, Territory: territory, Currency: currency,
			Units: units, Amount: amount, PeriodStart: start, PeriodEnd: end, SaleType: saleType,
		}
		e, rej := v.Validate(l, time.Time{})
		if rej != nil {
			if !reasons[rej.Reason] || rej.Message == "" {
				t.Fatalf("rejection %+v", rej)
			}
			return
		}
		if len(e.Territory) != 2 || len(e.Currency) != 3 || e.PeriodEnd.Before(e.PeriodStart) || e.EventID != "ab:1" {
			t.Fatalf("event %+v", e)
		}
		if IsReturn(saleType) && (e.Units > 0 || e.Revenue.Sign() > 0) {
			t.Fatalf("return with positive values: %+v", e)
		}
	})
}
