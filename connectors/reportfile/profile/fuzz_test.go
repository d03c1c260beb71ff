package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"reflect"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse: it accepts one JSON document
// of valid profiles, and what it accepts marshals to JSON that parses to
// the same profiles and marshals the same again. Binding an accepted
// profile to its own required header does not panic.
func FuzzParse(f *testing.F) {
	names, _ := fs.Glob(builtinFS, "builtin/*.json")
	for _, name := range names {
		if data, err := fs.ReadFile(builtinFS, name); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		`{"name":"x","header":{"required":["A"]},"columns":{"isrc":["A","B"],"units":{"column":2,"const":"1","when":{"column":"A","in":["x"]}}}}`,
		`[{"name":"x","first_line":"^T","rows":[{"kind":"data","cells":3,"when":[{"column":1,"equals":"S"}],"columns":{"isrc":2}}]}]`,
		`{"name":"x","header":{"required":["A"]},"text_trailer":{"start":"^Total","totals":[{"measure":"amount","pattern":"(\\d+)","tolerance":"0.01"}]}}`,
		`[null]`, `null`, `[]`, `{"name":"x","header":{"required":["A"]}} {"name":"y"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("Parse accepts %q, which is not one JSON document", data)
		}
		for _, p := range list {
			if p == nil || p.Validate() != nil {
				t.Fatalf("Parse returns profile %+v", p)
			}
			var header []string
			if p.Header != nil {
				header = p.Header.Required
			}
			_, _ = Bind(p, header)
		}
		enc, err := json.Marshal(list)
		if err != nil {
			t.Fatalf("parsed profiles do not marshal: %v", err)
		}
		back, err := Parse(enc)
		if err != nil {
			t.Fatalf("marshalled profiles %s do not parse: %v", enc, err)
		}
		if !reflect.DeepEqual(back, list) {
			t.Fatalf("profiles %s parse as\n%+v\nwant\n%+v", enc, back, list)
		}
		if again, err := json.Marshal(back); err != nil || !bytes.Equal(again, enc) {
			t.Fatalf("profiles marshal as %s, then as %s, %v", enc, again, err)
		}
	})
}

// TestParseRefusesOddDocuments: a null profile and data after the JSON
// value are refused, not a panic or a silently dropped profile.
func TestParseRefusesOddDocuments(t *testing.T) {
	for _, s := range []string{
		`[null]`,
		`[{"name":"x","header":{"required":["A"]}},null]`,
		`{"name":"x","header":{"required":["A"]}} {"name":"y","header":{"required":["B"]}}`,
		`[{"name":"x","header":{"required":["A"]}}] [{"name":"y","header":{"required":["B"]}}]`,
		`{"name":"x","header":{"required":["A"]}} x`,
	} {
		if list, err := Parse([]byte(s)); !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%s) = %d profiles, %v", s, len(list), err)
		}
	}
}
