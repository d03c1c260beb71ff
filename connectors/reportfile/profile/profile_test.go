package profile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
)

func TestParseRejectsMistakes(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"unknown key", `{"name":"x","header":{"required":["A"]},"colums":{}}`, `unknown field "colums"`},
		{"bad name", `{"name":"X Y","header":{"required":["A"]}}`, "lower-case"},
		{"reserved name", `{"name":"ddex-dsr-x","header":{"required":["A"]}}`, "reserved"},
		{"no header", `{"name":"x"}`, "header.required or first_line"},
		{"bad field", `{"name":"x","header":{"required":["A"]},"columns":{"isrcs":"A"}}`, `"isrcs" is not a canonical field`},
		{"bad regex", `{"name":"x","first_line":"(","rows":[]}`, "first_line"},
		{"name in headerless", `{"name":"x","first_line":"^T","rows":[{"kind":"data","when":{"column":1,"equals":"S"},"columns":{"isrc":"ISRC"}}]}`, "by position"},
		{"two tests", `{"name":"x","header":{"required":["A"]},"rows":[{"kind":"skip","reason":"r","when":{"column":"A","equals":"1","empty":true}}]}`, "exactly one of"},
		{"skip without reason", `{"name":"x","header":{"required":["A"]},"rows":[{"kind":"skip","when":{"column":"A","empty":true}}]}`, "say why"},
		{"bad tolerance", `{"name":"x","header":{"required":["A"]},"rows":[{"kind":"total","when":{"column":1,"equals":"T"},"totals":[{"measure":"rows","value":2,"tolerance":"1e-2"}]}]}`, "tolerance"},
		{"position zero", `{"name":"x","header":{"required":["A"]},"columns":{"isrc":0}}`, "positions start at 1"},
		{"bad delimiter", `{"name":"x","delimiter":"space","header":{"required":["A"]}}`, "delimiter"},
		{"bad encoding", `{"name":"x","encoding":"ebcdic-x","header":{"required":["A"]}}`, "encoding"},
		{"not reported with a column", `{"name":"x","header":{"required":["A"]},"columns":{"units":{"column":"A","not_reported":true}}}`, "not_reported takes no column"},
		{"not reported isrc", `{"name":"x","header":{"required":["A"]},"columns":{"isrc":{"not_reported":true}}}`, "only units and amount"},
		{"computed without columns", `{"name":"x","header":{"required":["A"]},"rows":[{"kind":"total","when":{"column":1,"equals":"T"},"totals":[{"measure":"net","value":2,"tolerance":"0","computed":{"columns":[]}}]}]}`, "at least one column"},
		{"computed and not computable", `{"name":"x","header":{"required":["A"]},"rows":[{"kind":"total","when":{"column":1,"equals":"T"},"totals":[{"measure":"net","value":2,"tolerance":"0","not_computable":"x","computed":{"columns":["A"]}}]}]}`, "exclude each other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.json))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an invalid profile error saying %q", err, tt.want)
			}
		})
	}
}

func TestColumnSpecForms(t *testing.T) {
	ps, err := Parse([]byte(`{"name":"x","header":{"required":["A"]},"columns":{
		"isrc": "A",
		"upc": 3,
		"artists": ["B", "C"],
		"dsp": {"const": "Acme"},
		"label": {"column": "D", "columns": ["E"], "const": "none", "when": [{"column": "A", "pattern": "^x"}]}
	}}`))
	if err != nil {
		t.Fatal(err)
	}
	c := ps[0].Columns
	if c["isrc"].Columns[0].Name != "A" || c["upc"].Columns[0].Index != 3 || len(c["artists"].Columns) != 2 || c["dsp"].Const != "Acme" {
		t.Errorf("columns %+v", c)
	}
	if l := c["label"]; len(l.Columns) != 2 || l.Columns[0].Name != "D" || l.Const != "none" || len(l.When) != 1 {
		t.Errorf("label %+v", l)
	}
}

type cells []string

func (c cells) Len() int                               { return len(c) }
func (c cells) AppendValue(dst []byte, i int) []byte   { return append(dst, c[i]...) }
func (c cells) row(b *Binding, cl Class) (r model.Row) { b.FillRow(c, cl, &r); return r }

