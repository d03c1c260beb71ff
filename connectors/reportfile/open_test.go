package reportfile

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf16"
)

func encodeUTF16(s string, bigEndian, bom bool) []byte {
	var b []byte
	u := utf16.Encode([]rune(s))
	if bom {
		u = append([]uint16{0xfeff}, u...)
	}
	for _, c := range u {
		if bigEndian {
			b = append(b, byte(c>>8), byte(c))
		} else {
			b = append(b, byte(c), byte(c>>8))
		}
	}
	return b
}

func TestEncodings(t *testing.T) {
	text := joinRows(",", "\r\n", tunecoreHeader, tunecoreRow("Café Tøilette", "1"))
	latin1 := bytes.ReplaceAll(bytes.ReplaceAll([]byte(text), []byte("é"), []byte{0xe9}), []byte("ø"), []byte{0xf8})
	tests := []struct {
		name, encoding string
		in             []byte
	}{
		{"utf-8", "utf-8", []byte(text)},
		{"utf-8 with bom", "utf-8-bom", append([]byte{0xef, 0xbb, 0xbf}, text...)},
		{"utf-16le with bom", "utf-16le", encodeUTF16(text, false, true)},
		{"utf-16be with bom", "utf-16be", encodeUTF16(text, true, true)},
		{"windows-1252", "windows-1252", latin1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, rows := readAll(t, bytes.NewReader(tt.in), Options{})
			if rd.Encoding() != tt.encoding || rd.Profile() != "tunecore" {
				t.Errorf("encoding %q profile %q", rd.Encoding(), rd.Profile())
			}
			if len(rows) != 1 || cell(rows[0], FieldTrackTitle) != "Café Tøilette" {
				t.Fatalf("rows %+v", rows)
			}
		})
	}
}

func TestInvalidUTF8LaterInTheFileIsRepaired(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(joinRows(",", "\n", tunecoreHeader))
	for b.Len() < 70<<10 {
		b.WriteString(joinRows(",", "\n", tunecoreRow("plain", "1")))
	}
	b.WriteString(joinRows(",", "\n", tunecoreRow("Caf\xe9", "1")))
	rd, rows := readAll(t, &b, Options{})
	if rd.Encoding() != "utf-8" {
		t.Errorf("encoding %q", rd.Encoding())
	}
	if got := cell(rows[len(rows)-1], FieldTrackTitle); got != "Café" {
		t.Errorf("last title %q", got)
	}
	if len(rd.Anomalies()) != 1 || !strings.Contains(rd.Anomalies()[0].Message, "Windows-1252") {
		t.Errorf("anomalies %+v", rd.Anomalies())
	}
}

func TestDelimitersAndLineEndings(t *testing.T) {
	for _, delim := range []string{"\t", ",", ";", "|"} {
		for _, eol := range []string{"\n", "\r\n"} {
			for _, final := range []bool{true, false} {
				in := joinRows(delim, eol, tunecoreHeader, tunecoreRow("One", "1"), tunecoreRow("Two", "2"))
				if !final {
					in = strings.TrimSuffix(in, eol)
				}
				rd, rows := readAll(t, strings.NewReader(in), Options{})
				if rd.Delimiter() != delim[0] || len(rows) != 2 {
					t.Fatalf("delim %q eol %q final %v: delimiter %q, %d rows", delim, eol, final, rd.Delimiter(), len(rows))
				}
				if rows[1].Line != 3 || cell(rows[1], FieldTrackTitle) != "Two" || cell(rows[1], FieldUnits) != "2" || string(rows[1].Raw) != strings.Join(tunecoreRow("Two", "2"), delim) {
					t.Errorf("delim %q eol %q final %v: row %+v", delim, eol, final, rows[1])
				}
				if st := rd.Structure(); st.PhysicalLines != 3 {
					t.Errorf("physical lines %d", st.PhysicalLines)
				}
			}
		}
	}
}

func TestQuoting(t *testing.T) {
	quoted := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	row := tunecoreRow(quoted("Hello, \"World\"\nPart 2"), "3")
	in := joinRows(",", "\r\n", tunecoreHeader, row, tunecoreRow("Next", "1"))
	rd, rows := readAll(t, strings.NewReader(in), Options{})
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	if got := cell(rows[0], FieldTrackTitle); got != "Hello, \"World\"\nPart 2" {
		t.Errorf("title %q", got)
	}
	if rows[0].Line != 2 || rows[1].Line != 4 {
		t.Errorf("lines %d, %d; want 2, 4", rows[0].Line, rows[1].Line)
	}
	if !strings.Contains(string(rows[0].Raw), "\n") {
		t.Errorf("raw %q lost its line break", rows[0].Raw)
	}
	if st := rd.Structure(); st.ContinuationLines != 1 || st.PhysicalLines != 4 {
		t.Errorf("structure %+v", st)
	}
}

