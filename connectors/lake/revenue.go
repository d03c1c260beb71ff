package lake

import (
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// Revenue is stored as a Parquet DECIMAL(38, 15) in a 16-byte
// FIXED_LEN_BYTE_ARRAY: the unscaled value (revenue × 10^15) as big-endian
// two's complement, which every Parquet reader decodes exactly.
const (
	revenueScale     = 15
	revenuePrecision = 38
	revenueWidth     = 16
)

var (
	maxUnscaled = new(big.Int).Exp(big.NewInt(10), big.NewInt(revenuePrecision), nil) // exclusive bound
	twoTo128    = new(big.Int).Lsh(big.NewInt(1), 8*revenueWidth)
)

// encodeRevenue returns d as the unscaled 16-byte decimal. It refuses values
// with more than 15 fractional digits or more than 38 digits in all, rather
// than rounding.
func encodeRevenue(d decimal.Decimal) ([revenueWidth]byte, error) {
	var out [revenueWidth]byte
	unscaled, err := unscale(d)
	if err != nil {
		return out, err
	}
	if new(big.Int).Abs(unscaled).Cmp(maxUnscaled) >= 0 {
		return out, fmt.Errorf("revenue %s exceeds DECIMAL(%d,%d)", d, revenuePrecision, revenueScale)
	}
	if unscaled.Sign() < 0 {
		unscaled.Add(unscaled, twoTo128)
	}
	unscaled.FillBytes(out[:])
	return out, nil
}

func unscale(d decimal.Decimal) (*big.Int, error) {
	coef := d.Coefficient()
	if coef.Sign() == 0 {
		return coef, nil
	}
	shift := int64(d.Exponent()) + revenueScale
	// Bound the power of ten before computing it (or printing d): a
	// non-zero coefficient times 10^precision is out of range, and one
	// divided by a power of ten with more digits than it has leaves a
	// remainder.
	if shift >= revenuePrecision {
		return nil, fmt.Errorf("revenue %se%d exceeds DECIMAL(%d,%d)", coef, d.Exponent(), revenuePrecision, revenueScale)
	}
	if -shift > int64(len(coef.Text(10))) {
		return nil, fmt.Errorf("revenue %se%d has more than %d fractional digits", coef, d.Exponent(), revenueScale)
	}
	if shift >= 0 {
		return coef.Mul(coef, new(big.Int).Exp(big.NewInt(10), big.NewInt(shift), nil)), nil
	}
	div := new(big.Int).Exp(big.NewInt(10), big.NewInt(-shift), nil)
	q, r := new(big.Int).QuoRem(coef, div, new(big.Int))
	if r.Sign() != 0 {
		return nil, fmt.Errorf("revenue %s has more than %d fractional digits", d, revenueScale)
	}
	return q, nil
}

// decodeRevenue is the inverse of encodeRevenue.
func decodeRevenue(b [revenueWidth]byte) decimal.Decimal {
	return decimal.NewFromBigInt(unscaledInto(new(big.Int), b), -revenueScale)
}

// unscaledInto sets v to the unscaled value of an encoded revenue.
func unscaledInto(v *big.Int, b [revenueWidth]byte) *big.Int {
	v.SetBytes(b[:])
	if b[0]&0x80 != 0 {
		v.Sub(v, twoTo128)
	}
	return v
}
