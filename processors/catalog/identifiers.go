package catalog

// GS1CheckDigit returns the GS1 check digit of the data digits of a GTIN
// (all digits but the last): weights 3 and 1 alternate from the rightmost
// data digit, and the check digit brings the weighted sum to a multiple
// of 10. It returns -1 if digits holds a non-digit.
func GS1CheckDigit(digits string) int {
	sum := 0
	for i := 0; i < len(digits); i++ {
		c := digits[len(digits)-1-i]
		if c < '0' || c > '9' {
			return -1
		}
		w := 1
		if i%2 == 0 {
			w = 3
		}
		sum += int(c-'0') * w
	}
	return (10 - sum%10) % 10
}

// ISWCCheckDigit returns the check digit of the nine digits of an ISWC
// (T-ddddddddd-c): (10 - (1 + sum_{i=1..9} i*d_i) mod 10) mod 10, where the
// 1 stands for the prefix T. It returns -1 unless digits is nine digits.
func ISWCCheckDigit(digits string) int {
	if len(digits) != 9 {
		return -1
	}
	sum := 1
	for i := 0; i < 9; i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return -1
		}
		sum += (i + 1) * int(c-'0')
	}
	return (10 - sum%10) % 10
}
