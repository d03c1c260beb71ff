package dsr

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/connectors/reportfile/linereader"
	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
)

type result struct {
	rows     []model.Row
	declared []model.Declared
	st       model.Structure
	notes    *model.Notes
	profile  string
}

func parse(t *testing.T, lines ...string) result {
	t.Helper()
	in := strings.Join(lines, "\n") + "\n"
	notes := &model.Notes{}
	p := New(linereader.New(bufio.NewReader(strings.NewReader(in)), 0, true), notes)
	var res result
	for {
		row, err := p.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		row.Raw = append([]byte(nil), row.Raw...)
		res.rows = append(res.rows, row)
	}
	res.declared, res.st, res.notes, res.profile = p.Declared(), p.Structure(), notes, p.Profile()
	if res.st.LineTotal() != res.st.PhysicalLines {
		t.Errorf("counts %+v do not add up to %d lines", res.st, res.st.PhysicalLines)
	}
	return res
}

func tsv(cells ...string) string { return strings.Join(cells, "\t") }

// A Basic Audio file without comment lines relies on the built-in layouts.
var basicAudio = []string{
	tsv("HEAD", "dsrf/1.1", "BasicAudioProfile", "1.3", "M1", "2020-07-03T07:59:30Z", "1", "1", "2020-06-01", "2020-06-30", "PADPIDA1", "Some Service", "Monthly", "PADPIDA2", "Label Ltd"),
	tsv("SY01.02", "S1", "Some Service", "", "SubscriptionModel", "", "GB", "Monthly", "30", "100", "GBP", "50.00"),
	tsv("RE01.02", "1", "R1", "REL1", "", "", "825646846917", "Enya", "", "Best Of", "", "Album", "Warner"),
	tsv("AS02.03", "1", "A1", "RES1", "GBAHT0900445", `Aniron \| Live`, "", "Enya", "", "PT2M44S", "SoundRecording", "T0702472794"),
	tsv("AS02.03", "1", "A2", "RES2", "GBAHT0900446", `Back\\slash`, "Mix", "Enya"),
	tsv("SU02.02", "1", "S1", "T1", "", "A1", "TRUE", "10", "", "", "OnDemandStream", "", "", ""),
	tsv("SU02.02", "1", "S1", "T2", "", "RES2", "TRUE", "20", "", "", "", ""),
	"",
	tsv("FOOT", "9", "9", "1", "1", "1"),
}

func TestBasicAudioWithBuiltInLayouts(t *testing.T) {
	res := parse(t, basicAudio...)
	if res.profile != ProfileBasicAudio {
		t.Errorf("profile %q", res.profile)
	}
	if len(res.rows) != 2 {
		t.Fatalf("%d rows", len(res.rows))
	}
	r := res.rows[0]
	want := map[model.Field]string{
		model.FieldDSP: "Some Service", model.FieldISRC: "GBAHT0900445", model.FieldUPC: "825646846917",
		model.FieldISWC: "T0702472794", model.FieldProprietaryID: "RES1", model.FieldTrackTitle: "Aniron | Live",
		model.FieldArtists: "Enya", model.FieldReleaseTitle: "Best Of", model.FieldLabel: "Warner",
		model.FieldTerritory: "GB", model.FieldCurrency: "GBP", model.FieldUnits: "10",
		model.FieldPeriodStart: "2020-06-01", model.FieldPeriodEnd: "2020-06-30",
		model.FieldUseType: "OnDemandStream", model.FieldCommercialModel: "SubscriptionModel",
	}
	for f, v := range want {
		if r.Cells[f] != v {
			t.Errorf("%s = %q, want %q", f, r.Cells[f], v)
		}
	}
	if r.Malformed != "" || r.Line != 6 || r.Scope != "summary S1" {
		t.Errorf("row line %d scope %q malformed %q", r.Line, r.Scope, r.Malformed)
	}
	if got := res.rows[1]; got.Cells[model.FieldTrackTitle] != `Back\slash` || got.Cells[model.FieldVersionTitle] != "Mix" {
		t.Errorf("second row joined by DspResourceId: %q / %q", got.Cells[model.FieldTrackTitle], got.Cells[model.FieldVersionTitle])
	}
	st := res.st
	if st.DataRows != 2 || st.Blocks != 1 || st.SummaryRows != 1 || st.DetailRows != 3 || st.BlankRows != 1 || st.HeaderRows != 1 || st.TrailerRows != 1 {
		t.Errorf("structure %+v", st)
	}
	measures := map[string]string{}
	for _, d := range res.declared {
		measures[d.Measure+"/"+d.Scope] = d.Value
	}
	for k, v := range map[string]string{"lines_in_file/": "9", "blocks/": "1", "usages/summary S1": "30", "net_revenue/summary S1": "50.00"} {
		if measures[k] != v {
			t.Errorf("declared %s = %q, want %q (all: %v)", k, measures[k], v, measures)
		}
	}
}

func TestCommentLayoutsWin(t *testing.T) {
	res := parse(t,
		tsv("HEAD", "x", "UGCProfile", "1.0"),
		tsv("#SY09", "Territory", "SummaryRecordId", "Currency"),
		tsv("SY09", "IS", "7", "USD"),
		tsv("#SU09", "BlockId", "Usages", "SummaryRecordId", "DspResourceId"),
		tsv("#AS09", "BlockId", "DspResourceId", "ISRC"),
		tsv("AS09", "b1", "V1", "USSM19803037"),
		tsv("SU09", "b1", "5", "7", "V1"),
		tsv("FOOT", "7"),
	)
	if res.profile != ProfileUGC || len(res.rows) != 1 {
		t.Fatalf("profile %q, %d rows", res.profile, len(res.rows))
	}
	r := res.rows[0]
	if r.Cells[model.FieldTerritory] != "IS" || r.Cells[model.FieldUnits] != "5" || r.Cells[model.FieldISRC] != "USSM19803037" || r.Malformed != "" {
		t.Errorf("row %+v", r)
	}
}

