package validate

import "fmt"

// WarnUnknownISRCRegistrant is the warning code of an ISRC whose first two
// characters are not an allocated ISRC country code. The ISRC is kept: the
// code elements carry no meaning once assigned, and a wrong prefix is a
// finding for the label, not a reason to drop the usage.
const WarnUnknownISRCRegistrant = "unknown_isrc_registrant"

// isrcSpecialCountries are ISRC country codes that are not, or are no
// longer, ISO 3166-1 alpha-2 codes but have ISRCs allocated under them.
// Source: the International ISRC Agency's list of valid characters for
// element 1 (ISRC Bulletin 2015/01, updated 2021) and its 2007 bulletin on
// ZZ.
var isrcSpecialCountries = [...]string{
	"BC", "BK", "BP", "BX", // Pro-Música Brazil
	"CB",       // Connect, Canada
	"CP", "DG", // reserved by the International ISRC Agency for overflow
	"FX",       // SCPP, France
	"GX", "UK", // PPL, United Kingdom
	"KS",             // KMCA, South Korea
	"QM", "QT", "QZ", // RIAA, United States, after the US codes ran out
	"QN", "ZZ", // allocated by the International ISRC Agency itself
	"XK", // Kosovo
	"YU", // former Yugoslavia, before 2006
	"ZB", // RISA, South Africa
	// Former ISO 3166-1 codes in force while ISRCs were allocated (ISRCs are
	// permanent, so codes allocated under them stay valid).
	"AN", "BU", "CS", "DD", "SU", "TP", "ZR",
}

// isrcCountries[i] is true when the two letters with index i (see
// alpha2Index) are an allocated ISRC country code.
var isrcCountries = func() (t [26 * 26]bool) {
	for i := range countries {
		t[alpha2Index(countries[i].alpha2)] = true
	}
	for _, c := range isrcSpecialCountries {
		t[alpha2Index(c)] = true
	}
	return t
}()

// NormalizeISRC returns the ISRC in s as 12 upper-case characters without
// separators. It strips a wrapper (see unwrapCode), hyphens, spaces and dots
// and a leading "ISRC" or "ISRC:" prefix, and upper-cases letters; the result
// must be 2 letters, 3 letters or digits, 2 digits and 5 digits. known
// reports whether the first two letters are an allocated ISRC country code.
// The error wraps ErrEmpty or ErrSyntax.
func NormalizeISRC(s string) (isrc string, known bool, err error) {
	s = unwrapCode(s)
	if s == "" {
		return "", false, ErrEmpty
	}
	if isISRCShape(s) && isUpper(s[0]) && isUpper(s[1]) && !hasLower(s) {
		return s, isrcCountries[alpha2Index(s)], nil
	}
	var buf [24]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '-' || c == '.' {
			continue
		}
		if n == len(buf) {
			return "", false, isrcSyntax(s, n+len(s)-i)
		}
		buf[n] = upper(c)
		n++
	}
	b := buf[:n]
	switch {
	case n == 17 && string(b[:5]) == "ISRC:":
		b = b[5:]
	case n == 16 && string(b[:4]) == "ISRC":
		b = b[4:]
	}
	if !isISRCShape(string(b)) {
		return "", false, isrcSyntax(s, len(b))
	}
	isrc = string(b)
	return isrc, isrcCountries[alpha2Index(isrc)], nil
}

func isrcSyntax(orig string, n int) error {
	if n == 12 && allDigitsIgnoring(orig) {
		return fmt.Errorf("%w: ISRC %q is 12 digits: it looks like a UPC, not an ISRC", ErrSyntax, orig)
	}
	if n == 13 && allDigitsIgnoring(orig) {
		return fmt.Errorf("%w: ISRC %q is 13 digits: it looks like an EAN, not an ISRC", ErrSyntax, orig)
	}
	if n != 12 {
		return fmt.Errorf("%w: ISRC %q has %d characters without separators, want 12", ErrSyntax, orig, n)
	}
	return fmt.Errorf("%w: ISRC %q is not 2 letters, 3 letters or digits, 2 digits and 5 digits", ErrSyntax, orig)
}

// isISRCShape reports whether s is CC XXX YY NNNNN with letters of either
// case in CC and XXX.
func isISRCShape(s string) bool {
	if len(s) != 12 || !isLetter(s[0]) || !isLetter(s[1]) {
		return false
	}
	for i := 2; i < 5; i++ {
		if !isLetter(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	for i := 5; i < 12; i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func hasLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			return true
		}
	}
	return false
}

// allDigitsIgnoring reports whether s is digits apart from spaces, hyphens
// and dots.
func allDigitsIgnoring(s string) bool {
	seen := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			seen = true
		case c == ' ' || c == '-' || c == '.':
		default:
			return false
		}
	}
	return seen
}

// alpha2Index maps two ASCII letters of either case to 0..675; s must start
// with two letters.
func alpha2Index(s string) int {
	return int(upper(s[0])-'A')*26 + int(upper(s[1])-'A')
}
