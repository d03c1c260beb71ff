package validate

import "fmt"

// NormalizeISWC returns the ISWC in s as "T" followed by 10 digits: it
// strips a wrapper (see unwrapCode), a leading "ISWC" prefix, hyphens, dots
// and spaces, upper-cases the T and verifies the check digit (T-034.524.680-1
// and T0345246801 both give T0345246801). The error wraps ErrEmpty,
// ErrSyntax or ErrCheckDigit.
func NormalizeISWC(s string) (string, error) {
	s = unwrapCode(s)
	if s == "" {
		return "", ErrEmpty
	}
	var buf [11]byte
	n := 0
	body := s
	if len(body) > 4 && (body[:4] == "ISWC" || body[:4] == "iswc") {
		body = body[4:]
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == ' ' || c == '-' || c == '.' || (c == ':' && n == 0):
			continue
		case n == len(buf):
			return "", fmt.Errorf("%w: ISWC %q has more than 11 characters without separators", ErrSyntax, s)
		case n == 0 && (c == 'T' || c == 't'):
			buf[n] = 'T'
		case n > 0 && isDigit(c):
			buf[n] = c
		default:
			return "", fmt.Errorf("%w: ISWC %q is not T followed by 10 digits", ErrSyntax, s)
		}
		n++
	}
	if n != len(buf) {
		return "", fmt.Errorf("%w: ISWC %q is not T followed by 10 digits", ErrSyntax, s)
	}
	want := iswcCheckDigit(buf[1:10])
	if buf[10] != want {
		return "", fmt.Errorf("%w: ISWC %q has check digit %c, want %c", ErrCheckDigit, s, buf[10], want)
	}
	return string(buf[:]), nil
}

// iswcCheckDigit computes the ISWC check digit of the nine digits d1..d9:
// (10 - (1 + sum(i*di)) mod 10) mod 10, where the 1 stands for the T.
func iswcCheckDigit(digits []byte) byte {
	sum := 1
	for i, c := range digits {
		sum += (i + 1) * int(c-'0')
	}
	return byte('0' + (10-sum%10)%10)
}
