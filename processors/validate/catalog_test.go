package validate

import (
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/shopspring/decimal"
)

func validCatalogInput() *CatalogInput {
	return &CatalogInput{
		Line:         2,
		ISRC:         "US-RC1-76-07839",
		Version:      "3",
		ValidFrom:    "2023-01-01T00:00:00Z",
		Title:        "Track Title",
		VersionTitle: "Radio Edit",
		Artists:      "Artist 1|Artist 2",
		ReleaseTitle: "Release",
		UPC:          "00123456789012",
		ISWC:         "T-034.524.680-1",
		Label:        "Music Label",
		Splits:       "IPI:00052210040:Writer One:composer:0.5|ISNI:0000000121032683:Label Co:label:0.25|P1:Artist 1:artist:0.25",
	}
}

func TestValidateCatalog(t *testing.T) {
	rec, rej := New(Options{}).ValidateCatalog(validCatalogInput())
	if rej != nil {
		t.Fatal(rej)
	}
	if rec.ISRC != "USRC17607839" || rec.Version != 3 || !rec.ValidFrom.Equal(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)) ||
		rec.Title != "Track Title" || deref(rec.VersionTitle) != "Radio Edit" || len(rec.Artists) != 2 ||
		deref(rec.ReleaseTitle) != "Release" || deref(rec.UPC) != "00123456789012" || deref(rec.ISWC) != "T0345246801" ||
		deref(rec.Label) != "Music Label" {
		t.Errorf("record = %+v", rec)
	}
	want := []avro.Split{
		{PartyID: "IPI:00052210040", Name: "Writer One", Role: "composer", Share: decimal.RequireFromString("0.5")},
		{PartyID: "ISNI:0000000121032683", Name: "Label Co", Role: "label", Share: decimal.RequireFromString("0.25")},
		{PartyID: "P1", Name: "Artist 1", Role: "artist", Share: decimal.RequireFromString("0.25")},
	}
	if len(rec.Splits) != len(want) {
		t.Fatalf("splits = %+v", rec.Splits)
	}
	for i, s := range rec.Splits {
		if s.PartyID != want[i].PartyID || s.Name != want[i].Name || s.Role != want[i].Role || !s.Share.Equal(want[i].Share) {
			t.Errorf("split %d = %+v, want %+v", i, s, want[i])
		}
	}
}

