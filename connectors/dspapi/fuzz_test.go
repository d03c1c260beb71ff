package dspapi

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/validate"
)

// FuzzDecodePage feeds arbitrary bodies to both built-in profiles: the
// decoder must end with io.EOF or an error, never panic or loop, and
// every item it yields must map to a line that the validator either
// accepts or rejects with exactly one reason, malformed items as
// malformed_row.
func FuzzDecodePage(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/pages/*.json")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"data":[{"track":{"isrc":"GBABC2600001"}}],"meta":{"next_cursor":"x"}}`))
	f.Add([]byte(`[{"item_id":1,"quantity":{"a":[1]}},"x",null,[]]`))
	var profiles []*Profile
	for _, name := range []string{"cursor-json", "link-header"} {
		profiles = append(profiles, builtin(f, name))
	}
	v := validate.New(validate.Options{})
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, p := range profiles {
			dec := p.NewPageDecoder(bytes.NewReader(body))
			var l validate.Line
			for n := 0; ; n++ {
				if n > len(body)+1 {
					t.Fatalf("%s: %d items from %d bytes", p.Name, n, len(body))
				}
				raw, err := dec.Next()
				if err != nil {
					if err != io.EOF {
						if _, again := dec.Next(); again == nil {
							t.Fatalf("%s: Next after error %v succeeded", p.Name, err)
						}
					}
					break
				}
				l.Source = avro.Source{FileSHA256: "w", Line: int64(n + 1), Profile: p.Name}
				p.MapItem(raw, &l)
				if !bytes.Equal(l.Raw, raw) {
					t.Fatalf("%s: raw item not kept", p.Name)
				}
				ev, rej := v.Validate(&l, time.Unix(0, 0))
				switch {
				case rej != nil && rej.Reason == "":
					t.Fatalf("%s: rejection without a reason", p.Name)
				case l.Malformed != "" && (rej == nil || rej.Reason != avro.ReasonMalformedRow):
					t.Fatalf("%s: malformed item %q not rejected as malformed_row: %v", p.Name, raw, rej)
				case rej == nil && ev.EventID != validate.EventID("w", int64(n+1)):
					t.Fatalf("%s: event id %q", p.Name, ev.EventID)
				}
			}
		}
	})
}
