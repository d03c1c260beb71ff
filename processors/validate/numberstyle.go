package validate

import (
	"fmt"
	"unicode/utf8"
)

// Kinds of grouping separator other than '.' and ','.
const (
	groupSpace      = ' '  // space, no-break space, narrow no-break space, thin space
	groupApostrophe = '\'' // ' or ’
)

// classify returns the separator class of the rune r at the start of s and
// its length: '.', ',', groupSpace, groupApostrophe, a digit itself, or 0
// for anything else.
func classify(s string) (byte, int) {
	c := s[0]
	if c < utf8.RuneSelf {
		switch {
		case isDigit(c), c == '.', c == ',', c == '\'':
			return c, 1
		case c == ' ':
			return groupSpace, 1
		}
		return 0, 1
	}
	r, n := utf8.DecodeRuneInString(s)
	switch r {
	case '\u00a0', '\u202f', '\u2009':
		return groupSpace, n
	case '’':
		return groupApostrophe, n
	}
	return 0, n
}

// numberStyle decides which separator in core is the decimal separator
// (0: none) and which one groups digits (0: none).
func numberStyle(core, orig string, decimalSep, thousandsSep byte) (dec, group byte, err error) {
	var dots, commas, others int
	var lastDot, lastComma int
	var other byte
	for i := 0; i < len(core); {
		c, n := classify(core[i:])
		switch c {
		case 0:
			r, _ := utf8.DecodeRuneInString(core[i:])
			return 0, 0, fmt.Errorf("%w: %q has an unexpected character %q", ErrSyntax, orig, r)
		case '.':
			dots++
			lastDot = i
		case ',':
			commas++
			lastComma = i
		case groupSpace, groupApostrophe:
			if others > 0 && other != c {
				return 0, 0, fmt.Errorf("%w: %q mixes digit group separators", ErrSyntax, orig)
			}
			others++
			other = c
		}
		i += n
	}
	switch {
	case decimalSep == 0 && thousandsSep == '.':
		decimalSep = ','
	case decimalSep == 0 && thousandsSep == ',':
		decimalSep = '.'
	case decimalSep != '.' && decimalSep != ',':
		decimalSep = 0
	}
	if decimalSep != 0 {
		dec = decimalSep
		punct := byte('.')
		if dec == '.' {
			punct = ','
		}
		n := dots
		if dec == '.' {
			n = commas
		}
		if n > 0 {
			if others > 0 || (thousandsSep != 0 && thousandsSep != punct) {
				return 0, 0, fmt.Errorf("%w: %q has %q, which the report's number style does not use", ErrSyntax, orig, punct)
			}
			other = punct
		}
		return dec, other, nil
	}
	// No hint: read the style from the value.
	switch {
	case dots > 0 && commas > 0:
		if others > 0 {
			return 0, 0, fmt.Errorf("%w: %q mixes digit group separators", ErrSyntax, orig)
		}
		if lastDot > lastComma {
			return '.', ',', nil
		}
		return ',', '.', nil
	case dots > 1:
		return 0, '.', noMix(others, orig)
	case commas > 1:
		return 0, ',', noMix(others, orig)
	case dots == 1:
		return '.', other, nil
	case commas == 1:
		if others == 0 && couldGroup(core, lastComma) {
			return 0, 0, fmt.Errorf("%w: %q could be a thousands separator or a decimal comma; the report profile must give the decimal separator", ErrAmbiguousNumber, orig)
		}
		return ',', other, nil
	}
	return 0, other, nil
}

func noMix(others int, orig string) error {
	if others > 0 {
		return fmt.Errorf("%w: %q mixes digit group separators", ErrSyntax, orig)
	}
	return nil
}

// couldGroup reports whether the separator at i in core could group
// thousands: 1 to 3 digits before it, not starting with 0, and exactly 3
// after it.
func couldGroup(core string, i int) bool {
	before, after := core[:i], core[i+1:]
	return len(before) >= 1 && len(before) <= 3 && before[0] != '0' && allDigits(before) &&
		len(after) == 3 && allDigits(after)
}
