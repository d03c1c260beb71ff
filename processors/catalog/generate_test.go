package catalog

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
)

var (
	isrcRe = regexp.MustCompile(`^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$`)
	iswcRe = regexp.MustCompile(`^T[0-9]{10}$`)
	gtinRe = regexp.MustCompile(`^[0-9]{14}$`)
)

func TestCheckDigits(t *testing.T) {
	// Published examples: ISWC T-034.524.680-1; the ClicknClear sample's
	// T3452468001 should end in 3; GTIN-13 4006381333931 (GS1 example)
	// and UPC-A 036000291452.
	if d := ISWCCheckDigit("034524680"); d != 1 {
		t.Errorf("ISWC check = %d, want 1", d)
	}
	if d := ISWCCheckDigit("345246800"); d != 3 {
		t.Errorf("ISWC check = %d, want 3", d)
	}
	if d := GS1CheckDigit("400638133393"); d != 1 {
		t.Errorf("GTIN-13 check = %d, want 1", d)
	}
	if d := GS1CheckDigit("03600029145"); d != 2 {
		t.Errorf("UPC-A check = %d, want 2", d)
	}
	if d := GS1CheckDigit("0003600029145"); d != 2 {
		t.Errorf("GTIN-14 check = %d, want 2", d)
	}
}

func TestGenerate(t *testing.T) {
	const n = 20000
	seen := map[string]bool{}
	releases := map[string]int{}
	withISWC, withVersion := 0, 0
	i := 0
	for rec := range Generate(n, 42) {
		i++
		if !isrcRe.MatchString(rec.ISRC) {
			t.Fatalf("bad ISRC %q", rec.ISRC)
		}
		if seen[rec.ISRC] {
			t.Fatalf("duplicate ISRC %q", rec.ISRC)
		}
		seen[rec.ISRC] = true
		if rec.UPC != nil {
			u := *rec.UPC
			if !gtinRe.MatchString(u) || GS1CheckDigit(u[:13]) != int(u[13]-'0') {
				t.Fatalf("bad GTIN %q", u)
			}
			releases[u]++
		}
		if rec.ISWC != nil {
			w := *rec.ISWC
			if !iswcRe.MatchString(w) || strconv.Itoa(ISWCCheckDigit(w[1:10])) != w[10:] {
				t.Fatalf("bad ISWC %q", w)
			}
			withISWC++
		}
		if rec.VersionTitle != nil {
			withVersion++
		}
		sum := decimal.Zero
		for _, s := range rec.Splits {
			if !s.Share.IsPositive() || -s.Share.Exponent() > 8 {
				t.Fatalf("bad share %s", s.Share)
			}
			sum = sum.Add(s.Share)
		}
		if !sum.Equal(decimal.NewFromInt(1)) {
			t.Fatalf("%s splits sum to %s", rec.ISRC, sum)
		}
		if rec.Title == "" || len(rec.Artists) == 0 || rec.Version != 1 {
			t.Fatalf("incomplete record %+v", rec)
		}
	}
	if i != n {
		t.Fatalf("generated %d records", i)
	}
	if withISWC < n*8/10 || withVersion < n/20 || len(releases) < n/20 {
		t.Errorf("distribution: iswc %d version %d releases %d", withISWC, withVersion, len(releases))
	}
	// Deterministic per seed, and a prefix of a longer run.
	var a, b []string
	for rec := range Generate(100, 7) {
		a = append(a, rec.ISRC+rec.Title)
	}
	for rec := range Generate(200, 7) {
		b = append(b, rec.ISRC+rec.Title)
	}
	for k := range a {
		if a[k] != b[k] {
			t.Fatalf("record %d differs between runs", k)
		}
	}
}

func TestGeneratedRecordsEncode(t *testing.T) {
	c, _ := newTestCatalog(t, 100)
	for rec := range Generate(500, 3) {
		if _, err := c.Apply(rec); err != nil {
			t.Fatal(err)
		}
	}
	for rec := range Generate(500, 3) {
		got, ok, err := c.Current(rec.ISRC)
		if err != nil || !ok || got.Title != rec.Title {
			t.Fatalf("%s: %v %v %q", rec.ISRC, ok, err, got.Title)
		}
	}
}
