package profile

import "testing"

func TestBuiltinProfilesAreValid(t *testing.T) {
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Profiles()) < 12 {
		t.Fatalf("only %d built-in profiles: %v", len(s.Profiles()), s.Names())
	}
	for _, p := range s.Profiles() {
		var header []string
		if p.Header != nil {
			header = p.Header.Required
		}
		if _, err := Bind(p, header); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
}
