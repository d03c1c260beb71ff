package validate

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeGTIN(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		err     error
		message string
	}{
		{in: "036000291452", want: "00036000291452"},                // UPC-A
		{in: "889176543517", want: "00889176543517"},                // Traxsource
		{in: "4006381333931", want: "04006381333931"},               // EAN-13
		{in: "96385074", want: "00000096385074"},                    // EAN-8
		{in: "00123456789012", want: "00123456789012"},              // GTIN-14 (ClicknClear)
		{in: `"036000291452"`, want: "00036000291452"},              // quoted (CD Baby)
		{in: `="036000291452"`, want: "00036000291452"},             // spreadsheet formula
		{in: "'036000291452", want: "00036000291452"},               // spreadsheet text marker
		{in: "0 36000 29145 2", want: "00036000291452"},             // spaces
		{in: "0-36000-29145-2", want: "00036000291452"},             // hyphens
		{in: "889176543517.0", want: "00889176543517"},              // float column
		{in: "731453000000", err: ErrCheckDigit, message: "want 1"}, // Orfium sample
		{in: "111111111111", err: ErrCheckDigit},                    // DistroKid placeholder
		{in: "880000000001", err: ErrCheckDigit},                    // CD Baby placeholder
		{in: "7.31453E+11", err: ErrScientificNotation, message: "scientific notation"},
		{in: "7,31453E+11", err: ErrScientificNotation},
		{in: "8.89177e11", err: ErrScientificNotation},
		{in: "2222222222", err: ErrSyntax, message: "10 digits"}, // royaltyappv4 sample
		{in: "12345678901", err: ErrSyntax, message: "11 digits"},
		{in: "123456789012345", err: ErrSyntax, message: "more than 14"},
		{in: "00000000000000", err: ErrSyntax, message: "placeholder"},
		{in: "000000000000", err: ErrSyntax, message: "placeholder"},
		{in: "03600029145X", err: ErrSyntax, message: "not a digit"},
		{in: "", err: ErrEmpty},
		{in: `""`, err: ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeGTIN(tt.in)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("NormalizeGTIN(%q) error = %v, want %v", tt.in, err, tt.err)
				}
				if !strings.Contains(err.Error(), tt.message) {
					t.Errorf("error %q does not mention %q", err, tt.message)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeGTIN(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}
