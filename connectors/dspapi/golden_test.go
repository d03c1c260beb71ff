package dspapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/validate"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

type goldenItem struct {
	ID        string            `json:"id,omitempty"`
	Cells     map[string]string `json:"cells,omitempty"`
	Malformed string            `json:"malformed,omitempty"`
	// Verdict is "accepted" or the rejection: "reason: field: message".
	Verdict string `json:"verdict"`
}

type goldenPage struct {
	Items      []goldenItem `json:"items"`
	NextCursor string       `json:"next_cursor,omitempty"`
	Error      string       `json:"error,omitempty"`
}

// decodeGolden decodes a page with profile p and validates every item.
func decodeGolden(p *Profile, body []byte) goldenPage {
	v := validate.New(validate.Options{})
	dec := p.NewPageDecoder(bytes.NewReader(body))
	var out goldenPage
	var l validate.Line
	for {
		raw, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			out.Error = err.Error()
			break
		}
		l.Source = avro.Source{FileSHA256: "w", Line: int64(len(out.Items) + 1), Profile: p.Name}
		id := p.MapItem(raw, &l)
		g := goldenItem{ID: id, Cells: map[string]string{}, Malformed: l.Malformed, Verdict: "accepted"}
		for i, name := range FieldNames {
			if c := *cell(&l, i); c != "" {
				g.Cells[name] = c
			}
		}
		if _, rej := v.Validate(&l, time.Unix(0, 0)); rej != nil {
			g.Verdict = rej.Error()
		}
		out.Items = append(out.Items, g)
	}
	out.NextCursor = dec.NextCursor()
	return out
}

func TestGoldenPages(t *testing.T) {
	inputs, err := filepath.Glob("testdata/pages/*.json")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no pages: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			profile, _, _ := strings.Cut(name, "--")
			body, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(decodeGolden(builtin(t, profile), body), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", in, path, got)
			}
		})
	}
}

func TestPageDecoderShapes(t *testing.T) {
	cursor := builtin(t, "cursor-json")
	cases := []struct {
		name, body string
		items      int
		next       string
		syntax     bool
	}{
		{"cursor after items", `{"data":[{},{}],"meta":{"next_cursor":"n1"}}`, 2, "n1", false},
		{"cursor before items", `{"meta":{"next_cursor":"n2"},"data":[{}]}`, 1, "n2", false},
		{"numeric cursor", `{"meta":{"next_cursor":17},"data":[]}`, 0, "17", false},
		{"null items", `{"data":null,"meta":{}}`, 0, "", false},
		{"no items key", `{"meta":{"next_cursor":null}}`, 0, "", false},
		{"other keys skipped", `{"x":{"data":[1]},"data":[{"a":[{"b":{}}]}],"meta":{"other":{"next_cursor":"no"}}}`, 1, "", false},
		{"meta not an object", `{"meta":[1,2],"data":[{}]}`, 1, "", false},
		{"items not an array", `{"data":{"a":1}}`, 0, "", true},
		{"cursor an object", `{"meta":{"next_cursor":{}}}`, 0, "", true},
		{"not an object", `[]`, 0, "", true},
		{"empty body", ``, 0, "", true},
		{"truncated", `{"data":[{},{"a":`, 1, "", true},
		{"trailing data", `{"data":[]} {}`, 0, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dec := cursor.NewPageDecoder(strings.NewReader(tc.body))
			n := 0
			var err error
			for {
				_, err = dec.Next()
				if err != nil {
					break
				}
				n++
			}
			if n != tc.items {
				t.Errorf("%d items, want %d", n, tc.items)
			}
			if tc.syntax != errors.Is(err, ErrPageSyntax) || (!tc.syntax && err != io.EOF) {
				t.Errorf("err %v, want syntax error %v", err, tc.syntax)
			}
			if !tc.syntax && dec.NextCursor() != tc.next {
				t.Errorf("next cursor %q, want %q", dec.NextCursor(), tc.next)
			}
		})
	}
}

// TestItemSizeBound: many items of any total size stream through, but one
// item larger than MaxItemBytes stops the page with ErrItemTooLarge,
// which is not retryable, after reading little more than the bound.
func TestItemSizeBound(t *testing.T) {
	cursor := builtin(t, "cursor-json")
	small := `{"isrc":"` + strings.Repeat("A", 1000) + `"}`
	many := `{"data":[` + strings.TrimSuffix(strings.Repeat(small+",", 3*MaxItemBytes/len(small)), ",") + `]}`
	dec := cursor.NewPageDecoder(strings.NewReader(many))
	n := 0
	var err error
	for ; err == nil; n++ {
		_, err = dec.Next()
	}
	if err != io.EOF || n-1 != 3*MaxItemBytes/len(small) {
		t.Fatalf("a page of %d small items (%d bytes): %d items, then %v", 3*MaxItemBytes/len(small), len(many), n-1, err)
	}

	huge := &countingReader{r: io.MultiReader(strings.NewReader(`{"data":[{"a":1},{"isrc":"`),
		strings.NewReader(strings.Repeat("A", 4*MaxItemBytes)), strings.NewReader(`"}]}`))}
	dec = cursor.NewPageDecoder(huge)
	if _, err := dec.Next(); err != nil {
		t.Fatalf("first item: %v", err)
	}
	_, err = dec.Next()
	if !errors.Is(err, ErrItemTooLarge) || errors.Is(err, ErrPageSyntax) || IsRetryable(err) {
		t.Fatalf("an item of %d bytes: %v, want ErrItemTooLarge, not retryable", 4*MaxItemBytes, err)
	}
	if huge.n > MaxItemBytes+64<<10 {
		t.Errorf("read %d bytes of the page before giving up, want about %d", huge.n, MaxItemBytes)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestNestedItemsPath(t *testing.T) {
	p := builtin(t, "cursor-json")
	q := *p
	q.Items, q.NextCursor = "result.page.rows", "result.paging.next"
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	dec := q.NewPageDecoder(strings.NewReader(`{"result":{"paging":{"next":"z"},"page":{"n":2,"rows":[{},{},{}]}}}`))
	n := 0
	for {
		_, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 || dec.NextCursor() != "z" {
		t.Fatalf("%d items, cursor %q", n, dec.NextCursor())
	}
}
