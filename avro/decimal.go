package avro

import (
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// MoneyScale is the number of fractional digits revenue keeps on the wire.
const MoneyScale = 15

// ShareScale is the number of fractional digits a split share keeps.
const ShareScale = 8

// decimalToRat converts d for an Avro decimal of the given scale, refusing
// values with more fractional digits than the scale can hold.
func decimalToRat(d decimal.Decimal, scale int32, field string) (*big.Rat, error) {
	if -d.Exponent() > scale && !d.Equal(d.Truncate(scale)) {
		return nil, fmt.Errorf("%s %s has more than %d fractional digits", field, d.String(), scale)
	}
	return d.Rat(), nil
}

// ratToDecimal converts an Avro decimal value read by goavro. Avro decimals
// always have a terminating decimal expansion (denominator 10^scale), so the
// conversion is exact.
func ratToDecimal(r *big.Rat) decimal.Decimal {
	num, den := r.Num(), r.Denom()
	// den divides 10^k for the smallest k with 10^k % den == 0.
	exp := int32(0)
	pow := big.NewInt(1)
	ten := big.NewInt(10)
	mod := new(big.Int)
	for mod.Mod(pow, den).Sign() != 0 {
		pow.Mul(pow, ten)
		exp++
		if exp > 64 {
			// Not a decimal fraction; cannot happen for Avro decimals.
			return decimal.NewFromBigRat(r, 64)
		}
	}
	unscaled := new(big.Int).Mul(num, new(big.Int).Quo(pow, den))
	return decimal.NewFromBigInt(unscaled, -exp)
}
