package validate

import "testing"

func BenchmarkValidate(b *testing.B) {
	v := New(Options{})
	l := typicalLine()
	b.ReportAllocs()
	b.SetBytes(int64(len("InStereo Recordings,Jul - 2017,,INS053,Dom G,Dom G - Work,USMKV1005301,2,Dom G,Work,Work DJ Dan & Mike Balance Remix,No,US,MP3,1.99,4.500,60.00,0.000,1.140,1,1.140270")))
	for b.Loop() {
		if _, rej := v.Validate(l, ingestTime); rej != nil {
			b.Fatal(rej)
		}
	}
}

// BenchmarkValidateAppleLine is a line with a return, slash dates and an
// alpha-2 territory.
func BenchmarkValidateAppleLine(b *testing.B) {
	v := New(Options{})
	l := typicalLine()
	l.PeriodStart, l.PeriodEnd = "08/31/2014", "09/27/2014"
	l.SaleType, l.Units, l.Amount = "R", "-1", "-12.17"
	l.Territory, l.Currency = "DE", "EUR"
	b.ReportAllocs()
	for b.Loop() {
		if _, rej := v.Validate(l, ingestTime); rej != nil {
			b.Fatal(rej)
		}
	}
}

func BenchmarkValidateRejected(b *testing.B) {
	v := New(Options{})
	l := typicalLine()
	l.UPC = "731453000000"
	b.ReportAllocs()
	for b.Loop() {
		if _, rej := v.Validate(l, ingestTime); rej == nil {
			b.Fatal("accepted")
		}
	}
}

func BenchmarkParseAmount(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseAmount("1.234,56", 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseDate("10/15/2023 12:00:00 AM", ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormalizeTerritoryName(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NormalizeTerritory("Korea, Republic of"); err != nil {
			b.Fatal(err)
		}
	}
}
