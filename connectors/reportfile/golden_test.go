package reportfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/connectors/reportfile/internal/realdata"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenFullRows is the largest row count a golden file lists in full;
// larger files keep their first and last goldenEdgeRows rows.
const (
	goldenFullRows = 200
	goldenEdgeRows = 5
)

type goldenRow struct {
	Line      int64
	Cells     map[string]string
	Malformed string `json:",omitempty"`
	Missing   string `json:",omitempty"`
	Scope     string `json:",omitempty"`
	// Assumed and NotReported name fields; Terms are the row's values
	// for computed totals.
	Assumed     []string `json:",omitempty"`
	NotReported []string `json:",omitempty"`
	Terms       string   `json:",omitempty"`
}

type goldenFile struct {
	File        string
	Error       string `json:",omitempty"`
	Profile     string `json:",omitempty"`
	Encoding    string `json:",omitempty"`
	Delimiter   string `json:",omitempty"`
	Structure   *Structure
	Declared    []Declared `json:",omitempty"`
	Anomalies   []Anomaly  `json:",omitempty"`
	Skipped     []Skipped  `json:",omitempty"`
	RowCount    int
	SaleTypes   map[string]int `json:",omitempty"`
	Rows        []goldenRow    `json:",omitempty"`
	RowsElided  int            `json:",omitempty"`
	LastRows    []goldenRow    `json:",omitempty"`
	NextError   string         `json:",omitempty"`
	LineTotalOK bool
}

func toGoldenRow(r Row) goldenRow {
	g := goldenRow{Line: r.Line, Cells: map[string]string{}, Malformed: r.Malformed, Scope: r.Scope}
	for f, v := range r.Cells {
		if v != "" {
			g.Cells[Field(f).String()] = v
		}
	}
	if r.HasMissing {
		g.Missing = r.MissingField.String()
	}
	for f := range NumFields {
		if r.Assumed.Has(f) {
			g.Assumed = append(g.Assumed, f.String())
		}
		if r.NotReported.Has(f) {
			g.NotReported = append(g.NotReported, f.String())
		}
	}
	terms := make([]string, len(r.Terms))
	for i, t := range r.Terms {
		terms[i] = t.Measure + " " + t.Value
		if t.Negate {
			terms[i] = t.Measure + " -(" + t.Value + ")"
		}
	}
	g.Terms = strings.Join(terms, "; ")
	return g
}

// readGolden opens path and records everything the reader reports.
func readGolden(t *testing.T, path string) goldenFile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := goldenFile{File: filepath.Base(path)}
	r, err := Open(f, Options{})
	if err != nil {
		g.Error = err.Error()
		return g
	}
	g.Profile, g.Encoding, g.Delimiter = r.Profile(), r.Encoding(), delimiterName(r.Delimiter())
	var all []goldenRow
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			g.NextError = err.Error()
			break
		}
		if st := row.Cells[FieldSaleType]; st != "" {
			if g.SaleTypes == nil {
				g.SaleTypes = map[string]int{}
			}
			g.SaleTypes[st]++
		}
		all = append(all, toGoldenRow(row))
	}
	st := r.Structure()
	g.Structure = &st
	g.Declared, g.Anomalies, g.Skipped = r.Declared(), r.Anomalies(), r.Skipped()
	g.RowCount = len(all)
	g.LineTotalOK = st.LineTotal() == st.PhysicalLines
	if len(all) > goldenFullRows {
		g.Rows = all[:goldenEdgeRows]
		g.LastRows = all[len(all)-goldenEdgeRows:]
		g.RowsElided = len(all) - 2*goldenEdgeRows
	} else {
		g.Rows = all
	}
	return g
}

// TestGolden compares what the reader makes of every public sample with
// testdata/golden/<file>.golden. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	compareGolden(t, realdata.Files(t), filepath.Join("testdata", "golden"))
}

// TestGoldenSynthetic does the same for the synthetic fixtures of
// testdata/synthetic.
func TestGoldenSynthetic(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "synthetic", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no synthetic fixtures: %v", err)
	}
	compareGolden(t, files, filepath.Join("testdata", "golden", "synthetic"))
}

func compareGolden(t *testing.T, files []string, dir string) {
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			got := readGolden(t, path)
			if got.Error == "" && !got.LineTotalOK {
				t.Errorf("structure counts do not add up to the physical lines: %+v", *got.Structure)
			}
			data, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			data = append(data, '\n')
			goldenPath := filepath.Join(dir, name+".golden")
			if *update {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(goldenPath, data, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test -run Golden -update to create it)", err)
			}
			if !bytes.Equal(data, want) {
				t.Errorf("output differs from %s (run with -update after checking):\n%s", goldenPath, firstDiff(string(want), string(data)))
			}
		})
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, wl, gl)
		}
	}
	return "(no line differs)"
}
