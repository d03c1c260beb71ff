package ingest

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

func TestExactSumMatchesDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	values := []string{
		"0", "1", "-1", "0.000000000000001", "-0.000000000000001", "6020.3",
		"999999999999999999", "-999999999999999999", // 18 digits
		"9999999999999999999",      // 19 digits: the decimal path
		"0.0000000000000001",       // 16 fractional digits: the decimal path
		"1E+3", "123.456789012345", // a positive exponent: the decimal path
		"92233720368547.75807", "-92233720368547.75808",
	}
	for i := 0; i < 2000; i++ {
		v := decimal.New(rng.Int64N(2_000_000_000_000)-1_000_000_000_000, -int32(rng.IntN(16)))
		values = append(values, v.String())
	}
	var s exactSum
	want := decimal.Zero
	for i, v := range values {
		d, err := decimal.NewFromString(v)
		if err != nil {
			t.Fatal(err)
		}
		s.add(d)
		want = want.Add(d)
		if got := s.value(); !got.Equal(want) {
			t.Fatalf("after %d values (last %s): %s, want %s", i+1, v, got, want)
		}
	}
}

func TestExactSumOverflowsIntoDecimal(t *testing.T) {
	var s exactSum
	big := decimal.RequireFromString("999999999999999999") // 1e18 - 1 units
	want := decimal.Zero
	// 10^18 × 10^15 × 200000 exceeds 2^127: the 128-bit part overflows.
	for i := 0; i < 200000; i++ {
		s.add(big)
		want = want.Add(big)
	}
	if got := s.value(); !got.Equal(want) {
		t.Fatalf("%s, want %s", got, want)
	}
	if got := s.value().String(); got != want.String() {
		t.Fatalf("renders %s, want %s", got, want.String())
	}
}

func TestExactSumRendersLikeDecimal(t *testing.T) {
	var s exactSum
	for _, v := range []string{"20.8", "3.25", "7.8", "1.3"} {
		s.add(decimal.RequireFromString(v))
	}
	if got := s.value().String(); got != "33.15" {
		t.Fatalf("got %s, want 33.15", got)
	}
	var z exactSum
	if got := z.value().String(); got != "0" {
		t.Fatalf("empty sum renders %s", got)
	}
}