func TestValidateCatalogRules(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(c *CatalogInput)
		reason  string // "" = accepted
		field   string
		message string
		check   func(t *testing.T, r avro.CatalogRecord)
	}{
		{name: "malformed", edit: func(c *CatalogInput) { c.Malformed = "row has 3 cells" }, reason: avro.ReasonMalformedRow},
		{name: "bad utf-8", edit: func(c *CatalogInput) { c.Label = "\xff" }, reason: avro.ReasonMalformedRow, field: FieldLabel},
		{name: "no isrc", edit: func(c *CatalogInput) { c.ISRC = "" }, reason: avro.ReasonMissingField, field: FieldISRC},
		{name: "no version", edit: func(c *CatalogInput) { c.Version = "" }, reason: avro.ReasonMissingField, field: FieldVersion},
		{name: "no valid_from", edit: func(c *CatalogInput) { c.ValidFrom = "" }, reason: avro.ReasonMissingField, field: FieldValidFrom},
		{name: "no title", edit: func(c *CatalogInput) { c.Title = " " }, reason: avro.ReasonMissingField, field: FieldTitle},
		{name: "bad isrc", edit: func(c *CatalogInput) { c.ISRC = "844185059862" }, reason: avro.ReasonInvalidISRC, field: FieldISRC, message: "UPC"},
		{name: "bad upc", edit: func(c *CatalogInput) { c.UPC = "731453000000" }, reason: avro.ReasonInvalidUPC, field: FieldUPC},
		{name: "bad iswc", edit: func(c *CatalogInput) { c.ISWC = "T3452468001" }, reason: avro.ReasonInvalidISWC, field: FieldISWC},
		{name: "version zero", edit: func(c *CatalogInput) { c.Version = "0" }, reason: avro.ReasonInvalidNumber, field: FieldVersion, message: `"0"`},
		{name: "version text", edit: func(c *CatalogInput) { c.Version = "v2" }, reason: avro.ReasonInvalidNumber, field: FieldVersion},
		{name: "bad valid_from", edit: func(c *CatalogInput) { c.ValidFrom = "2023-02-30" }, reason: avro.ReasonInvalidDate, field: FieldValidFrom},
		{name: "shares sum over 1", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:0.5|B:b:artist:0.6" },
			reason: avro.ReasonInvalidSplit, field: FieldSplits, message: "sum to 1.1"},
		{name: "shares sum under 1", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:0.33333333|B:b:artist:0.33333333|C:c:artist:0.33333333" },
			reason: avro.ReasonInvalidSplit, message: "0.99999999"},
		{name: "share zero", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:0|B:b:artist:1" }, reason: avro.ReasonInvalidSplit, message: "(0, 1]"},
		{name: "share negative", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:-0.5|B:b:artist:1.5" }, reason: avro.ReasonInvalidSplit},
		{name: "share over 1", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:1.5" }, reason: avro.ReasonInvalidSplit},
		{name: "share percent", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:100%" }, reason: avro.ReasonInvalidSplit},
		{name: "share comma", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:0,5|B:b:artist:0,5" }, reason: avro.ReasonInvalidSplit},
		{name: "share exponent", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:1e0" }, reason: avro.ReasonInvalidSplit},
		{name: "share too precise", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:0.333333333|B:b:artist:0.666666667" },
			reason: avro.ReasonInvalidSplit, message: "8 fractional digits"},
		{name: "share missing", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:" }, reason: avro.ReasonInvalidSplit},
		{name: "too few parts", edit: func(c *CatalogInput) { c.Splits = "A:artist:1" }, reason: avro.ReasonInvalidSplit, message: "party_id:name:role:share"},
		{name: "no party", edit: func(c *CatalogInput) { c.Splits = ":a:artist:1" }, reason: avro.ReasonInvalidSplit, message: "no party id"},
		{name: "no role", edit: func(c *CatalogInput) { c.Splits = "A:a::1" }, reason: avro.ReasonInvalidSplit, message: "no role"},
		{name: "duplicate party and role", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:0.5|A:a:artist:0.5" }, reason: avro.ReasonInvalidSplit, message: "twice"},
		{name: "same party two roles", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:0.5|A:a:producer:0.5" }},
		{name: "one whole share", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:1" }},
		{name: "share written 1.0 and .5", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:.5|B:b:artist:0.50000000" }},
		{name: "trailing empty elements", edit: func(c *CatalogInput) { c.Splits = "A:a:artist:1||" }},
		{name: "no splits", edit: func(c *CatalogInput) { c.Splits = "" }, check: func(t *testing.T, r avro.CatalogRecord) {
			if len(r.Splits) != 0 {
				t.Errorf("splits = %v", r.Splits)
			}
		}},
		{name: "structured splits win", edit: func(c *CatalogInput) {
			c.Splits = "garbage"
			c.SplitList = []SplitInput{{PartyID: "A", Name: "a", Role: "artist", Share: "1"}}
		}, check: func(t *testing.T, r avro.CatalogRecord) {
			if len(r.Splits) != 1 || r.Splits[0].PartyID != "A" {
				t.Errorf("splits = %v", r.Splits)
			}
		}},
		{name: "structured artists", edit: func(c *CatalogInput) { c.ArtistList = []string{" X ", "", "Y, Z"} }, check: func(t *testing.T, r avro.CatalogRecord) {
			if len(r.Artists) != 2 || r.Artists[0] != "X" || r.Artists[1] != "Y, Z" {
				t.Errorf("artists = %q", r.Artists)
			}
		}},
		{name: "date valid_from", edit: func(c *CatalogInput) { c.ValidFrom = "2023-01-15" }, check: func(t *testing.T, r avro.CatalogRecord) {
			if !r.ValidFrom.Equal(time.Date(2023, 1, 15, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("valid_from = %v", r.ValidFrom)
			}
		}},
		{name: "unknown registrant accepted", edit: func(c *CatalogInput) { c.ISRC = "AAAAA1234567" }},
		{name: "optional text absent", edit: func(c *CatalogInput) { c.VersionTitle, c.ReleaseTitle, c.Label, c.UPC, c.ISWC = "", "", "", "", "" },
			check: func(t *testing.T, r avro.CatalogRecord) {
				if r.VersionTitle != nil || r.ReleaseTitle != nil || r.Label != nil || r.UPC != nil || r.ISWC != nil {
					t.Errorf("record = %+v", r)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCatalogInput()
			tt.edit(c)
			rec, rej := New(Options{}).ValidateCatalog(c)
			if tt.reason == "" {
				if rej != nil {
					t.Fatalf("rejected: %v", rej)
				}
				if tt.check != nil {
					tt.check(t, rec)
				}
				return
			}
			if rej == nil {
				t.Fatalf("accepted: %+v", rec)
			}
			if rej.Reason != tt.reason || (tt.field != "" && rej.Field != tt.field) {
				t.Fatalf("rejection = %v; want %s %s", rej, tt.reason, tt.field)
			}
			if !strings.Contains(rej.Message, tt.message) {
				t.Errorf("message %q does not contain %q", rej.Message, tt.message)
			}
		})
	}
}

func TestCatalogDeadLetter(t *testing.T) {
	c := validCatalogInput()
	c.Raw = []byte("USRC17607839,3,...")
	c.ISWC = "T3452468001"
	_, rej := New(Options{}).ValidateCatalog(c)
	src := avro.Source{FileName: "catalog.csv", FileSHA256: testSHA, Profile: "catalog-csv"}
	d := CatalogDeadLetter(src, c, rej, StageCatalogLoad, ingestTime)
	if d.DeadLetterID != testSHA+":2" || d.Stage != StageCatalogLoad || d.Line != 2 || d.Reason != avro.ReasonInvalidISWC ||
		deref(d.Field) != FieldISWC || string(d.Raw) != string(c.Raw) || d.FileName != "catalog.csv" {
		t.Errorf("dead letter = %+v", d)
	}
}
