package validate

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Worldwide is the territory code of a worldwide use: DDEX's "Worldwide"
// (WW) and CISAC TIS 2136 (World).
const Worldwide = "WW"

// tisWorld is the CISAC TIS code of the World. The TIS codes 2100..2136
// are groups of countries (continents, regions); the TIS codes of single
// countries are their ISO 3166-1 numeric codes.
const tisWorld = 2136

// territoryAliases are two- and three-letter codes that reports use but
// ISO 3166-1 does not assign: the worldwide codes, Kosovo (a user-assigned
// code used by the European Commission and most DSPs) and the codes that
// ISO reserves exceptionally for the United Kingdom (UK) and Greece (EL).
var territoryAliases = [...]struct{ code, alpha2 string }{
	{"WW", Worldwide},
	{"XK", "XK"},
	{"XKX", "XK"},
	{"UK", "GB"},
	{"EL", "GR"},
}

// territoryNameAliases are English names that reports use besides the ISO
// short names and the variants in countryNameVariants. Names are compared
// after nameKey folding, so case, accents, punctuation, a leading "the"
// and "St." for "Saint" do not matter.
var territoryNameAliases = [...]struct{ name, alpha2 string }{
	{"Worldwide", Worldwide},
	{"World", Worldwide},
	{"Kosovo", "XK"},
	{"USA", "US"},
	{"U.S.", "US"},
	{"UK", "GB"},
	{"Great Britain", "GB"},
	{"Britain", "GB"},
	{"England", "GB"},
	{"Scotland", "GB"},
	{"Wales", "GB"},
	{"Northern Ireland", "GB"},
	{"Korea, South", "KR"},
	{"Korea, North", "KP"},
	{"DPRK", "KP"},
	{"Russia", "RU"},
	{"Macedonia", "MK"},
	{"FYROM", "MK"},
	{"Ivory Coast", "CI"},
	{"Cape Verde", "CV"},
	{"Swaziland", "SZ"},
	{"Burma", "MM"},
	{"Holland", "NL"},
	{"Turkey", "TR"},
	{"Turkiye", "TR"},
	{"Brunei", "BN"},
	{"Palestine", "PS"},
	{"Vatican", "VA"},
	{"Vatican City", "VA"},
	{"Micronesia", "FM"},
	{"Macau", "MO"},
	{"Bosnia", "BA"},
	{"DR Congo", "CD"},
	{"DRC", "CD"},
	{"Congo-Kinshasa", "CD"},
	{"Congo-Brazzaville", "CG"},
	{"Republic of Congo", "CG"},
	{"East Timor", "TL"},
	{"UAE", "AE"},
	{"US Virgin Islands", "VI"},
	{"Saint Kitts", "KN"},
	{"Saint Vincent", "VC"},
	{"Trinidad", "TT"},
	{"Antigua", "AG"},
	{"Sao Tome", "ST"},
	{"Reunion Island", "RE"},
	{"Hong Kong SAR", "HK"},
	{"Macao SAR", "MO"},
	{"Taiwan, China", "TW"},
	{"Mainland China", "CN"},
	{"PRC", "CN"},
}

// territoryIndex holds the lookup tables, built once from the tables above
// and never changed.
type territoryIndex struct {
	alpha2  [26 * 26]string      // by alpha2Index: canonical alpha-2, "" when unknown
	alpha3  [26 * 26 * 26]string // by alpha3Index
	numeric [1000]string         // by ISO 3166-1 numeric code
	names   map[string]string    // by nameKey
	dupes   map[string][2]string // names given two different codes (must stay empty)
}

var territories = buildTerritoryIndex()