func TestDefectsAreMarkedNotFatal(t *testing.T) {
	head := tsv("HEAD", "dsrf", "BasicAudioProfile", "1.3")
	sy := tsv("SY02.03", "1", "", "", "SubscriptionModel", "Stream", "GB", "AdFunded", "100", "", "EUR", "10", "PublisherA")
	tests := []struct {
		name      string
		lines     []string
		malformed string
		isrc      string
	}{
		{"summary id written SY1", []string{head, sy,
			tsv("RE01.02", "1", "RL1"), tsv("AS02.03", "1", "RES1", "d1", "USRC11501628"),
			tsv("SU02.02", "1", "SY1", "1", "", "RES1", "TRUE", "1")},
			`SummaryRecordId "SY1" does not exist; joined to summary record "1"`, "USRC11501628"},
		{"unknown summary with several", []string{head, sy, tsv("SY02.03", "2", "", "", "M", "Stream", "FR"),
			tsv("AS02.03", "1", "RES1", "d1", "USRC11501628"), tsv("SU02.02", "1", "9", "1", "", "RES1", "TRUE", "1")},
			`SummaryRecordId "9" does not exist`, "USRC11501628"},
		{"unknown resource", []string{head, sy, tsv("AS02.03", "1", "RES1", "d1", "USRC11501628"),
			tsv("SU02.02", "1", "1", "1", "", "RES9", "TRUE", "1")},
			`TransactedResource "RES9" is not a resource of block "1"`, ""},
		{"usage in a block of its own", []string{head, sy, tsv("AS02.03", "1", "RES1", "d1", "USRC11501628"),
			tsv("SU02.02", "2", "1", "1", "", "", "TRUE", "1")},
			`block "2" has no release or resource record before the usage record`, ""},
		{"no summary at all", []string{head, tsv("AS02.03", "1", "RES1", "d1", "X"), tsv("SU02.02", "1", "1", "1", "", "RES1")},
			"no summary record precedes the usage record", "X"},
		{"usage type without layout", []string{head, sy, tsv("ZZ01", "1"), tsv("SU77", "1", "a")},
			"record type SU77 has no known layout", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parse(t, tt.lines...)
			if len(res.rows) != 1 {
				t.Fatalf("%d rows", len(res.rows))
			}
			r := res.rows[0]
			if !strings.Contains(r.Malformed, tt.malformed) {
				t.Errorf("malformed %q, want it to say %q", r.Malformed, tt.malformed)
			}
			if r.Cells[model.FieldISRC] != tt.isrc {
				t.Errorf("isrc %q, want %q", r.Cells[model.FieldISRC], tt.isrc)
			}
		})
	}
}

func TestOddLinesAreCounted(t *testing.T) {
	res := parse(t,
		tsv("HEAD", "dsrf", "UgcProfile", "1.1"),
		"not a record at all",
		tsv("SY03", "AdSupport", "Broadcast", "AU"),
		"\t\t\t",
		"# free comment",
		tsv("FOOT", "123"),
	)
	st := res.st
	if st.UnknownRows != 1 || st.BlankRows != 1 || st.CommentRows != 1 || st.SummaryRows != 1 {
		t.Errorf("structure %+v", st)
	}
	if len(res.notes.Anomalies()) == 0 {
		t.Error("no anomaly for the line that is not a record")
	}
	if d := res.declared[len(res.declared)-1]; d.Measure != "lines_in_file" || d.Value != "123" {
		t.Errorf("FOOT total %+v", d)
	}
}

func TestSplitCells(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a\tb", []string{"a", "b"}},
		{`a\` + "\tb\tc", []string{"a\\\tb", "c"}},
		{`a\\` + "\tb", []string{`a\\`, "b"}},
		{`x\|y|z`, []string{`x\|y|z`}},
	}
	for _, tt := range tests {
		var got []string
		for _, c := range splitCells([]byte(tt.in), nil) {
			got = append(got, string(c))
		}
		if strings.Join(got, "\x00") != strings.Join(tt.want, "\x00") {
			t.Errorf("splitCells(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := unescape([]byte(`a\|b\\c\` + "\t" + `d\te`)); got != "a|b\\c\td\\te" {
		t.Errorf("unescape = %q", got)
	}
}

func TestProfileName(t *testing.T) {
	for in, want := range map[string]string{
		"BasicAudioProfile":  ProfileBasicAudio,
		"UGCProfile":         ProfileUGC,
		"UgcProfile":         ProfileUGC,
		"AudioVisualProfile": "ddex-dsr-audio-visual",
		"Profile":            ProfileGeneric,
	} {
		if got := profileName(in); got != want {
			t.Errorf("profileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDetect(t *testing.T) {
	for in, want := range map[string]bool{
		"HEAD\tdsrf\n":      true,
		"\r\n#HEAD\tx\n":    true,
		"HEADER,x\n":        false,
		"Start Date\tEnd\n": false,
	} {
		if got := Detect([]byte(in)); got != want {
			t.Errorf("Detect(%q) = %v", in, got)
		}
	}
}