func TestMalformedRowsAreReturned(t *testing.T) {
	short := tunecoreRow("Short", "1")[:10]
	long := append(tunecoreRow("Long", "1"), "extra")
	padded := append(tunecoreRow("Padded", "1"), "", "")
	unterminated := tunecoreRow(`"Open`, "1")
	in := joinRows(",", "\n", tunecoreHeader, short, long, padded, tunecoreRow("Good", "1"), unterminated, tunecoreRow("After", "1"))
	rd, rows := readAll(t, strings.NewReader(in), Options{})
	if len(rows) != 6 {
		t.Fatalf("%d rows", len(rows))
	}
	want := []struct {
		line      int64
		malformed string
	}{{2, "10 cells; 21 expected"}, {3, "22 cells; 21 expected"}, {4, ""}, {5, ""}, {6, "not closed"}, {7, ""}}
	for i, w := range want {
		r := rows[i]
		if r.Line != w.line || (w.malformed == "") != (r.Malformed == "") || !strings.Contains(r.Malformed, w.malformed) {
			t.Errorf("row %d: line %d malformed %q; want line %d malformed %q", i, r.Line, r.Malformed, w.line, w.malformed)
		}
	}
	if !rows[0].HasMissing || rows[0].MissingField != FieldISRC {
		t.Errorf("short row missing %v %v", rows[0].HasMissing, rows[0].MissingField)
	}
	if rd.Structure().MalformedRows != 3 {
		t.Errorf("malformed count %d", rd.Structure().MalformedRows)
	}
}

func TestTitleBlankTrailerRows(t *testing.T) {
	in := "Report for September\t\t\n\t\t\n" +
		"Start Date\tEnd Date\tUPC\tISRC/ISBN\tVendor Identifier\tQuantity\tPartner Share\tExtended Partner Share\tPartner Share Currency\tSales or Return\tCountry Of Sale\n" +
		"08/31/2014\t09/27/2014\t\t\tApp 1\t2\t1.00\t2.00\tEUR\tS\tDE\n" +
		"\n" +
		"08/31/2014\t09/27/2014\t\t\tApp 2\t-1\t1.00\t-1.00\tEUR\tR\tFR\n" +
		"Total_Rows\t2\nTotal_Amount\t1.00\nTotal_Units\t1\n"
	rd, rows := readAll(t, strings.NewReader(in), Options{})
	if rd.Profile() != "apple-financial" || len(rows) != 2 {
		t.Fatalf("profile %q rows %d", rd.Profile(), len(rows))
	}
	st := rd.Structure()
	if st.TitleRows != 1 || st.BlankRows != 2 || st.HeaderRows != 1 || st.TrailerRows != 3 || st.DataRows != 2 {
		t.Errorf("structure %+v", st)
	}
	got := map[string]Declared{}
	for _, d := range rd.Declared() {
		got[d.Measure] = d
	}
	if got["rows"].Value != "2" || got["amount"].Value != "1.00" || got["amount"].Currency != "EUR" || got["units"].Value != "1" {
		t.Errorf("declared %+v", rd.Declared())
	}
}

func TestRepeatedHeaderIsNotData(t *testing.T) {
	in := joinRows(",", "\n", tunecoreHeader, tunecoreRow("A", "1"), tunecoreHeader, tunecoreRow("B", "1"))
	rd, rows := readAll(t, strings.NewReader(in), Options{})
	if len(rows) != 2 || rd.Structure().HeaderRows != 2 {
		t.Errorf("%d rows, structure %+v", len(rows), rd.Structure())
	}
}

