package drift

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ledgerline/ledgerline/processors/catalog/textnorm"
)

// level grades a difference between two titles or two artist credits;
// check.go and periods.go map levels to severities.
type level int

const (
	levSame    level = iota // equal in quiet form: case, diacritics, apostrophes, spacing
	levMinor                // punctuation, '&'/"and", edition suffix, feat. placement, order
	levVersion              // version suffix naming different audio (live, remix, edit)
	levNear                 // base title within a few edits (a typo)
	levPartial              // artists partly shared
	levMajor                // different title, or no artist in common
)

type verdict struct {
	level  level
	detail string
}

// compareTitles grades reported title r against reference title c.
func compareTitles(r, c *textnorm.Title) verdict {
	sameVersionsQuiet := sameSet(r.Versions, c.Versions, func(p textnorm.Part) string { return p.Quiet })
	if r.Base.Quiet == c.Base.Quiet && sameVersionsQuiet {
		return verdict{level: levSame}
	}
	if r.Base.Loose == c.Base.Loose {
		extra, missing := setDiff(r.Versions, c.Versions)
		if len(extra) == 0 && len(missing) == 0 {
			return verdict{levMinor, "titles differ only in punctuation or '&' versus 'and'"}
		}
		detail := fmt.Sprintf("version suffix differs: reported %s, catalog %s", listOrNone(r.Versions), listOrNone(c.Versions))
		for _, v := range slices.Concat(extra, missing) {
			if !textnorm.IsEdition(v) {
				return verdict{levVersion, detail + " (different audio)"}
			}
		}
		return verdict{levMinor, detail + " (edition of the same audio)"}
	}
	if d := editDistance(r.Base.Loose, c.Base.Loose); near(d, r.Base.Loose, c.Base.Loose) {
		return verdict{levNear, fmt.Sprintf("title differs by %d character edit(s)", d)}
	}
	return verdict{levMajor, "title differs"}
}

// compareCredits grades reported artists r (with the featured artists of
// the reported title rt) against reference artists c and title ct.
func compareCredits(r *textnorm.Credits, rt *textnorm.Title, c *textnorm.Credits, ct *textnorm.Title) verdict {
	if textnorm.EqualQuiet(r.Primary, c.Primary) && textnorm.EqualQuiet(r.Featured, c.Featured) &&
		textnorm.EqualQuiet(rt.Featured, ct.Featured) {
		return verdict{level: levSame}
	}
	rAll := slices.Concat(r.Primary, r.Featured, rt.Featured)
	cAll := slices.Concat(c.Primary, c.Featured, ct.Featured)
	extra, missing := multisetDiff(rAll, cAll)
	if len(extra) == 0 && len(missing) == 0 {
		switch {
		case !textnorm.EqualLoose(rt.Featured, ct.Featured):
			return verdict{levMinor, "featured artist credited in the title on one side and in the artist list on the other"}
		case !textnorm.EqualLoose(r.Primary, c.Primary) || !textnorm.EqualLoose(r.Featured, c.Featured):
			return verdict{levMinor, "same artists in a different order or role"}
		default:
			return verdict{levMinor, "artist names differ only in punctuation"}
		}
	}
	detail := fmt.Sprintf("reported adds %s, omits %s", listOrNone(extra), listOrNone(missing))
	if len(extra)+len(missing) < len(rAll)+len(cAll) {
		return verdict{levPartial, "artists differ: " + detail}
	}
	return verdict{levMajor, "no artist in common: " + detail}
}

// sameSet compares parts as sets under key.
func sameSet(a, b []textnorm.Part, key func(textnorm.Part) string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, p := range a {
		if !slices.ContainsFunc(b, func(q textnorm.Part) bool { return key(q) == key(p) }) {
			return false
		}
	}
	return true
}

// setDiff returns the loose forms in a but not b, and in b but not a.
func setDiff(a, b []textnorm.Part) (extra, missing []string) {
	for _, p := range a {
		if !slices.ContainsFunc(b, func(q textnorm.Part) bool { return q.Loose == p.Loose }) {
			extra = append(extra, p.Loose)
		}
	}
	for _, q := range b {
		if !slices.ContainsFunc(a, func(p textnorm.Part) bool { return q.Loose == p.Loose }) {
			missing = append(missing, q.Loose)
		}
	}
	return extra, missing
}

// multisetDiff is setDiff counting repeated names.
func multisetDiff(a, b []textnorm.Part) (extra, missing []string) {
	used := make([]bool, len(b))
	for _, p := range a {
		found := false
		for j, q := range b {
			if !used[j] && q.Loose == p.Loose {
				used[j], found = true, true
				break
			}
		}
		if !found {
			extra = append(extra, p.Loose)
		}
	}
	for j, q := range b {
		if !used[j] {
			missing = append(missing, q.Loose)
		}
	}
	return extra, missing
}

func listOrNone[T textnorm.Part | string](xs []T) string {
	if len(xs) == 0 {
		return "none"
	}
	parts := make([]string, len(xs))
	for i, x := range xs {
		switch v := any(x).(type) {
		case textnorm.Part:
			parts[i] = v.Quiet
		case string:
			parts[i] = v
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// near reports whether d edits between a and b is a typo rather than a
// different title: at most 3 edits and at most a fifth of the longer.
func near(d int, a, b string) bool {
	n := max(utf8.RuneCountInString(a), utf8.RuneCountInString(b))
	return d > 0 && d <= 3 && d*5 <= n
}

// editDistance is the Levenshtein distance in runes, giving up (returning
// a large value) for titles longer than 256 runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 256 || len(rb) > 256 {
		return 1 << 30
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
