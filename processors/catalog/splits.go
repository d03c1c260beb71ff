package catalog

import (
	"cmp"
	"slices"
	"strings"

	"github.com/ledgerline/ledgerline/avro"
)

// SplitsString renders splits canonically, independent of their order:
// "party_id role share" per split, sorted by party and role, joined by
// "; ". Shares are written as exact decimals without trailing zeros, so
// two split lists are equal exactly when their canonical forms are.
func SplitsString(splits []avro.Split) string {
	if len(splits) == 0 {
		return ""
	}
	s := slices.Clone(splits)
	slices.SortFunc(s, func(a, b avro.Split) int {
		return cmp.Or(cmp.Compare(a.PartyID, b.PartyID), cmp.Compare(a.Role, b.Role), a.Share.Cmp(b.Share))
	})
	var b strings.Builder
	for i, sp := range s {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(sp.PartyID)
		b.WriteByte(' ')
		b.WriteString(sp.Role)
		b.WriteByte(' ')
		b.WriteString(sp.Share.String())
	}
	return b.String()
}