func TestBindingMapsRows(t *testing.T) {
	ps, err := Parse([]byte(`{"name":"x","header":{"required":["Type","Name"]},"columns":{
		"track_title": {"column": "Name", "when": {"column": "Type", "equals": "track"}},
		"release_title": {"column": "Name", "when": {"column": "Type", "in": ["album", "package"]}},
		"upc": ["UPC", "Alt UPC"],
		"dsp": {"columns": ["Store"], "const": "Default"}
	},
	"rows": [{"kind": "skip", "when": {"column": "Type", "equals": "payout"}, "reason": "payout"},
	         {"kind": "total", "when": {"column": 1, "equals": "TOTAL"}, "totals": [{"measure": "rows", "value": 2, "tolerance": "0"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Bind(ps[0], []string{"Type", "Name", "UPC", "Alt UPC", "Store"})
	if err != nil {
		t.Fatal(err)
	}
	track := cells{"Track ", "Song", "", "123", ""}
	if c := b.Classify(track); c.Kind != KindData {
		t.Fatalf("class %+v", c)
	}
	r := track.row(b, b.Classify(track))
	if r.Cells[model.FieldTrackTitle] != "Song" || r.Cells[model.FieldReleaseTitle] != "" || r.Cells[model.FieldUPC] != "123" || r.Cells[model.FieldDSP] != "Default" || r.Malformed != "" {
		t.Errorf("track row %+v", r.Cells)
	}
	album := cells{"album", "Record", "999", "", "Shop"}
	r = album.row(b, b.Classify(album))
	if r.Cells[model.FieldTrackTitle] != "" || r.Cells[model.FieldReleaseTitle] != "Record" || r.Cells[model.FieldUPC] != "999" || r.Cells[model.FieldDSP] != "Shop" {
		t.Errorf("album row %+v", r.Cells)
	}
	if c := b.Classify(cells{"PAYOUT", "", "", "", ""}); c.Kind != KindSkip || b.SkipReason(c) != "payout" {
		t.Errorf("payout class %+v", c)
	}
	total := cells{"TOTAL", "7"}
	c := b.Classify(total)
	if d := b.RowTotals(total, c, 9, ""); c.Kind != KindTotal || len(d) != 1 || d[0].Value != "7" || d[0].Line != 9 {
		t.Errorf("total %+v %+v", c, d)
	}
	short := cells{"track", "Song"}
	r = short.row(b, b.Classify(short))
	if !r.HasMissing || r.MissingField != model.FieldUPC || !strings.Contains(r.Malformed, "2 cells; 5 expected") {
		t.Errorf("short row missing %v %v %q", r.HasMissing, r.MissingField, r.Malformed)
	}
}

func TestLoadMergesWithBase(t *testing.T) {
	base, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.json", `{"name":"prs","description":"mine","header":{"required":["Work Title"]},"columns":{"track_title":"Work Title"}}`)
	write("b.json", `[{"name":"new-one","header":{"required":["Z"]}}]`)
	write("notes.txt", "ignored")
	set, err := Load(dir, base)
	if err != nil {
		t.Fatal(err)
	}
	if set.Get("prs").Description != "mine" || set.Get("new-one") == nil || set.Get("beatport") == nil {
		t.Errorf("merged set %v", set.Names())
	}
	if set.Names()[0] != "prs" || len(set.Names()) != len(base.Names())+1 {
		t.Errorf("order %v", set.Names())
	}
	one, err := Load(filepath.Join(dir, "b.json"), nil)
	if err != nil || len(one.Names()) != 1 {
		t.Errorf("single file: %v %v", one, err)
	}
	write("c.json", `{"name":"new-one","header":{"required":["Z"]}}`)
	if _, err := Load(dir, nil); err == nil || !strings.Contains(err.Error(), "two profiles are named") {
		t.Errorf("duplicate names: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing"), nil); err == nil {
		t.Error("no error for a missing path")
	}
}

func TestNormalizeHeader(t *testing.T) {
	for in, want := range map[string]string{
		"TRACK_ISRC_CODE":  "trackisrccode",
		" Track ISRC Code": "trackisrccode",
		"\ufeffdate":       "date",
		"# Units Sold":     "#unitssold",
	} {
		if got := NormalizeHeader(in); got != want {
			t.Errorf("NormalizeHeader(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAssumedNotReportedAndComputedTotals(t *testing.T) {
	ps, err := Parse([]byte(`{"name":"x","header":{"required":["Qty","Due","Withheld"]},"columns":{
		"currency": {"const": "USD", "assumed": true},
		"period_start": {"column": "Paid", "assumed": true},
		"units": "Qty",
		"amount": {"not_reported": true}
	},
	"text_trailer": {"start": "^Totals", "totals": [
		{"measure": "label_net", "pattern": "^Net: (\\S+)", "tolerance": "0.01", "computed": {"columns": ["Due", "Withheld"]}},
		{"measure": "withheld", "pattern": "^Withheld: (\\S+)", "tolerance": "0.01", "computed": {"columns": ["Withheld"], "negate": true, "when": {"column": "Qty", "pattern": "^[1-9]"}}},
		{"measure": "carried", "pattern": "^Carried: (\\S+)", "tolerance": "0", "not_computable": "earlier statements"}
	]}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Bind(ps[0], []string{"Qty", "Due", "Withheld", "Paid"})
	if err != nil {
		t.Fatal(err)
	}
	r := cells{"2", "1.50", "0.20", ""}.row(b, Class{Kind: KindData, Rule: -1})
	if !r.Assumed.Has(model.FieldCurrency) || r.Assumed.Has(model.FieldPeriodStart) || r.Cells[model.FieldCurrency] != "USD" {
		t.Errorf("assumed %b, currency %q: only a field that got a value is assumed", r.Assumed, r.Cells[model.FieldCurrency])
	}
	if !r.NotReported.Has(model.FieldAmount) || r.NotReported.Has(model.FieldUnits) {
		t.Errorf("not reported %b", r.NotReported)
	}
	want := []model.Term{{Measure: "label_net", Value: "1.50"}, {Measure: "label_net", Value: "0.20"}, {Measure: "withheld", Value: "0.20", Negate: true}}
	if len(r.Terms) != len(want) {
		t.Fatalf("terms %+v", r.Terms)
	}
	for i := range want {
		if r.Terms[i] != want[i] {
			t.Errorf("term %d: %+v, want %+v", i, r.Terms[i], want[i])
		}
	}
	r = cells{"0", "1.00", "0.10", "1/6/2020"}.row(b, Class{Kind: KindData, Rule: -1})
	if !r.Assumed.Has(model.FieldPeriodStart) || len(r.Terms) != 2 {
		t.Errorf("assumed %b, terms %+v", r.Assumed, r.Terms)
	}
	d := b.TrailerTotals([]byte("Net: 2.50"), 9)
	c := b.TrailerTotals([]byte("Carried: 7"), 10)
	if len(d) != 1 || !d[0].FromTerms || len(c) != 1 || c[0].NotComputable != "earlier statements" {
		t.Errorf("declared %+v %+v", d, c)
	}
}
