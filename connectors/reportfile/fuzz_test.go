package reportfile

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ledgerline/ledgerline/connectors/reportfile/linereader"
	"github.com/ledgerline/ledgerline/connectors/reportfile/tabular"
)

// fuzzMaxRows bounds the rows a fuzz input may produce; inputs are small,
// so reaching it would mean the reader loops.
const fuzzMaxRows = 1 << 20

// addSeeds adds the synthetic fixtures (never the public samples, so that
// no part of them ends up in a fuzz corpus) and a small generated report.
func addSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err == nil {
			f.Add(data)
		}
	}
	var b bytes.Buffer
	if _, err := GenerateReport(&b, GenerateOptions{Rows: 20, Seed: 3, BadFraction: 0.3}); err == nil {
		f.Add(b.Bytes())
	}
}

// builtinSet parses the built-in profiles once for a fuzz target.
func builtinSet(f *testing.F) *ProfileSet {
	set, err := BuiltinProfiles()
	if err != nil {
		f.Fatal(err)
	}
	return set
}

// checkReader reads every row and checks the reader's invariants.
func checkReader(t *testing.T, rd *Reader) {
	t.Helper()
	var last int64
	for n := 0; ; n++ {
		if n > fuzzMaxRows {
			t.Fatalf("more than %d rows", fuzzMaxRows)
		}
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return
		}
		if row.Line <= last {
			t.Fatalf("row line %d after line %d", row.Line, last)
		}
		last = row.Line
	}
	st := rd.Structure()
	if st.LineTotal() != st.PhysicalLines {
		t.Fatalf("structure %+v does not add up to %d lines", st, st.PhysicalLines)
	}
	if last > st.PhysicalLines {
		t.Fatalf("row on line %d of a %d-line file", last, st.PhysicalLines)
	}
}

// FuzzTabular feeds arbitrary bytes to the delimited record reader (with
// every delimiter) and to Open with layout detection.
func FuzzTabular(f *testing.F) {
	addSeeds(f, "synthetic/*.csv")
	addSeeds(f, "synthetic/*.txt")
	addSeeds(f, "acme/*.csv")
	set := builtinSet(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range tabular.Delimiters() {
			lr := linereader.New(bufio.NewReader(bytes.NewReader(data)), 256, true)
			rr := tabular.NewReader(lr, tabular.Options{Delimiter: d, MaxRecordBytes: 256, MaxRecordLines: 8})
			var last int64
			for n := 0; ; n++ {
				if n > fuzzMaxRows {
					t.Fatalf("more than %d records", fuzzMaxRows)
				}
				rec, err := rr.Next()
				if err != nil {
					break
				}
				if rec.Line <= last || rec.Lines < 1 || len(rec.Cells) == 0 {
					t.Fatalf("record line %d (%d lines, %d cells) after line %d", rec.Line, rec.Lines, len(rec.Cells), last)
				}
				last = rec.Line + int64(rec.Lines) - 1
				for i, c := range rec.Cells {
					if c.Start < 0 || c.End < c.Start || c.End > len(rec.Text) {
						t.Fatalf("cell %d [%d:%d] outside a %d-byte record", i, c.Start, c.End, len(rec.Text))
					}
					_ = rec.Value(i)
				}
			}
		}
		rd, err := Open(bytes.NewReader(data), Options{MaxLineBytes: 512, Profiles: set})
		if err != nil {
			return
		}
		checkReader(t, rd)
	})
}

// FuzzDSR feeds arbitrary bytes to the DSR reader.
func FuzzDSR(f *testing.F) {
	addSeeds(f, "synthetic/*.tsv")
	f.Add([]byte("HEAD\tx\tUgcProfile\n#SY02\tTerritory\nSY03\tAU\nAS02\t1\tR\\|S\tI\nSU03.01\t1\tU\t\tR\t1\nFOOT\t1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := Open(bytes.NewReader(data), Options{Profile: ProfileDSR, MaxLineBytes: 512})
		if err != nil {
			return
		}
		checkReader(t, rd)
	})
}

// FuzzSniff feeds arbitrary bytes to Open's detection of compression,
// encoding and layout.
func FuzzSniff(f *testing.F) {
	addSeeds(f, "synthetic/*")
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{0xff, 0xfe, 'a', 0, ',', 0, 'b', 0, '\n', 0})
	f.Add([]byte{0xfe, 0xff, 0, 'a'})
	set := builtinSet(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := Open(bytes.NewReader(data), Options{Profiles: set})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if rd.Profile() == "" || rd.Encoding() == "" {
			t.Fatalf("profile %q encoding %q", rd.Profile(), rd.Encoding())
		}
		checkReader(t, rd)
	})
}
