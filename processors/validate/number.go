package validate

import (
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/shopspring/decimal"
)

// Limits of an amount: the wire format is an Avro decimal of precision 38
// and scale 15 (avro.MoneyScale).
const (
	maxFractionDigits = avro.MoneyScale
	maxIntegerDigits  = 38 - avro.MoneyScale
)

// currencySymbols may be glued to an amount ("$1.00", "1,00 €"). They are
// stripped and say nothing about the currency: "$" is written for a dozen
// dollars.
var currencySymbols = [...]string{"US$", "A$", "C$", "R$", "$", "€", "£", "¥", "₩", "₹", "₽", "₺", "₪", "₫", "₱"}

// parsedNumber is a number as written: sign, digits and the position of the
// decimal point.
type parsedNumber struct {
	neg    bool
	digits [64]byte // integer digits without leading zeros, then fraction digits
	nInt   int      // integer digits in digits
	nFrac  int      // fraction digits in digits, after nInt
	code   string   // ISO 4217 code glued to the number, "" when none
}

// ParseAmount parses a money amount as an exact decimal, keeping every
// digit. decimalSep and thousandsSep are the report profile's style ('.' or
// ','; 0 when unknown). It accepts:
//   - a decimal point or comma: "1.5", "1,5";
//   - grouping by the other of '.' and ',', or by spaces, no-break spaces
//     or apostrophes: "1,234.56", "1.234,56", "1 234,56", "1'234.56"; groups
//     are checked (the last has 3 digits; Indian 2-digit groups are fine);
//   - a minus before or after the digits, or parentheses: "-1", "1-",
//     "(68.01)";
//   - a currency symbol ($ € £ ¥ ...) or an ISO 4217 code before or after
//     the digits: "$1.00", "1.00 USD". The symbol is ignored; the validator
//     checks the code against the line's currency (ParseAmount ignores it).
//
// With no style hint the style is read from the value: when both '.' and
// ',' occur, the last one is the decimal separator; one that occurs more
// than once groups thousands; a single '.' is a decimal point (the
// convention of machine-written reports); a single ',' is a decimal comma,
// except when it could also group thousands (1 to 3 leading digits not
// starting with 0, then exactly 3 digits: "1,234"), which is refused with
// ErrAmbiguousNumber rather than guessed.
//
// More than 15 fractional digits (trailing zeros aside) wrap
// ErrFractionDigits, more than 23 integer digits ErrRange, scientific
// notation ErrScientificNotation; other malformed input wraps ErrSyntax and
// an empty value ErrEmpty.
func ParseAmount(s string, decimalSep, thousandsSep byte) (decimal.Decimal, error) {
	var p parsedNumber
	if err := p.parse(s, decimalSep, thousandsSep, true); err != nil {
		return decimal.Decimal{}, err
	}
	return p.amount(s)
}

// ParseUnits parses a count of units (plays, downloads, copies) in the same
// styles as ParseAmount, without currency symbols or codes. The value must
// be whole: "1.0" is 1, "1.5" wraps ErrNotWhole. Values beyond int64 wrap
// ErrRange.
func ParseUnits(s string, decimalSep, thousandsSep byte) (int64, error) {
	var p parsedNumber
	if err := p.parse(s, decimalSep, thousandsSep, false); err != nil {
		return 0, err
	}
	return p.units(s)
}

// amount converts p to a decimal.
func (p *parsedNumber) amount(orig string) (decimal.Decimal, error) {
	frac := p.nFrac
	for frac > maxFractionDigits && p.digits[p.nInt+frac-1] == '0' {
		frac--
	}
	if frac > maxFractionDigits {
		return decimal.Decimal{}, fmt.Errorf("%w: amount %q has %d fractional digits, at most %d are kept", ErrFractionDigits, orig, frac, maxFractionDigits)
	}
	if p.nInt > maxIntegerDigits {
		return decimal.Decimal{}, fmt.Errorf("%w: amount %q has %d integer digits, at most %d fit", ErrRange, orig, p.nInt, maxIntegerDigits)
	}
	coef := p.digits[:p.nInt+frac]
	for len(coef) > 0 && coef[0] == '0' {
		coef = coef[1:]
	}
	if len(coef) <= 18 {
		var v int64
		for _, c := range coef {
			v = v*10 + int64(c-'0')
		}
		if p.neg {
			v = -v
		}
		return decimal.New(v, int32(-frac)), nil
	}
	v, ok := new(big.Int).SetString(string(coef), 10)
	if !ok {
		return decimal.Decimal{}, fmt.Errorf("%w: amount %q", ErrSyntax, orig)
	}
	if p.neg {
		v.Neg(v)
	}
	return decimal.NewFromBigInt(v, int32(-frac)), nil
}

// units converts p to a whole count.
func (p *parsedNumber) units(orig string) (int64, error) {
	for _, c := range p.digits[p.nInt : p.nInt+p.nFrac] {
		if c != '0' {
			return 0, fmt.Errorf("%w: units %q is not a whole number", ErrNotWhole, orig)
		}
	}
	var v uint64
	for _, c := range p.digits[:p.nInt] {
		d := uint64(c - '0')
		if v > (math.MaxInt64-d)/10 {
			return 0, fmt.Errorf("%w: units %q is too large", ErrRange, orig)
		}
		v = v*10 + d
	}
	if p.neg {
		return -int64(v), nil
	}
	return int64(v), nil
}

