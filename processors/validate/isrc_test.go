package validate

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeISRC(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		known   bool
		err     error
		message string // substring of the error message
	}{
		{in: "USRC17607839", want: "USRC17607839", known: true},
		{in: "usx123000001", want: "USX123000001", known: true},
		{in: "US-RC1-76-07839", want: "USRC17607839", known: true},
		{in: "US RC1 76 07839", want: "USRC17607839", known: true},
		{in: "US.RC1.76.07839", want: "USRC17607839", known: true},
		{in: "ISRC US-RC1-76-07839", want: "USRC17607839", known: true},
		{in: "ISRC:USRC17607839", want: "USRC17607839", known: true},
		{in: "isrc usrc17607839", want: "USRC17607839", known: true},
		{in: `"GBUM70602587"`, want: "GBUM70602587", known: true},
		{in: "  GBF089601184 ", want: "GBF089601184", known: true},
		// Iceland, registrant RCA: the "ISRC" prefix is not stripped from a
		// 12-character code.
		{in: "ISRCA1234567", want: "ISRCA1234567", known: true},
		// IFPI special codes.
		{in: "QMABC1200001", want: "QMABC1200001", known: true},
		{in: "QZES81800001", want: "QZES81800001", known: true},
		{in: "ZZABC0700001", want: "ZZABC0700001", known: true},
		{in: "UKABC9900001", want: "UKABC9900001", known: true},
		{in: "CPABC0000001", want: "CPABC0000001", known: true},
		{in: "DGABC0000001", want: "DGABC0000001", known: true},
		{in: "TCABC0000001", want: "TCABC0000001", known: true},
		{in: "YUABC0500001", want: "YUABC0500001", known: true},
		// Well-formed, unallocated country codes (DistroKid placeholders).
		{in: "AAAAA1234567", want: "AAAAA1234567", known: false},
		{in: "BBBBB1234567", want: "BBBBB1234567", known: true}, // BB is Barbados
		{in: "OOABC1200001", want: "OOABC1200001", known: false},
		{in: "XXABC1200001", want: "XXABC1200001", known: false},
		// Invalid.
		{in: "", err: ErrEmpty},
		{in: "844185059862", err: ErrSyntax, message: "looks like a UPC"},
		{in: "0844185059862", err: ErrSyntax, message: "looks like an EAN"},
		{in: "USRC1760783", err: ErrSyntax, message: "11 characters"},
		{in: "USRC176078390", err: ErrSyntax, message: "13 characters"},
		{in: "1SRC17607839", err: ErrSyntax},
		{in: "USRC1A607839", err: ErrSyntax},
		{in: "USR_17607839", err: ErrSyntax},
		{in: "USRC17607839X", err: ErrSyntax},
		{in: "ÜSRC17607839", err: ErrSyntax},
		{in: strings.Repeat("A", 40), err: ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, known, err := NormalizeISRC(tt.in)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("NormalizeISRC(%q) error = %v, want %v", tt.in, err, tt.err)
				}
				if !strings.Contains(err.Error(), tt.message) {
					t.Errorf("error %q does not mention %q", err, tt.message)
				}
				if tt.in != "" && !strings.Contains(err.Error(), tt.in) {
					t.Errorf("error %q does not quote the value", err)
				}
				return
			}
			if err != nil || got != tt.want || known != tt.known {
				t.Fatalf("NormalizeISRC(%q) = %q, %v, %v; want %q, %v", tt.in, got, known, err, tt.want, tt.known)
			}
		})
	}
}

func TestISRCCountriesIncludeISO(t *testing.T) {
	for _, c := range countries {
		if !isrcCountries[alpha2Index(c.alpha2)] {
			t.Errorf("ISO country %s is not an ISRC country code", c.alpha2)
		}
	}
}
