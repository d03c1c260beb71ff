package reportfile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWorkedExampleProfile checks the example of PROFILES.md: a user
// profile loaded from a file reads a new DSP's statement.
func TestWorkedExampleProfile(t *testing.T) {
	set, err := LoadProfiles(filepath.Join("testdata", "acme", "acme-stream.json"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join("testdata", "acme", "statement.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, rows := readAll(t, f, Options{Profiles: set})
	if rd.Profile() != "acme-stream" || rd.Encoding() != "windows-1252" {
		t.Errorf("profile %q encoding %q", rd.Profile(), rd.Encoding())
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	r := rows[0]
	if r.Line != 3 || cell(r, FieldTrackTitle) != "Café del Mar" || cell(r, FieldArtists) != "José" || cell(r, FieldUnits) != "1.234" || cell(r, FieldAmount) != "12,34" || cell(r, FieldCurrency) != "EUR" || cell(r, FieldDSP) != "Acme Stream" {
		t.Errorf("first row %q", r.Cells)
	}
	if r.Numbers.Decimal != ',' || r.Numbers.Thousands != '.' || r.DateOrder != "DMY" {
		t.Errorf("number style %+v date order %q", r.Numbers, r.DateOrder)
	}
	if cell(rows[1], FieldTrackTitle) != "Night; Day" {
		t.Errorf("second title %q", cell(rows[1], FieldTrackTitle))
	}
	st := rd.Structure()
	if st.TitleRows != 1 || st.HeaderRows != 1 || st.SkippedRows != 1 || st.TrailerRows != 1 || st.DataRows != 2 {
		t.Errorf("structure %+v", st)
	}
	got := map[string]Declared{}
	for _, d := range rd.Declared() {
		got[d.Measure] = d
	}
	if got["units"].Value != "1.244" || got["amount"].Value != "12,44" || got["amount"].Currency != "EUR" {
		t.Errorf("declared %+v", rd.Declared())
	}
	if len(rd.Skipped()) != 1 || rd.Skipped()[0].Line != 5 {
		t.Errorf("skipped %+v", rd.Skipped())
	}
}
