package lake

import (
	"strings"
	"testing"
)

func TestEscapeValue(t *testing.T) {
	cases := map[string]string{
		"Spotify":           "Spotify",
		"Apple Music":       "Apple%20Music",
		"a/b=c%d":           "a%2Fb%3Dc%25d",
		"":                  emptyValue,
		".":                 "%2E",
		"..":                "%2E%2E",
		"x.y":               "x.y",
		"Beyoncé":           "Beyonc%C3%A9",
		"tab\there\nnl\x00": "tab%09here%0Anl%00",
	}
	for in, want := range cases {
		got := EscapeValue(in)
		if got != want {
			t.Errorf("EscapeValue(%q) = %q, want %q", in, got, want)
		}
		if back, ok := UnescapeValue(got); !ok || back != in {
			t.Errorf("UnescapeValue(%q) = %q, %v; want %q", got, back, ok, in)
		}
	}
}

func TestEscapeValueBoundsLength(t *testing.T) {
	long := strings.Repeat("é", 200)
	a, b := EscapeValue(long), EscapeValue(long+"x")
	if len(a) > maxValueLen || len(b) > maxValueLen {
		t.Fatalf("escaped lengths %d, %d exceed %d", len(a), len(b), maxValueLen)
	}
	if a == b {
		t.Fatal("distinct long values escape alike")
	}
	if _, ok := UnescapeValue(a); ok {
		t.Fatal("a cut value claims to round-trip")
	}
}

func FuzzEscapeValue(f *testing.F) {
	for _, s := range []string{"Spotify", "a/b", "..", "", "%41", strings.Repeat("z", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		e := EscapeValue(v)
		if e == "" || e == "." || e == ".." || strings.ContainsAny(e, "/=\x00") || len(e) > maxValueLen {
			t.Fatalf("EscapeValue(%q) = %q is not a safe path element", v, e)
		}
		for i := 0; i < len(e); i++ {
			if e[i] >= 0x80 || e[i] < 0x20 {
				t.Fatalf("EscapeValue(%q) = %q has byte %#x", v, e, e[i])
			}
		}
		if back, ok := UnescapeValue(e); ok && back != v {
			t.Fatalf("round trip %q -> %q -> %q", v, e, back)
		}
	})
}

func TestOptionsValidate(t *testing.T) {
	if _, err := (Options{}).withDefaults(); err == nil {
		t.Fatal("options without Root accepted")
	}
	o, err := Options{Root: "x"}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if o.Topic != DefaultTopic || o.RollRows != DefaultRollRows || len(o.PartitionKeys) != 3 {
		t.Fatalf("defaults not applied: %+v", o)
	}
	_, err = Options{Root: "x", RollRows: -1, PartitionKeys: []PartitionKey{KeyDSP, KeyDSP}, RetainReplaced: -1}.withDefaults()
	for _, want := range []string{"RollRows", "repeated", "RetainReplaced"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("validation error %v does not mention %s", err, want)
		}
	}
}
