package textnorm

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

var textSeeds = []string{
	"Tøilette & Café", "Hier, à lʼaube, jʼai fait une petite pisse", "Don’t  Stop\tMe Now ", "Straße",
	"Ærøskøbing", "ﬁnal “cut” — part", "İstanbul", "Sigur Rós – Hoppípolla", "日本語", "R.E.M.", "Jay-Z",
	"Yesterday - Remastered 2009", "Song [Live] (Radio Edit)", "Song (feat. B & C)", "Song feat. B",
	"A feat. B, C", "Simon & Garfunkel", "x\u200by\u00a0z", "\xff\xfe bad \xc3", "ǅ ᾈ ﬀ K Å", "",
}

// checkForm checks what every quiet or loose form is: valid UTF-8 with
// single spaces between words and none at either end.
func checkForm(t *testing.T, kind, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) || strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
		t.Fatalf("%s(%q) = %q", kind, in, out)
	}
	for i := 0; i < len(out); i++ {
		if c := out[i]; c < 0x20 || c == 0x7f || ('A' <= c && c <= 'Z') || c == '\'' || c == '`' {
			t.Fatalf("%s(%q) = %q holds %q", kind, in, out, c)
		}
	}
}

// FuzzFold checks the quiet and loose forms: well formed, idempotent,
// loose a function of quiet, and the same whether appended or returned.
func FuzzFold(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s, "prefix ")
	}
	f.Fuzz(func(t *testing.T, s, prefix string) {
		q, l := Quiet(s), Loose(s)
		checkForm(t, "Quiet", s, q)
		checkForm(t, "Loose", s, l)
		for i := 0; i < len(l); i++ {
			if c := l[i]; c < utf8.RuneSelf && c != ' ' && !('a' <= c && c <= 'z') && !('0' <= c && c <= '9') {
				t.Fatalf("Loose(%q) = %q holds %q", s, l, c)
			}
		}
		if again := Quiet(q); again != q {
			t.Fatalf("Quiet(%q) = %q, whose quiet form is %q", s, q, again)
		}
		if again := Loose(l); again != l {
			t.Fatalf("Loose(%q) = %q, whose loose form is %q", s, l, again)
		}
		if lq := Loose(q); lq != l {
			t.Fatalf("Loose(%q) = %q, but the loose form of its quiet form %q is %q", s, l, q, lq)
		}
		if ql := Quiet(l); ql != l {
			t.Fatalf("Loose(%q) = %q is not quiet: %q", s, l, ql)
		}
		if got := string(AppendQuiet([]byte(prefix), s)); got != prefix+q {
			t.Fatalf("AppendQuiet(%q, %q) = %q", prefix, s, got)
		}
		if got := string(AppendLoose([]byte(prefix), s)); got != prefix+l {
			t.Fatalf("AppendLoose(%q, %q) = %q", prefix, s, got)
		}
		if Quiet(s) != q || Loose(s) != l {
			t.Fatalf("forms of %q differ between calls", s)
		}
	})
}

// checkParts checks parts produced by the parsers: each loose form is that
// of its quiet form, each quiet form is quiet, and none is empty.
func checkParts(t *testing.T, what string, ps []Part) {
	t.Helper()
	for _, p := range ps {
		if p.Loose == "" || p.Loose != Loose(p.Quiet) || Quiet(p.Quiet) != p.Quiet {
			t.Fatalf("%s part %+v", what, p)
		}
	}
}

// FuzzParseTitle checks that a parsed title depends only on the quiet
// forms of its inputs, is deterministic, and consists of well-formed
// parts with versions unique by their loose forms.
func FuzzParseTitle(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s, "", false)
		f.Add(s, "(Remastered 2009)", true)
	}
	f.Fuzz(func(t *testing.T, title, version string, hasVersion bool) {
		var v *string
		if hasVersion {
			v = &version
		}
		got := ParseTitle(title, v)
		if again := ParseTitle(title, v); !reflect.DeepEqual(again, got) {
			t.Fatalf("ParseTitle(%q) differs between calls: %+v, %+v", title, got, again)
		}
		if got.Base.Loose != Loose(got.Base.Quiet) || Quiet(got.Base.Quiet) != got.Base.Quiet {
			t.Fatalf("ParseTitle(%q) base %+v", title, got.Base)
		}
		checkParts(t, "version", got.Versions)
		checkParts(t, "featured", got.Featured)
		seen := map[string]bool{}
		for _, p := range got.Versions {
			if seen[p.Loose] {
				t.Fatalf("ParseTitle(%q) repeats version %q", title, p.Loose)
			}
			seen[p.Loose] = true
		}
		var qv *string
		if v != nil {
			q := Quiet(*v)
			qv = &q
		}
		if quiet := ParseTitle(Quiet(title), qv); !reflect.DeepEqual(quiet, got) {
			t.Fatalf("ParseTitle(%q) = %+v, but of its quiet form %+v", title, got, quiet)
		}
	})
}

// FuzzParseCredits checks that parsed credits depend only on the quiet
// forms of the artists, that a list parses as its entries parsed one by
// one, and that every name is a well-formed part.
func FuzzParseCredits(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s + "\nB feat. C, D\nE & F")
	}
	f.Fuzz(func(t *testing.T, list string) {
		artists := strings.Split(list, "\n")
		got := ParseCredits(artists)
		if again := ParseCredits(artists); !reflect.DeepEqual(again, got) {
			t.Fatalf("ParseCredits(%q) differs between calls", artists)
		}
		checkParts(t, "primary", got.Primary)
		checkParts(t, "featured", got.Featured)
		var one Credits
		quiet := make([]string, len(artists))
		for i, a := range artists {
			c := ParseCredits([]string{a})
			one.Primary = append(one.Primary, c.Primary...)
			one.Featured = append(one.Featured, c.Featured...)
			quiet[i] = Quiet(a)
		}
		if !reflect.DeepEqual(one, got) {
			t.Fatalf("ParseCredits(%q) = %+v, entry by entry %+v", artists, got, one)
		}
		if q := ParseCredits(quiet); !reflect.DeepEqual(q, got) {
			t.Fatalf("ParseCredits(%q) = %+v, of the quiet forms %+v", artists, got, q)
		}
		if all := got.All(); len(all) != len(got.Primary)+len(got.Featured) {
			t.Fatalf("All() has %d names", len(all))
		}
	})
}
