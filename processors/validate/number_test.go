package validate

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in      string
		dec, th byte
		want    string // decimal.String of the result
		wantExp int32  // exponent, when not 0 check it (digits kept)
		err     error
		message string
	}{
		// Plain decimals as machine exports write them.
		{in: "0.941270", want: "0.94127", wantExp: -6},
		{in: "0.00789993", want: "0.00789993", wantExp: -8},
		{in: "12.17", want: "12.17"},
		{in: "179", want: "179"},
		{in: "-12.17", want: "-12.17"},
		{in: "+12.17", want: "12.17"},
		{in: ".5", want: "0.5"},
		{in: "5.", want: "5"},
		{in: "007.50", want: "7.5", wantExp: -2},
		{in: "-0.00", want: "0"},
		// 15 fractional digits keep every digit (sddigital prices).
		{in: "0.012863765233", want: "0.012863765233"},
		{in: "0.010934200448475", want: "0.010934200448475", wantExp: -15},
		{in: "123456789.123456789012345", want: "123456789.123456789012345"},
		// Trailing zeros beyond 15 carry no information.
		{in: "1.1000000000000000000", want: "1.1"},
		// 16 significant fractional digits do not fit the wire format.
		{in: "0.0109342004484751", err: ErrFractionDigits, message: "16 fractional digits"},
		{in: "1.0000000000000001", err: ErrFractionDigits},
		// Decimal commas and thousands separators, with hints.
		{in: "1,5", dec: ',', want: "1.5"},
		{in: "1.234,56", dec: ',', want: "1234.56"},
		{in: "1.234.567,89", dec: ',', want: "1234567.89"},
		{in: "1,234.56", dec: '.', want: "1234.56"},
		{in: "1,234", dec: '.', want: "1234"},
		{in: "1.234", dec: ',', want: "1234"},
		{in: "1.234", th: '.', want: "1234"},
		{in: "1,234", th: ',', want: "1234"},
		{in: "1 234,56", dec: ',', want: "1234.56"},
		{in: "1\u00a0234,56", dec: ',', want: "1234.56"},
		{in: "1\u202f234,56", want: "1234.56"},
		{in: "1'234.56", dec: '.', want: "1234.56"},
		{in: "1’234.56", want: "1234.56"},
		{in: "12,34,567.89", dec: '.', want: "1234567.89"}, // Indian grouping
		{in: "1,234.56", dec: ',', err: ErrSyntax},
		{in: "1.234,56", dec: '.', err: ErrSyntax},
		{in: "1,23.4", dec: '.', err: ErrSyntax},
		{in: "1,2345.6", dec: '.', err: ErrSyntax},
		{in: "1234,567.8", dec: '.', err: ErrSyntax},
		{in: ",123.4", dec: '.', err: ErrSyntax},
		{in: "1,,234.5", dec: '.', err: ErrSyntax},
		{in: "1,234,.5", dec: '.', err: ErrSyntax},
		{in: "1.5.6", dec: '.', err: ErrSyntax},
		{in: "1,234,56,789.0", dec: '.', err: ErrSyntax},
		{in: "1.234 567,5", dec: ',', err: ErrSyntax},
		{in: "1 234'567", err: ErrSyntax},
		// Sniffed styles (no hint).
		{in: "1,234.56", want: "1234.56"},
		{in: "1.234,56", want: "1234.56"},
		{in: "1,234,567", want: "1234567"},
		{in: "1.234.567", want: "1234567"},
		{in: "1 234,56", want: "1234.56"},
		{in: "1 234.56", want: "1234.56"},
		{in: "1,5", want: "1.5"},
		{in: "0,941", want: "0.941"},
		{in: "1234,567", want: "1234.567"},
		{in: "1,2345", want: "1.2345"},
		{in: "1.234", want: "1.234"}, // a lone '.' is a decimal point
		{in: "1,234", err: ErrAmbiguousNumber, message: "decimal separator"},
		{in: "-999,000", err: ErrAmbiguousNumber},
		{in: "1.234,567.8", err: ErrSyntax},
		{in: "1,234.567,8", err: ErrSyntax},
		// Negatives.
		{in: "(68.01)", want: "-68.01"},
		{in: "( 68.01 )", want: "-68.01"},
		{in: "68.01-", want: "-68.01"},
		{in: "−68.01", want: "-68.01"},
		{in: "(1.234,56)", dec: ',', want: "-1234.56"},
		{in: "(-68.01)", err: ErrSyntax},
		{in: "-(68.01)", err: ErrSyntax},
		{in: "--1", err: ErrSyntax},
		{in: "-1-", err: ErrSyntax},
		{in: "-", err: ErrSyntax},
		{in: "()", err: ErrSyntax},
		// Currency symbols and codes.
		{in: "$1.00", want: "1"},
		{in: "-$1.00", want: "-1"},
		{in: "$-1.00", want: "-1"},
		{in: "($1.00)", want: "-1"},
		{in: "1,50 €", want: "1.5"},
		{in: "€1.234,50", want: "1234.5"},
		{in: "£0.99", want: "0.99"},
		{in: "US$ 2.50", want: "2.5"},
		{in: "1.00 USD", want: "1"},
		{in: "USD 1.00", want: "1"},
		{in: "EUR-5", want: "-5"},
		{in: "(1.00) USD", want: "-1"},
		{in: "1.00USD", want: "1"},
		{in: "1.00 usd", err: ErrSyntax},
		{in: "1.00 ABC", err: ErrSyntax},
		{in: "$$1", err: ErrSyntax},
		// Scientific notation is refused.
		{in: "1.5E+3", err: ErrScientificNotation},
		{in: "1e-7", err: ErrScientificNotation},
		{in: "7.31453E+11", err: ErrScientificNotation},
		// Size.
		{in: "12345678901234567890123.5", want: "12345678901234567890123.5"},
		{in: "123456789012345678901234", err: ErrRange},
		{in: "99999999999999999999999.999999999999999", want: "99999999999999999999999.999999999999999"},
		// Garbage.
		{in: "", err: ErrEmpty},
		{in: "   ", err: ErrEmpty},
		{in: `""`, err: ErrEmpty},
		{in: `" "`, err: ErrEmpty},
		{in: `"1,234.50"`, want: "1234.5"},
		{in: ".", err: ErrSyntax},
		{in: "abc", err: ErrSyntax},
		{in: "1.2.3.4,5", err: ErrSyntax},
		{in: "12a", err: ErrSyntax},
		{in: "0x10", err: ErrSyntax},
		{in: "1_000", err: ErrSyntax},
		{in: "NaN", err: ErrSyntax},
		{in: "Inf", err: ErrSyntax},
		{in: "1 2", err: ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAmount(tt.in, tt.dec, tt.th)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("ParseAmount(%q, %q, %q) = %s, %v; want error %v", tt.in, tt.dec, tt.th, got, err, tt.err)
				}
				if !strings.Contains(err.Error(), tt.message) {
					t.Errorf("error %q does not mention %q", err, tt.message)
				}
				if tt.err != ErrEmpty && !strings.Contains(err.Error(), strconv.Quote(tt.in)) {
					t.Errorf("error %q does not quote the value", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseAmount(%q, %q, %q): %v", tt.in, tt.dec, tt.th, err)
			}
			if got.String() != tt.want {
				t.Errorf("ParseAmount(%q, %q, %q) = %s, want %s", tt.in, tt.dec, tt.th, got, tt.want)
			}
			if tt.wantExp != 0 && got.Exponent() != tt.wantExp {
				t.Errorf("ParseAmount(%q) exponent = %d, want %d", tt.in, got.Exponent(), tt.wantExp)
			}
		})
	}
}

