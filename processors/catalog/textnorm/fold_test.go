package textnorm

import "testing"

func TestQuiet(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Tøilette & Café", "toilette & cafe"},
		{"Toilette & Cafe", "toilette & cafe"},
		{"Hier, à l'aube, j'ai fait une petite pisse", "hier, a laube, jai fait une petite pisse"},
		{"Hier, à lʼaube, jʼai fait une petite pisse", "hier, a laube, jai fait une petite pisse"},
		{"Don’t  Stop\tMe Now ", "dont stop me now"},
		{"  DON´T stop me now", "dont stop me now"},
		{"Straße", "strasse"},
		{"Ærøskøbing", "aeroskobing"},
		{"ﬁnal “cut” — part", `final "cut" - part`},
		{"Beyoncé", "beyonce"},
		{"İstanbul", "istanbul"},
		{"Sigur Rós – Hoppípolla", "sigur ros - hoppipolla"},
		{"", ""},
		{"   ", ""},
		{"日本語", "日本語"},
	}
	for _, tt := range tests {
		if got := Quiet(tt.in); got != tt.want {
			t.Errorf("Quiet(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLoose(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Tøilette & Café", "toilette and cafe"},
		{"Toilette and Cafe", "toilette and cafe"},
		{"R.E.M.", "rem"},
		{"Jay-Z", "jay z"},
		{"Hello, World!", "hello world"},
		{"Song (Remastered 2011)", "song remastered 2011"},
		{"rock&roll", "rock and roll"},
	}
	for _, tt := range tests {
		if got := Loose(tt.in); got != tt.want {
			t.Errorf("Loose(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLooseOfQuietIsLoose(t *testing.T) {
	for _, s := range []string{"Tøilette & Café", "Don’t Stop (Live) - 2011 Remaster", "A.B.C. ft. D", "«Ça» — va"} {
		if a, b := Loose(Quiet(s)), Loose(s); a != b {
			t.Errorf("Loose(Quiet(%q)) = %q, Loose = %q", s, a, b)
		}
		if a, b := Quiet(Quiet(s)), Quiet(s); a != b {
			t.Errorf("Quiet not idempotent on %q: %q vs %q", s, a, b)
		}
	}
}

func TestAppendDoesNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 128)
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendLoose(buf[:0], "Tøilette & Café — Don’t Stop (Remastered 2011)")
	})
	if allocs != 0 {
		t.Errorf("AppendLoose allocates %v times", allocs)
	}
}
