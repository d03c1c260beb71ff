package validate

import (
	"errors"
	"testing"
)

func TestNormalizeCurrency(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  error
	}{
		{in: "USD", want: "USD"},
		{in: "eur", want: "EUR"},
		{in: " Gbp ", want: "GBP"},
		{in: "JPY", want: "JPY"},
		{in: "CHF", want: "CHF"},
		{in: "XCG", want: "XCG"},
		{in: "ZWG", want: "ZWG"},
		// Withdrawn codes that DDEX reports may still use.
		{in: "DEM", want: "DEM"},
		{in: "FRF", want: "FRF"},
		{in: "ITL", want: "ITL"},
		{in: "NLG", want: "NLG"},
		{in: "HRK", want: "HRK"},
		{in: "VEF", want: "VEF"},
		{in: "LTL", want: "LTL"},
		{in: "XEU", want: "XEU"},
		{in: "", err: ErrEmpty},
		{in: "XXX", err: ErrUnknownCode},
		{in: "XTS", err: ErrUnknownCode},
		{in: "ABC", err: ErrUnknownCode},
		{in: "US", err: ErrSyntax},
		{in: "USDD", err: ErrSyntax},
		{in: "$", err: ErrSyntax},
		{in: "US1", err: ErrSyntax},
		{in: "€", err: ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeCurrency(tt.in)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("NormalizeCurrency(%q) = %q, %v; want error %v", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeCurrency(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCurrencyTablesDisjoint(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range activeCurrencies {
		if seen[c] {
			t.Errorf("active currency %s listed twice", c)
		}
		seen[c] = true
	}
	for _, c := range withdrawnCurrencies {
		if seen[c] {
			t.Errorf("currency %s listed twice or both active and withdrawn", c)
		}
		seen[c] = true
	}
}
