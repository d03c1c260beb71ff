package textnorm

import (
	"reflect"
	"testing"
)

func quiets(ps []Part) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Quiet)
	}
	return out
}

func ptr(s string) *string { return &s }

func TestParseTitle(t *testing.T) {
	tests := []struct {
		title    string
		version  *string
		base     string
		versions []string
		featured []string
	}{
		{"Yesterday", nil, "yesterday", []string{}, []string{}},
		{"Yesterday (Remastered 2009)", nil, "yesterday", []string{"remastered 2009"}, []string{}},
		{"Yesterday - Remastered 2009", nil, "yesterday", []string{"remastered 2009"}, []string{}},
		{"Yesterday – 2009 Remaster", nil, "yesterday", []string{"2009 remaster"}, []string{}},
		{"Yesterday", ptr("Remastered 2009"), "yesterday", []string{"remastered 2009"}, []string{}},
		{"Yesterday (Remastered 2009)", ptr("Remastered 2009"), "yesterday", []string{"remastered 2009"}, []string{}},
		{"Song [Live] (Radio Edit)", nil, "song", []string{"live", "radio edit"}, []string{}},
		{"Song (feat. B & C)", nil, "song", []string{}, []string{"b", "c"}},
		{"Song feat. B", nil, "song", []string{}, []string{"b"}},
		{"Song (feat. B) [Remix]", nil, "song", []string{"remix"}, []string{"b"}},
		{"Song (Love Theme)", nil, "song (love theme)", []string{}, []string{}},
		{"Part 1 - The Beginning", nil, "part 1 - the beginning", []string{}, []string{}},
		{"(Intro)", nil, "(intro)", []string{}, []string{}},
	}
	for _, tt := range tests {
		got := ParseTitle(tt.title, tt.version)
		if got.Base.Quiet != tt.base || !reflect.DeepEqual(quiets(got.Versions), tt.versions) || !reflect.DeepEqual(quiets(got.Featured), tt.featured) {
			t.Errorf("ParseTitle(%q) = base %q versions %q featured %q, want %q %q %q",
				tt.title, got.Base.Quiet, quiets(got.Versions), quiets(got.Featured), tt.base, tt.versions, tt.featured)
		}
	}
}

func TestParseCredits(t *testing.T) {
	tests := []struct {
		in       []string
		primary  []string
		featured []string
	}{
		{[]string{"A"}, []string{"a"}, []string{}},
		{[]string{"A", "B"}, []string{"a", "b"}, []string{}},
		{[]string{"A & B"}, []string{"a", "b"}, []string{}},
		{[]string{"A and B"}, []string{"a", "b"}, []string{}},
		{[]string{"A, B"}, []string{"a", "b"}, []string{}},
		{[]string{"A feat. B, C"}, []string{"a"}, []string{"b", "c"}},
		{[]string{"Tøilette & Café"}, []string{"toilette", "cafe"}, []string{}},
		{[]string{"AC/DC"}, []string{"ac/dc"}, []string{}},
	}
	for _, tt := range tests {
		got := ParseCredits(tt.in)
		if !reflect.DeepEqual(quiets(got.Primary), tt.primary) || !reflect.DeepEqual(quiets(got.Featured), tt.featured) {
			t.Errorf("ParseCredits(%q) = %q / %q, want %q / %q", tt.in, quiets(got.Primary), quiets(got.Featured), tt.primary, tt.featured)
		}
	}
}

func TestIsEdition(t *testing.T) {
	for s, want := range map[string]bool{
		"remastered 2009": true, "2011": true, "mono version": true,
		"radio edit": false, "live": false, "extended mix": false, "love theme": false,
	} {
		if got := IsEdition(s); got != want {
			t.Errorf("IsEdition(%q) = %v", s, got)
		}
	}
}
