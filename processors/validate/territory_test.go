package validate

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeTerritory(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  error
	}{
		// Alpha-2, alpha-3, case-insensitive.
		{in: "US", want: "US"},
		{in: "gb", want: "GB"},
		{in: " IS ", want: "IS"},
		{in: "USA", want: "US"},
		{in: "GBR", want: "GB"},
		{in: "nld", want: "NL"},
		{in: "DEU", want: "DE"},
		// Worldwide.
		{in: "WW", want: "WW"},
		{in: "Worldwide", want: "WW"},
		{in: "WORLD", want: "WW"},
		{in: "2136", want: "WW"},
		// Reserved and user-assigned codes in use.
		{in: "UK", want: "GB"},
		{in: "EL", want: "GR"},
		{in: "XK", want: "XK"},
		{in: "XKX", want: "XK"},
		{in: "Kosovo", want: "XK"},
		// ISO numeric = CISAC TIS country codes.
		{in: "840", want: "US"},
		{in: "276", want: "DE"},
		{in: "036", want: "AU"},
		{in: "36", want: "AU"},
		{in: "0036", want: "AU"},
		{in: "826", want: "GB"},
		// Names and variants.
		{in: "United States", want: "US"},
		{in: "United States of America", want: "US"},
		{in: "U.S.A.", want: "US"},
		{in: "United Kingdom", want: "GB"},
		{in: "United Kingdom of Great Britain and Northern Ireland", want: "GB"},
		{in: "Great Britain", want: "GB"},
		{in: "Korea, Republic of", want: "KR"},
		{in: "Republic of Korea", want: "KR"},
		{in: "South Korea", want: "KR"},
		{in: "North Korea", want: "KP"},
		{in: "Germany", want: "DE"},
		{in: "germany", want: "DE"},
		{in: "The Netherlands", want: "NL"},
		{in: "Côte d'Ivoire", want: "CI"},
		{in: "Cote d’Ivoire", want: "CI"},
		{in: "Ivory Coast", want: "CI"},
		{in: "Türkiye", want: "TR"},
		{in: "Turkey", want: "TR"},
		{in: "Russia", want: "RU"},
		{in: "Russian Federation", want: "RU"},
		{in: "Viet Nam", want: "VN"},
		{in: "Vietnam", want: "VN"},
		{in: "St. Lucia", want: "LC"},
		{in: "Saint Lucia", want: "LC"},
		{in: "Trinidad & Tobago", want: "TT"},
		{in: "Bosnia and Herzegovina", want: "BA"},
		{in: "Congo, The Democratic Republic of the", want: "CD"},
		{in: "Democratic Republic of the Congo", want: "CD"},
		{in: "Holy See", want: "VA"},
		{in: "Falkland Islands", want: "FK"},
		{in: "Virgin Islands, U.S.", want: "VI"},
		{in: "British Virgin Islands", want: "VG"},
		{in: "Taiwan", want: "TW"},
		{in: "Hong Kong", want: "HK"},
		{in: "Czech Republic", want: "CZ"},
		{in: "Åland Islands", want: "AX"},
		{in: "Aland Islands", want: "AX"},
		// Unknown.
		{in: "", err: ErrEmpty},
		{in: "XX", err: ErrUnknownCode},
		{in: "ZZ", err: ErrUnknownCode},
		{in: "ABC", err: ErrUnknownCode},
		{in: "999", err: ErrUnknownCode},
		{in: "2120", err: ErrUnknownCode}, // TIS Europe: a group
		{in: "12345", err: ErrUnknownCode},
		{in: "Atlantis", err: ErrUnknownCode},
		{in: "Korea", err: ErrUnknownCode},
		{in: "U", err: ErrUnknownCode},
		{in: "U$", err: ErrUnknownCode},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeTerritory(tt.in)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("NormalizeTerritory(%q) = %q, %v; want error %v", tt.in, got, err, tt.err)
				}
				if tt.in != "" && !strings.Contains(err.Error(), tt.in) {
					t.Errorf("error %q does not quote the value", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeTerritory(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestTerritoryTable(t *testing.T) {
	if len(countries) != 249 {
		t.Errorf("ISO 3166-1 has %d entries, want 249", len(countries))
	}
	if len(territories.dupes) != 0 {
		t.Errorf("names with two codes: %v", territories.dupes)
	}
	seen2, seen3, seenN := map[string]bool{}, map[string]bool{}, map[uint16]bool{}
	for _, c := range countries {
		if seen2[c.alpha2] || seen3[c.alpha3] || seenN[c.numeric] {
			t.Errorf("duplicate entry %+v", c)
		}
		seen2[c.alpha2], seen3[c.alpha3], seenN[c.numeric] = true, true, true
		for _, in := range []string{c.alpha2, c.alpha3, c.name} {
			if got, err := NormalizeTerritory(in); err != nil || got != c.alpha2 {
				t.Errorf("NormalizeTerritory(%q) = %q, %v; want %q", in, got, err, c.alpha2)
			}
		}
	}
	for _, v := range countryNameVariants {
		if got, err := NormalizeTerritory(v.name); err != nil || got != v.alpha2 {
			t.Errorf("NormalizeTerritory(%q) = %q, %v; want %q", v.name, got, err, v.alpha2)
		}
	}
}

func TestNameKey(t *testing.T) {
	tests := map[string]string{
		"Korea, Republic of":     "korea republic of",
		"Côte d'Ivoire":          "cote divoire",
		"  The   Gambia ":        "gambia",
		"St. Kitts & Nevis":      "saint kitts and nevis",
		"Virgin Islands, U.S.":   "virgin islands us",
		"Bonaire/Sint Eustatius": "bonaire sint eustatius",
	}
	for in, want := range tests {
		if got := nameKey(in); got != want {
			t.Errorf("nameKey(%q) = %q, want %q", in, got, want)
		}
	}
}
