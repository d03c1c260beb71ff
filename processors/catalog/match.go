package catalog

import (
	"github.com/ledgerline/ledgerline/processors/catalog/textnorm"
)

// Match is the outcome of matching reported metadata to a recording.
type Match struct {
	ISRC       string // the matched recording; "" when none or ambiguous
	Candidates int    // recordings on the UPC with the same loose base title
}

// Matched reports whether exactly one recording was identified.
func (m Match) Matched() bool { return m.ISRC != "" }

// MatchTitle finds the recording on release upc whose title matches t.
// Titles match when their loose base titles are equal; several candidates
// are narrowed to the one whose version suffixes (loose) also match, and
// remain ambiguous (no ISRC) otherwise.
func (c *Catalog) MatchTitle(upc string, t textnorm.Title) (Match, error) {
	if upc == "" || t.Base.Loose == "" {
		return Match{}, nil
	}
	isrcs, err := c.readList(titleKey(upc, t.Base.Loose))
	if err != nil {
		return Match{}, err
	}
	m := Match{Candidates: len(isrcs)}
	switch len(isrcs) {
	case 0:
		return m, nil
	case 1:
		m.ISRC = isrcs[0]
		return m, nil
	}
	for _, isrc := range isrcs {
		e, ok, err := c.Lookup(isrc)
		if err != nil {
			return Match{}, err
		}
		if !ok || !sameVersions(e.Title().Versions, t.Versions) {
			continue
		}
		if m.ISRC != "" {
			m.ISRC = ""
			return m, nil
		}
		m.ISRC = isrc
	}
	return m, nil
}

// MatchByUPCTitle returns the ISRC of the recording on release upc whose
// title matches title; title may carry version suffixes ("Song - Live").
func (c *Catalog) MatchByUPCTitle(upc, title string) (string, bool, error) {
	m, err := c.MatchTitle(upc, textnorm.ParseTitle(title, nil))
	return m.ISRC, m.Matched(), err
}

// UPCRecordings returns the ISRCs whose main release is upc.
func (c *Catalog) UPCRecordings(upc string) ([]string, error) {
	return c.readList(upcKey(upc))
}

// sameVersions compares version suffixes as sets of loose forms.
func sameVersions(a, b []textnorm.Part) bool {
	if len(a) != len(b) {
		return false
	}
	for _, p := range a {
		found := false
		for _, q := range b {
			if p.Loose == q.Loose {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
