package validate

import (
	"fmt"
	"strings"
)

// NormalizeGTIN returns the UPC, EAN or GTIN in s as a 14-digit GTIN: it
// strips a wrapper (see unwrapCode), spaces and hyphens, accepts 8, 12, 13
// or 14 digits, pads them with leading zeros to 14 and verifies the GS1
// mod-10 check digit. A trailing ".0" (a code that went through a
// floating-point column) is accepted because the digits are intact; a code
// in scientific notation (7.31453E+11) is refused because digits were lost.
// A code of all zeros is a placeholder and refused. The error wraps
// ErrEmpty, ErrSyntax, ErrScientificNotation or ErrCheckDigit.
func NormalizeGTIN(s string) (string, error) {
	var gtin [14]byte
	if err := gtinDigits(s, &gtin); err != nil {
		return "", err
	}
	return string(gtin[:]), nil
}

// gtinDigits is NormalizeGTIN writing the 14 digits into gtin.
func gtinDigits(s string, gtin *[14]byte) error {
	s = unwrapCode(s)
	if s == "" {
		return ErrEmpty
	}
	if isScientific(s) {
		return fmt.Errorf("%w: UPC %q is in scientific notation: a spreadsheet rounded it and the digits are lost", ErrScientificNotation, s)
	}
	var buf [14]byte
	n := 0
	digits := strings.TrimSuffix(s, ".0")
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		switch {
		case c == ' ' || c == '-':
			continue
		case !isDigit(c):
			return fmt.Errorf("%w: UPC %q has a character that is not a digit: %q", ErrSyntax, s, c)
		case n == len(buf):
			return fmt.Errorf("%w: UPC %q has more than 14 digits", ErrSyntax, s)
		}
		buf[n] = c
		n++
	}
	switch n {
	case 8, 12, 13, 14:
	default:
		return fmt.Errorf("%w: UPC %q has %d digits, want 8, 12, 13 or 14", ErrSyntax, s, n)
	}
	pad := 14 - n
	for i := 0; i < pad; i++ {
		gtin[i] = '0'
	}
	copy(gtin[pad:], buf[:n])
	if strings.Trim(string(gtin[:]), "0") == "" {
		return fmt.Errorf("%w: UPC %q is all zeros, a placeholder", ErrSyntax, s)
	}
	if want := gtinCheckDigit(string(gtin[:13])); gtin[13] != want {
		return fmt.Errorf("%w: UPC %q has check digit %c, want %c", ErrCheckDigit, s, gtin[13], want)
	}
	return nil
}

// gtinCheckDigit computes the GS1 mod-10 check digit of the digits in body:
// from the right, weights 3, 1, 3, 1...; the check digit brings the sum to a
// multiple of 10.
func gtinCheckDigit(body string) byte {
	sum := 0
	w := 3
	for i := len(body) - 1; i >= 0; i-- {
		sum += int(body[i]-'0') * w
		w = 4 - w
	}
	return byte('0' + (10-sum%10)%10)
}

// isScientific reports whether s looks like a number in scientific notation:
// digits, an optional fraction, then e or E and an exponent.
func isScientific(s string) bool {
	i := -1
	for j := 0; j < len(s); j++ {
		if s[j] == 'e' || s[j] == 'E' {
			i = j
			break
		}
	}
	if i <= 0 || i == len(s)-1 {
		return false
	}
	mant, exp := s[:i], s[i+1:]
	if exp[0] == '+' || exp[0] == '-' {
		exp = exp[1:]
	}
	if !allDigits(exp) {
		return false
	}
	mant = strings.TrimLeft(mant, "+-")
	digits := 0
	for j := 0; j < len(mant); j++ {
		switch {
		case isDigit(mant[j]):
			digits++
		case mant[j] == '.' || mant[j] == ',':
		default:
			return false
		}
	}
	return digits > 0
}
