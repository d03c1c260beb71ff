package container

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"
)

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zipped(t *testing.T, files ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for i := 0; i+1 < len(files); i += 2 {
		f, err := w.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(files[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func payload(t *testing.T, r io.Reader) (string, Info, error) {
	t.Helper()
	var c Counter
	p, err := Open(r, &c)
	if err != nil {
		return "", Info{}, err
	}
	defer p.Close()
	b, err := io.ReadAll(p.Reader)
	return string(b), p.Info, err
}

func TestOpen(t *testing.T) {
	const text = "a,b\n1,2\n"
	tests := []struct {
		name   string
		in     []byte
		layers string
	}{
		{"plain", []byte(text), ""},
		{"gzip", gzipped(t, text), "gzip"},
		{"zip", zipped(t, "report.csv", text), `zip entry "report.csv"`},
		{"zip with mac fork", zipped(t, "__MACOSX/._report.csv", "junk", "report.csv", text), `zip entry "report.csv"`},
		{"zip picks the report", zipped(t, "readme.md", "hello", "data/report.tsv", text), `zip entry "data/report.tsv"`},
		{"gzip inside zip", zipped(t, "report.csv.gz", string(gzipped(t, text))), `zip entry "report.csv.gz" > gzip`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, info, err := payload(t, bytes.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got != text || info.String() != tt.layers {
				t.Errorf("got %q via %q, want %q via %q", got, info, text, tt.layers)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	full := gzipped(t, strings.Repeat("line of text\n", 1000))
	tests := []struct {
		name string
		in   io.Reader
		want error
		text string
	}{
		{"truncated gzip", bytes.NewReader(full[:len(full)/2]), ErrTruncated, "ends after"},
		{"gzip header only", bytes.NewReader(full[:5]), ErrTruncated, ""},
		{"zip as a stream", io.MultiReader(bytes.NewReader(zipped(t, "a.csv", "x"))), ErrNeedsRandomAccess, ""},
		{"zip without report", bytes.NewReader(zipped(t, "a.bin", "x", "b.bin", "y")), ErrNoReportEntry, `"a.bin", "b.bin"`},
		{"empty zip", bytes.NewReader(zipped(t)), ErrNoReportEntry, ""},
		{"xlsx", bytes.NewReader(zipped(t, "[Content_Types].xml", "x", "xl/workbook.xml", "y")), ErrUnsupported, "Excel"},
		{"xls", bytes.NewReader([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0}), ErrUnsupported, ".xls"},
		{"pdf", strings.NewReader("%PDF-1.4\n"), ErrUnsupported, "PDF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := payload(t, tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("message %q does not mention %q", err, tt.text)
			}
		})
	}
}

func TestCounter(t *testing.T) {
	in := gzipped(t, strings.Repeat("x", 100000))
	var c Counter
	p, err := Open(bytes.NewReader(in), &c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, p.Reader); err != nil {
		t.Fatal(err)
	}
	if c.Load() != int64(len(in)) {
		t.Errorf("counted %d bytes, want %d", c.Load(), len(in))
	}
}
