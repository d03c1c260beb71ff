package validate

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeISWC(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		err     error
		message string
	}{
		{in: "T-034.524.680-1", want: "T0345246801"},
		{in: "T0345246801", want: "T0345246801"},
		{in: "t-034.524.680-1", want: "T0345246801"},
		{in: "T 034 524 680 1", want: "T0345246801"},
		{in: "ISWC T-034.524.680-1", want: "T0345246801"},
		{in: "ISWC:T0345246801", want: "T0345246801"},
		{in: "T3452468003", want: "T3452468003"},
		// ClicknClear sample: the check digit should be 3.
		{in: "T3452468001", err: ErrCheckDigit, message: "want 3"},
		{in: "T-034.524.680-2", err: ErrCheckDigit, message: "want 1"},
		{in: "0345246801", err: ErrSyntax},
		{in: "T034524680", err: ErrSyntax},
		{in: "T03452468011", err: ErrSyntax},
		{in: "T03452468O1", err: ErrSyntax},
		{in: "X0345246801", err: ErrSyntax},
		{in: "", err: ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeISWC(tt.in)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("NormalizeISWC(%q) error = %v, want %v", tt.in, err, tt.err)
				}
				if !strings.Contains(err.Error(), tt.message) {
					t.Errorf("error %q does not mention %q", err, tt.message)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeISWC(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestISWCCheckDigitAlgorithm(t *testing.T) {
	// T-034.524.680-1: 1 + 1*0 + 2*3 + 3*4 + 4*5 + 5*2 + 6*4 + 7*6 + 8*8 + 9*0
	// = 179; (10 - 9) mod 10 = 1.
	if got := iswcCheckDigit([]byte("034524680")); got != '1' {
		t.Errorf("check digit of T-034.524.680 = %c, want 1", got)
	}
	// T-345.246.800: 1 + 3 + 8 + 15 + 8 + 20 + 36 + 56 + 0 + 0 = 147 -> 3.
	if got := iswcCheckDigit([]byte("345246800")); got != '3' {
		t.Errorf("check digit of T-345.246.800 = %c, want 3", got)
	}
}