func buildTerritoryIndex() *territoryIndex {
	t := &territoryIndex{
		names: make(map[string]string, 2*len(countries)),
		dupes: map[string][2]string{},
	}
	addName := func(name, code string) {
		k := nameKey(name)
		if prev, ok := t.names[k]; ok && prev != code {
			t.dupes[k] = [2]string{prev, code}
			return
		}
		t.names[k] = code
	}
	for i := range countries {
		c := &countries[i]
		t.alpha2[alpha2Index(c.alpha2)] = c.alpha2
		t.alpha3[alpha3Index(c.alpha3)] = c.alpha2
		t.numeric[c.numeric] = c.alpha2
		addName(c.name, c.alpha2)
		// "Korea, Republic of" is also written "Republic of Korea", and
		// "Holy See (Vatican City State)" also as "Holy See".
		if head, tail, ok := strings.Cut(c.name, ", "); ok {
			addName(tail+" "+head, c.alpha2)
		}
		if head, _, ok := strings.Cut(c.name, " ("); ok {
			addName(head, c.alpha2)
		}
	}
	for _, v := range countryNameVariants {
		addName(v.name, v.alpha2)
	}
	for _, a := range territoryAliases {
		if len(a.code) == 2 {
			t.alpha2[alpha2Index(a.code)] = a.alpha2
		} else {
			t.alpha3[alpha3Index(a.code)] = a.alpha2
		}
	}
	for _, a := range territoryNameAliases {
		addName(a.name, a.alpha2)
	}
	return t
}

// NormalizeTerritory returns the ISO 3166-1 alpha-2 code of the territory
// in s, or "WW" for worldwide. It accepts, case-insensitively:
//   - ISO 3166-1 alpha-2 (DE) and alpha-3 (DEU) codes, plus WW, XK (Kosovo)
//     and the exceptionally reserved UK (GB) and EL (GR);
//   - ISO 3166-1 numeric codes (276, 036 or 36), which are also the CISAC
//     TIS codes of single countries, and TIS 2136 (World); the other TIS
//     codes 2100..2135 name groups of countries and are refused;
//   - English names: the ISO short name, its common and official forms and
//     the usual variants ("United States", "USA", "UK", "Korea, Republic
//     of", "South Korea", "Côte d'Ivoire", "Ivory Coast", "Worldwide").
//
// The error wraps ErrEmpty or ErrUnknownCode.
func NormalizeTerritory(s string) (string, error) {
	s = trim(s)
	switch {
	case s == "":
		return "", ErrEmpty
	case len(s) == 2 && isLetter(s[0]) && isLetter(s[1]):
		if c := territories.alpha2[alpha2Index(s)]; c != "" {
			return c, nil
		}
	case len(s) == 3 && isLetter(s[0]) && isLetter(s[1]) && isLetter(s[2]):
		if c := territories.alpha3[alpha3Index(s)]; c != "" {
			return c, nil
		}
	case len(s) <= 4 && allDigits(s):
		n := 0
		for i := 0; i < len(s); i++ {
			n = n*10 + int(s[i]-'0')
		}
		switch {
		case n == tisWorld:
			return Worldwide, nil
		case n >= 2100 && n < tisWorld:
			return "", fmt.Errorf("%w: territory %q is a CISAC TIS group of countries, not one territory", ErrUnknownCode, s)
		case n < len(territories.numeric) && territories.numeric[n] != "":
			return territories.numeric[n], nil
		}
		return "", fmt.Errorf("%w: territory %q is not an ISO 3166-1 numeric or CISAC TIS code", ErrUnknownCode, s)
	}
	if len(s) > 2 {
		if c, ok := territories.names[nameKey(s)]; ok {
			return c, nil
		}
	}
	return "", fmt.Errorf("%w: territory %q is not an ISO 3166-1 code or a known country name", ErrUnknownCode, s)
}

// alpha3Index maps three ASCII letters of either case to 0..17575; s must
// start with three letters.
func alpha3Index(s string) int {
	return alpha2Index(s)*26 + int(upper(s[2])-'A')
}

// nameKey folds a country name for comparison: accents removed, letters
// lower-cased, apostrophes and dots dropped, "&" read as "and", any other
// punctuation read as a space, a leading "the" dropped and "st" read as
// "saint".
func nameKey(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 4)
	space := true
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == '.':
		case r == '&':
			if !space {
				b.WriteByte(' ')
			}
			b.WriteString("and ")
			space = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	fields := strings.Fields(b.String())
	if len(fields) > 1 && fields[0] == "the" {
		fields = fields[1:]
	}
	for i, f := range fields {
		if f == "st" {
			fields[i] = "saint"
		}
	}
	return strings.Join(fields, " ")
}