func TestParseAmountExactSums(t *testing.T) {
	a, err := ParseAmount("0.1", '.', 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseAmount("0.2", '.', 0)
	if err != nil {
		t.Fatal(err)
	}
	if sum := a.Add(b); !sum.Equal(decimal.RequireFromString("0.3")) {
		t.Errorf("0.1 + 0.2 = %s, want exactly 0.3", sum)
	}
	// The Traxsource Amount Due column sums to 498.665080 exactly.
	total := decimal.Zero
	for _, s := range []string{"0.941270", "1.140270", "0.941270", "0.941270"} {
		d, err := ParseAmount(s, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		total = total.Add(d)
	}
	if !total.Equal(decimal.RequireFromString("3.96408")) {
		t.Errorf("sum = %s", total)
	}
}

func TestParseUnits(t *testing.T) {
	tests := []struct {
		in      string
		dec, th byte
		want    int64
		err     error
	}{
		{in: "1", want: 1},
		{in: "14", want: 14},
		{in: "-1", want: -1},
		{in: "1-", want: -1},
		{in: "(3)", want: -3},
		{in: "+2", want: 2},
		{in: "0", want: 0},
		{in: "1.0", want: 1},
		{in: "2.00", want: 2},
		{in: "1,0", want: 1},
		{in: "1,234", dec: '.', want: 1234},
		{in: "1.234", dec: ',', want: 1234},
		{in: "1 234", want: 1234},
		{in: "1,234,567", want: 1234567},
		{in: "1.234.567", want: 1234567},
		{in: "1,234.00", want: 1234},
		{in: "9223372036854775807", want: 9223372036854775807},
		{in: "-9223372036854775807", want: -9223372036854775807},
		{in: "1.5", err: ErrNotWhole},
		{in: "0.1", err: ErrNotWhole},
		{in: "1,5", err: ErrNotWhole},
		{in: "1,234", err: ErrAmbiguousNumber},
		{in: "9223372036854775808", err: ErrRange},
		{in: "99999999999999999999", err: ErrRange},
		{in: "$1", err: ErrSyntax},
		{in: "1 USD", err: ErrSyntax},
		{in: "1e3", err: ErrScientificNotation},
		{in: "", err: ErrEmpty},
		{in: "one", err: ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseUnits(tt.in, tt.dec, tt.th)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("ParseUnits(%q) = %d, %v; want error %v", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseUnits(%q, %q, %q) = %d, %v; want %d", tt.in, tt.dec, tt.th, got, err, tt.want)
			}
		})
	}
}
