package ingest

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/shopspring/decimal"
)

// sumScale is the number of fractional digits exactSum keeps in its fixed
// point part: the wire format keeps 15.
const sumScale = 15

// pow10 holds 10^0 .. 10^sumScale.
var pow10 = func() (p [sumScale + 1]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// exactSum adds decimals exactly without allocating for the common case:
// values with at most 18 significant digits and at most 15 fractional
// digits are added to a 128-bit two's complement count of 10^-15 units
// (exact up to about ±1.7e23); anything else, and any overflow, goes to a
// decimal. The zero value is an empty sum.
type exactSum struct {
	hi   int64
	lo   uint64
	rest decimal.Decimal
	any  bool // rest is not zero-valued
}

// add adds d.
func (s *exactSum) add(d decimal.Decimal) {
	exp := d.Exponent()
	if exp > 0 || exp < -sumScale || d.NumDigits() > 18 {
		s.addRest(d)
		return
	}
	c := d.CoefficientInt64()
	neg := c < 0
	u := uint64(c)
	if neg {
		u = -u
	}
	phi, plo := bits.Mul64(u, pow10[int(exp)+sumScale])
	if phi > math.MaxInt64 {
		s.addRest(d)
		return
	}
	vhi, vlo := int64(phi), plo
	if neg { // two's complement negation of the 128-bit product
		vlo = ^vlo + 1
		vhi = ^vhi
		if vlo == 0 {
			vhi++
		}
	}
	lo, carry := bits.Add64(s.lo, vlo, 0)
	hi := s.hi + vhi + int64(carry)
	// Signed overflow: both operands have one sign, the result the other.
	if (s.hi >= 0) == (vhi >= 0) && (hi >= 0) != (s.hi >= 0) {
		s.addRest(d)
		return
	}
	s.hi, s.lo = hi, lo
}

func (s *exactSum) addRest(d decimal.Decimal) {
	if !s.any {
		s.rest, s.any = d, true
		return
	}
	s.rest = s.rest.Add(d)
}

// addSum adds another sum.
func (s *exactSum) addSum(o *exactSum) {
	s.add(o.fixed())
	if o.any {
		s.addRest(o.rest)
	}
}

// fixed returns the fixed point part as a decimal.
func (s *exactSum) fixed() decimal.Decimal {
	if s.hi == 0 && s.lo>>63 == 0 {
		return decimal.New(int64(s.lo), -sumScale)
	}
	if s.hi == -1 && s.lo>>63 == 1 {
		return decimal.New(int64(s.lo), -sumScale)
	}
	v := new(big.Int).SetInt64(s.hi)
	v.Lsh(v, 64)
	v.Add(v, new(big.Int).SetUint64(s.lo))
	return decimal.NewFromBigInt(v, -sumScale)
}

// value returns the sum.
func (s *exactSum) value() decimal.Decimal {
	v := s.fixed()
	if s.any {
		v = v.Add(s.rest)
	}
	return v
}
