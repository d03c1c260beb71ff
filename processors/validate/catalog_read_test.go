package validate

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/ledgerline/ledgerline/avro"
)

func collect(t *testing.T, seq func(func(*CatalogInput, error) bool)) ([]*CatalogInput, error) {
	t.Helper()
	var out []*CatalogInput
	var last error
	for c, err := range seq {
		if err != nil {
			last = err
			continue
		}
		out = append(out, c)
	}
	return out, last
}

func TestReadCatalogCSV(t *testing.T) {
	in := "\ufeffISRC,Version,Valid_From,Title,Artists,Splits,UPC\r\n" +
		"USRC17607839,1,2023-01-01,Track Title,\"Artist 1|Artist 2\",\"IPI:1:Writer, Jr.:composer:1\",00123456789012\r\n" +
		"USRC17607840,1,2023-01-01,\"Multi\nline\",A,,\r\n" +
		"USRC17607841,1,2023-01-01\r\n" +
		"USRC17607842,2,2023-02-01,Last,B,P:p:artist:1,\r\n"
	got, err := collect(t, ReadCatalogCSV(strings.NewReader(in)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d inputs", len(got))
	}
	if c := got[0]; c.Line != 2 || c.ISRC != "USRC17607839" || c.Splits != "IPI:1:Writer, Jr.:composer:1" || c.Artists != "Artist 1|Artist 2" || c.Malformed != "" {
		t.Errorf("row 1 = %+v", c)
	}
	if c := got[1]; c.Line != 3 || c.Title != "Multi\nline" {
		t.Errorf("row 2 = %+v", c)
	}
	if c := got[2]; c.Line != 5 || !strings.Contains(c.Malformed, "3 cells") || string(c.Raw) != "USRC17607841,1,2023-01-01" {
		t.Errorf("row 3 = %+v (raw %q)", c, c.Raw)
	}
	if c := got[3]; c.Line != 6 || c.Version != "2" {
		t.Errorf("row 4 = %+v", c)
	}
	v := New(Options{})
	if rec, rej := v.ValidateCatalog(got[0]); rej != nil || rec.Splits[0].Name != "Writer, Jr." {
		t.Errorf("row 1: %v %+v", rej, rec)
	}
	if _, rej := v.ValidateCatalog(got[2]); rej == nil || rej.Reason != avro.ReasonMalformedRow {
		t.Errorf("row 3: %v", rej)
	}
}

func TestReadCatalogCSVErrors(t *testing.T) {
	tests := map[string]string{
		"":                "header",
		"isrc,color\n":    `unknown column "color"`,
		"title,version\n": "no isrc",
		"isrc,isrc\n":     "twice",
		"isrc,\"title\n":  "header",
	}
	for in, want := range tests {
		_, err := collect(t, ReadCatalogCSV(strings.NewReader(in)))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadCatalogCSV(%q) error = %v, want %q", in, err, want)
		}
	}
	// A bare quote inside a row is a malformed row, not the end.
	got, err := collect(t, ReadCatalogCSV(strings.NewReader("isrc,title\nUSRC17607839,Bad \"quote\nUSRC17607840,Good\n")))
	if err != nil || len(got) != 2 || got[0].Malformed == "" || got[1].Title != "Good" {
		t.Errorf("bare quote: %v %+v", err, got)
	}
	// A read error ends the sequence with an error.
	_, err = collect(t, ReadCatalogCSV(iotest.TimeoutReader(strings.NewReader("isrc,title\nUSRC17607839,T\n"))))
	if err == nil {
		t.Error("read error not reported")
	}
	// Stopping early stops reading.
	n := 0
	for range ReadCatalogCSV(strings.NewReader("isrc\nA\nB\nC\n")) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("yielded %d after break", n)
	}
}

func TestReadCatalogJSONLines(t *testing.T) {
	in := `{"isrc":"USRC17607839","version":1,"valid_from":"2023-01-01T00:00:00Z","title":"T","artists":["A","B"],"splits":[{"party_id":"IPI:1","name":"W","role":"composer","share":0.5},{"party_id":"IPI:2","name":"X","role":"composer","share":"0.5"}]}` + "\r\n" +
		"\n" +
		`{"isrc":"USRC17607840","version":"2","valid_from":"2023-01-01","title":"U","artists":"A|B","splits":"P:p:artist:1"}` + "\n" +
		`{"isrc":"USRC17607841","colour":"red"}` + "\n" +
		`{"isrc":` + "\n" +
		`{"isrc":"USRC17607842","version":true}` + "\n" +
		`{"isrc":"USRC17607843","splits":[{"party_id":"P","share":{}}]}` + "\n" +
		`{"isrc":"USRC17607844"} {"isrc":"x"}` + "\n" +
		`{"isrc":"USRC17607845","version":1,"valid_from":"2023-01-01","title":"Last","splits":[{"party_id":"P","role":"artist","share":1.0}]}`
	got, err := collect(t, ReadCatalogJSONLines(strings.NewReader(in)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 8 {
		t.Fatalf("got %d inputs", len(got))
	}
	v := New(Options{})
	rec, rej := v.ValidateCatalog(got[0])
	if rej != nil || got[0].Line != 1 || len(rec.Artists) != 2 || len(rec.Splits) != 2 || rec.Splits[0].Share.String() != "0.5" {
		t.Errorf("line 1: %v %+v", rej, rec)
	}
	rec, rej = v.ValidateCatalog(got[1])
	if rej != nil || got[1].Line != 3 || rec.Version != 2 || len(rec.Artists) != 2 || len(rec.Splits) != 1 {
		t.Errorf("line 3: %v %+v", rej, rec)
	}
	for i, want := range []string{"unknown field", "bad JSON", "version", "splits", "more than one value"} {
		c := got[2+i]
		if !strings.Contains(c.Malformed, want) {
			t.Errorf("input %d malformed = %q, want %q", 2+i, c.Malformed, want)
		}
		if _, rej := v.ValidateCatalog(c); rej == nil || rej.Reason != avro.ReasonMalformedRow {
			t.Errorf("input %d: %v", 2+i, rej)
		}
	}
	last := got[7]
	if rec, rej := v.ValidateCatalog(last); rej != nil || last.Line != 9 || string(last.Raw[:9]) != `{"isrc":"` {
		t.Errorf("last line: %v %+v", rej, rec)
	}
	_, err = collect(t, ReadCatalogJSONLines(iotest.ErrReader(errors.New("disk on fire"))))
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("read error = %v", err)
	}
}
