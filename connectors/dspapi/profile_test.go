package dspapi

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func builtin(t testing.TB, name string) *Profile {
	t.Helper()
	p, err := LoadProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBuiltinProfilesAreValidAndDiffer(t *testing.T) {
	ps, err := BuiltinProfiles()
	if err != nil {
		t.Fatal(err)
	}
	styles := map[string]bool{}
	for _, p := range ps {
		styles[p.Pagination] = true
	}
	if len(ps) < 2 || !styles[PaginationBodyCursor] || !styles[PaginationLinkHeader] {
		t.Fatalf("built-in profiles %d with styles %v: want both pagination styles", len(ps), styles)
	}
}

func TestLoadProfileFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mine.json")
	data, err := os.ReadFile("profiles/cursor-json.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), `"cursor-json"`, `"mine"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadProfile(path)
	if err != nil || p.Name != "mine" {
		t.Fatalf("LoadProfile(file) = %v, %v", p, err)
	}
	if _, err := LoadProfile("no-such-profile"); err == nil || !strings.Contains(err.Error(), "cursor-json") {
		t.Fatalf("unknown profile: %v, want an error naming the built-in ones", err)
	}
}

func TestProfileValidation(t *testing.T) {
	base := func() Profile {
		return Profile{Name: "p", Path: "/u/{account}", Query: Query{From: "f", To: "t", Cursor: "c"},
			PageSize: 10, Pagination: PaginationBodyCursor, Items: "data", NextCursor: "next",
			Fields: map[string]string{"dsp": "svc", "units": "n"}}
	}
	cases := []struct {
		name   string
		mutate func(*Profile)
		want   string
	}{
		{"valid", func(*Profile) {}, ""},
		{"no name", func(p *Profile) { p.Name = "" }, "no name"},
		{"relative path", func(p *Profile) { p.Path = "u" }, "must start with /"},
		{"no dates", func(p *Profile) { p.Query.To = "" }, "query.from and query.to"},
		{"account nowhere", func(p *Profile) { p.Path = "/u" }, "account goes nowhere"},
		{"page size", func(p *Profile) { p.PageSize = 0 }, "page_size"},
		{"cursor without path", func(p *Profile) { p.NextCursor = "" }, "needs next_cursor"},
		{"unknown style", func(p *Profile) { p.Pagination = "offset" }, "pagination"},
		{"link with cursor", func(p *Profile) { p.Pagination = PaginationLinkHeader }, "takes no next_cursor"},
		{"overlap", func(p *Profile) { p.NextCursor = "data.next" }, "overlap"},
		{"unknown field", func(p *Profile) { p.Fields["royalty"] = "x" }, `unknown field "royalty"`},
		{"empty path", func(p *Profile) { p.Fields["isrc"] = "" }, "empty path"},
		{"no dsp", func(p *Profile) { delete(p.Fields, "dsp") }, "service name"},
		{"expired status", func(p *Profile) { p.CursorExpiredStatus = []int{500} }, "not a 4xx"},
		{"decimal", func(p *Profile) { p.Decimal = ";" }, "decimal"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := base()
			tc.mutate(&p)
			err := p.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrInvalidProfile) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v, want ErrInvalidProfile containing %q", err, tc.want)
			}
		})
	}
	if _, err := ParseProfile([]byte(`{"name":"x","pagee_size":3}`)); !errors.Is(err, ErrInvalidProfile) {
		t.Fatalf("a misspelt key: %v", err)
	}
}