// parse reads s into p. allowMoney allows currency symbols and codes.
func (p *parsedNumber) parse(s string, decimalSep, thousandsSep byte, allowMoney bool) error {
	orig := s
	s = trim(s)
	if s == "" {
		return ErrEmpty
	}
	if s = unquote(s); s == "" {
		return fmt.Errorf("%w: %q", ErrEmpty, orig)
	}
	if isScientific(s) {
		return fmt.Errorf("%w: %q is in scientific notation, write the digits out", ErrScientificNotation, orig)
	}
	core, err := p.peel(s, orig, allowMoney)
	if err != nil {
		return err
	}
	dec, group, err := numberStyle(core, orig, decimalSep, thousandsSep)
	if err != nil {
		return err
	}
	return p.scanDigits(core, orig, dec, group)
}

// peel strips signs, parentheses, currency symbols and codes around the
// digits and returns the digits with their separators.
func (p *parsedNumber) peel(s, orig string, allowMoney bool) (string, error) {
	if isDigit(s[0]) && isDigit(s[len(s)-1]) {
		return s, nil // the common case: nothing around the digits
	}
	var paren, signed, symbol bool
	for {
		s = trim(s)
		switch {
		case s == "":
			return "", fmt.Errorf("%w: %q has no digits", ErrSyntax, orig)
		case !paren && !signed && len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')':
			paren = true
			p.neg = true
			s = s[1 : len(s)-1]
			continue
		case !signed && (s[0] == '-' || s[0] == '+'):
			signed = true
			p.neg = s[0] == '-'
			s = s[1:]
			continue
		case !signed && strings.HasPrefix(s, "−"): // U+2212 MINUS SIGN
			signed = true
			p.neg = true
			s = s[len("−"):]
			continue
		case !signed && len(s) >= 2 && s[len(s)-1] == '-':
			signed = true
			p.neg = true
			s = s[:len(s)-1]
			continue
		}
		if !allowMoney {
			break
		}
		if !symbol {
			if rest, ok := cutSymbol(s); ok {
				symbol = true
				s = rest
				continue
			}
		}
		if p.code == "" && len(s) > 3 {
			if isCurrencyCode(s[:3]) {
				p.code = s[:3]
				s = s[3:]
				continue
			}
			if isCurrencyCode(s[len(s)-3:]) {
				p.code = s[len(s)-3:]
				s = s[:len(s)-3]
				continue
			}
		}
		break
	}
	if paren && signed {
		return "", fmt.Errorf("%w: %q has both parentheses and a sign", ErrSyntax, orig)
	}
	return s, nil
}

func cutSymbol(s string) (string, bool) {
	for _, sym := range currencySymbols {
		if rest, ok := strings.CutPrefix(s, sym); ok {
			return rest, true
		}
		if rest, ok := strings.CutSuffix(s, sym); ok {
			return rest, true
		}
	}
	return s, false
}

// scanDigits reads the digits of core, with dec as the decimal separator
// and group (or none) grouping the integer digits, checking group sizes.
func (p *parsedNumber) scanDigits(core, orig string, dec, group byte) error {
	var (
		inFrac     bool
		groupLen   int  // digits in the current group
		groups     int  // groups closed by a separator
		middleLen  int  // digits of the middle groups (2 or 3)
		lastWasSep bool // previous character was a group separator
		seenDigit  bool
	)
	bad := func(why string) error {
		return fmt.Errorf("%w: %q %s", ErrSyntax, orig, why)
	}
	for i := 0; i < len(core); {
		c, n := classify(core[i:])
		i += n
		switch {
		case isDigit(c):
			seenDigit = true
			lastWasSep = false
			if inFrac {
				if p.nInt+p.nFrac == len(p.digits) {
					return fmt.Errorf("%w: %q has too many digits", ErrRange, orig)
				}
				p.digits[p.nInt+p.nFrac] = c
				p.nFrac++
				continue
			}
			groupLen++
			if c == '0' && p.nInt == 0 {
				continue // leading zero
			}
			if p.nInt == len(p.digits) {
				return fmt.Errorf("%w: %q has too many digits", ErrRange, orig)
			}
			p.digits[p.nInt] = c
			p.nInt++
		case c == dec && dec != 0:
			if inFrac {
				return bad("has more than one decimal separator")
			}
			if lastWasSep {
				return bad("has a digit group separator before the decimal separator")
			}
			if groups > 0 && groupLen != 3 {
				return bad("has a last digit group that is not 3 digits")
			}
			inFrac = true
		case group != 0 && c == group:
			switch {
			case inFrac:
				return bad("has a digit group separator after the decimal separator")
			case groupLen == 0:
				return bad("has a misplaced digit group separator")
			case groups == 0:
				if groupLen > 3 {
					return bad("has a first digit group of more than 3 digits")
				}
			case groupLen != 2 && groupLen != 3:
				return bad("has a digit group that is not 2 or 3 digits")
			case middleLen != 0 && groupLen != middleLen:
				return bad("has digit groups of different sizes")
			default:
				middleLen = groupLen
			}
			groups++
			groupLen = 0
			lastWasSep = true
		default:
			return bad(fmt.Sprintf("has an unexpected separator %q", c))
		}
	}
	if !seenDigit {
		return bad("has no digits")
	}
	if lastWasSep {
		return bad("ends with a digit group separator")
	}
	if groups > 0 && !inFrac && groupLen != 3 {
		return bad("has a last digit group that is not 3 digits")
	}
	return nil
}
