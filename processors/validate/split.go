package validate

import (
	"fmt"
	"strings"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/shopspring/decimal"
)

// SplitInput is one contributor's share as written.
type SplitInput struct {
	PartyID string
	Name    string
	Role    string
	Share   string
}

// ParseSplits parses a splits cell, "party_id:name:role:share|...". Empty
// elements (a trailing '|') are skipped; an empty cell gives no splits. The
// shares are not checked here (ValidateCatalog does).
func ParseSplits(s string) ([]SplitInput, error) {
	s = trim(s)
	if s == "" {
		return nil, nil
	}
	var out []SplitInput
	for elem := range strings.SplitSeq(s, "|") {
		elem = trim(elem)
		if elem == "" {
			continue
		}
		rest, share, ok1 := cutLast(elem)
		rest, role, ok2 := cutLast(rest)
		party, name, ok3 := cutLast(rest)
		if !ok1 || !ok2 || !ok3 {
			return nil, fmt.Errorf("%w: split %q is not party_id:name:role:share", ErrSyntax, elem)
		}
		out = append(out, SplitInput{PartyID: trim(party), Name: trim(name), Role: trim(role), Share: trim(share)})
	}
	return out, nil
}

func cutLast(s string) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

// checkSplits validates the splits and converts them.
func checkSplits(in []SplitInput) ([]avro.Split, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make([]avro.Split, 0, len(in))
	sum := decimal.Zero
	seen := make(map[[2]string]bool, len(in))
	for _, s := range in {
		sp := avro.Split{PartyID: trim(s.PartyID), Name: trim(s.Name), Role: trim(s.Role)}
		switch {
		case sp.PartyID == "":
			return nil, fmt.Errorf("%w: split of %q has no party id", ErrSyntax, sp.Name)
		case sp.Role == "":
			return nil, fmt.Errorf("%w: split of %q has no role", ErrSyntax, sp.PartyID)
		case seen[[2]string{sp.PartyID, sp.Role}]:
			return nil, fmt.Errorf("%w: party %q appears twice as %q", ErrSyntax, sp.PartyID, sp.Role)
		}
		seen[[2]string{sp.PartyID, sp.Role}] = true
		share, err := parseShare(s.Share)
		if err != nil {
			return nil, fmt.Errorf("split of %q: %w", sp.PartyID, err)
		}
		sp.Share = share
		sum = sum.Add(share)
		out = append(out, sp)
	}
	if !sum.Equal(decimal.NewFromInt(1)) {
		return nil, fmt.Errorf("%w: shares sum to %s, not 1", ErrRange, sum.String())
	}
	return out, nil
}

// parseShare parses a share: a plain decimal (digits and at most one '.')
// in (0, 1] with at most avro.ShareScale fractional digits.
func parseShare(s string) (decimal.Decimal, error) {
	s = trim(s)
	dot := strings.IndexByte(s, '.')
	intPart, fracPart := s, ""
	if dot >= 0 {
		intPart, fracPart = s[:dot], s[dot+1:]
	}
	if (intPart == "" && fracPart == "") || (intPart != "" && !allDigits(intPart)) || (fracPart != "" && !allDigits(fracPart)) {
		return decimal.Decimal{}, fmt.Errorf("%w: share %q is not a decimal fraction such as 0.25", ErrSyntax, s)
	}
	if len(strings.TrimRight(fracPart, "0")) > avro.ShareScale {
		return decimal.Decimal{}, fmt.Errorf("%w: share %q has more than %d fractional digits", ErrFractionDigits, s, avro.ShareScale)
	}
	canonical := s
	switch {
	case fracPart == "":
		canonical = intPart
	case intPart == "":
		canonical = "0." + fracPart
	}
	d, err := decimal.NewFromString(canonical)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%w: share %q: %w", ErrSyntax, s, err)
	}
	if d.Sign() <= 0 || d.GreaterThan(decimal.NewFromInt(1)) {
		return decimal.Decimal{}, fmt.Errorf("%w: share %q is not in (0, 1]", ErrRange, s)
	}
	return d, nil
}