func gz(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zipOf(t *testing.T, files ...string) []byte {
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

func TestCompressedInput(t *testing.T) {
	text := joinRows(",", "\n", tunecoreHeader, tunecoreRow("A", "1"), tunecoreRow("B", "2"))
	tests := []struct {
		name, container string
		in              []byte
	}{
		{"gzip", "gzip", gz(t, []byte(text))},
		{"zip", `zip entry "sales.csv"`, zipOf(t, "sales.csv", text)},
		{"zip of gzip", `zip entry "sales.csv.gz" > gzip`, zipOf(t, "notes.txt.bak", "x", "sales.csv.gz", string(gz(t, []byte(text))))},
		{"utf-16 in gzip", "gzip", gz(t, encodeUTF16(text, false, true))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, rows := readAll(t, bytes.NewReader(tt.in), Options{})
			if rd.Container() != tt.container || len(rows) != 2 {
				t.Errorf("container %q, %d rows", rd.Container(), len(rows))
			}
			if rd.BytesRead() <= 0 || rd.BytesRead() > int64(len(tt.in)) {
				t.Errorf("BytesRead %d of %d", rd.BytesRead(), len(tt.in))
			}
		})
	}
}

func TestTruncatedGzipMidWay(t *testing.T) {
	var b bytes.Buffer
	if err := GenerateCSV(&b, 20000, 7); err != nil {
		t.Fatal(err)
	}
	full := gz(t, b.Bytes())
	rd, err := Open(bytes.NewReader(full[:len(full)*3/4]), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	rows := 0
	var last int64
	for {
		row, err := rd.Next()
		if err == nil {
			rows++
			last = row.Line
			continue
		}
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("after %d rows: %v, want ErrTruncated", rows, err)
		}
		if _, again := rd.Next(); !errors.Is(again, ErrTruncated) {
			t.Errorf("the error is not repeated: %v", again)
		}
		break
	}
	if rows < 1000 || last < 1000 {
		t.Errorf("only %d rows before the truncation", rows)
	}
}

func TestOpenFailures(t *testing.T) {
	garbage := make([]byte, 8192)
	for i := range garbage {
		garbage[i] = byte(i*131 + i>>5)
	}
	small := gz(t, []byte(joinRows(",", "\n", tunecoreHeader, tunecoreRow("A", "1"))))
	tests := []struct {
		name string
		in   io.Reader
		opts Options
		want error
		text string
	}{
		{"empty", strings.NewReader(""), Options{}, ErrEmpty, "empty"},
		{"binary garbage", bytes.NewReader(garbage), Options{}, ErrBinary, "binary"},
		{"truncated small gzip", bytes.NewReader(small[:len(small)-12]), Options{}, ErrTruncated, "gzip"},
		{"zip as a stream", io.MultiReader(bytes.NewReader(zipOf(t, "a.csv", "x"))), Options{}, ErrNeedsRandomAccess, "random access"},
		{"zip without report", bytes.NewReader(zipOf(t, "a.bin", "x", "b.bin", "y")), Options{}, ErrNoReportEntry, `"a.bin", "b.bin"`},
		{"unknown layout", strings.NewReader("Foo,Bar,Baz\n1,2,3\n"), Options{}, ErrUnknownLayout, "no profile matches"},
		{"closest profile", strings.NewReader(joinRows(",", "\n", tunecoreHeader[:15], tunecoreRow("A", "1")[:15])), Options{}, ErrUnknownLayout, `closest profile "tunecore" (line 1) is missing "Total Earned", "Currency"`},
		{"forced profile absent", strings.NewReader(joinRows(",", "\n", tunecoreHeader)), Options{Profile: "beatport"}, ErrUnknownLayout, `closest profile "beatport"`},
		{"unknown profile name", strings.NewReader("x"), Options{Profile: "nope"}, ErrUnknownProfile, "nope"},
		{"not a sales report", strings.NewReader("Region (Currency),Units Sold,Earned,Total Owed,Exchange Rate,Proceeds\n"), Options{}, ErrNotSalesReport, "apple-payments-summary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.in, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("message %q does not say %q", err, tt.text)
			}
		})
	}
	var le *LayoutError
	_, err := Open(strings.NewReader(joinRows(";", "\n", tunecoreHeader[:15], tunecoreRow("A", "1")[:15])), Options{})
	if !errors.As(err, &le) || le.Closest != "tunecore" || len(le.Missing) != 2 || le.Delimiter != ';' {
		t.Errorf("LayoutError %+v from %v", le, err)
	}
}

func TestOverlongLineIsAMalformedRow(t *testing.T) {
	in := joinRows(",", "\n", tunecoreHeader, tunecoreRow(strings.Repeat("x", 5000), "1"), tunecoreRow("After", "1"))
	_, rows := readAll(t, strings.NewReader(in), Options{MaxLineBytes: 1000})
	if len(rows) != 2 || !strings.Contains(rows[0].Malformed, "limit") || cell(rows[1], FieldTrackTitle) != "After" {
		t.Errorf("%d rows; first malformed %q", len(rows), rows[0].Malformed)
	}
}

func TestForcedProfile(t *testing.T) {
	in := joinRows(",", "\n", tunecoreHeader, tunecoreRow("A", "1"))
	rd, rows := readAll(t, strings.NewReader(in), Options{Profile: "tunecore"})
	if rd.Profile() != "tunecore" || len(rows) != 1 {
		t.Errorf("profile %q rows %d", rd.Profile(), len(rows))
	}
	dsr := "HEAD\tdsrf\tUGCProfile\n"
	rd, rows = readAll(t, strings.NewReader(dsr), Options{Profile: ProfileDSR})
	if rd.Profile() != ProfileDSRUGC || len(rows) != 0 {
		t.Errorf("profile %q rows %d", rd.Profile(), len(rows))
	}
}

func TestBytesReadFromAnotherGoroutine(t *testing.T) {
	var b bytes.Buffer
	if err := GenerateCSV(&b, 5000, 5); err != nil {
		t.Fatal(err)
	}
	total := int64(b.Len())
	rd, err := Open(&b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	progress := make(chan int64, 1)
	go func() {
		var last int64
		for {
			select {
			case <-done:
				progress <- last
				return
			default:
				last = max(last, rd.BytesRead())
			}
		}
	}()
	for {
		if _, err := rd.Next(); err != nil {
			break
		}
	}
	close(done)
	<-progress
	if rd.BytesRead() != total {
		t.Errorf("BytesRead %d, want %d", rd.BytesRead(), total)
	}
}
