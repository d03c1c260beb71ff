package tabular

import (
	"bufio"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/connectors/reportfile/linereader"
)

type gotRecord struct {
	line    int64
	lines   int
	cells   []string
	problem bool
}

func readAll(t *testing.T, input string, opts Options) []gotRecord {
	t.Helper()
	lr := linereader.New(bufio.NewReader(strings.NewReader(input)), 0, true)
	rr := NewReader(lr, opts)
	var out []gotRecord
	for {
		rec, err := rr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		g := gotRecord{line: rec.Line, lines: rec.Lines, problem: rec.Problem != ""}
		for i := range rec.Cells {
			g.cells = append(g.cells, string(rec.Value(i)))
		}
		out = append(out, g)
	}
}

func TestReaderSplitting(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		delim byte
		want  []gotRecord
	}{
		{"plain LF", "a,b,c\n1,2,3\n", ',', []gotRecord{{1, 1, []string{"a", "b", "c"}, false}, {2, 1, []string{"1", "2", "3"}, false}}},
		{"CRLF no final newline", "a,b\r\n1,2", ',', []gotRecord{{1, 1, []string{"a", "b"}, false}, {2, 1, []string{"1", "2"}, false}}},
		{"empty cells", ",,\n", ',', []gotRecord{{1, 1, []string{"", "", ""}, false}}},
		{"embedded delimiter", `"a,b",c` + "\n", ',', []gotRecord{{1, 1, []string{"a,b", "c"}, false}}},
		{"doubled quotes", `"say ""hi""",x` + "\n", ',', []gotRecord{{1, 1, []string{`say "hi"`, "x"}, false}}},
		{"empty quoted", `"",x` + "\n", ',', []gotRecord{{1, 1, []string{"", "x"}, false}}},
		{"embedded newline", "\"a\nb\",c\nd,e\n", ',', []gotRecord{{1, 2, []string{"a\nb", "c"}, false}, {3, 1, []string{"d", "e"}, false}}},
		{"embedded CRLF", "\"a\r\nb\",c\r\nd,e\r\n", ',', []gotRecord{{1, 2, []string{"a\r\nb", "c"}, false}, {3, 1, []string{"d", "e"}, false}}},
		{"quoted cell in TSV", "1\t\"880000000001\"\tx\n", '\t', []gotRecord{{1, 1, []string{"1", "880000000001", "x"}, false}}},
		{"quote inside unquoted cell", "5\" vinyl,x\n", ',', []gotRecord{{1, 1, []string{`5" vinyl`, "x"}, false}}},
		{"text after closing quote", `"ab"cd,x` + "\n", ',', []gotRecord{{1, 1, []string{`"ab"cd`, "x"}, true}}},
		{"semicolon", "a;\"b;c\"\n", ';', []gotRecord{{1, 1, []string{"a", "b;c"}, false}}},
		{"pipe", "a|b\n", '|', []gotRecord{{1, 1, []string{"a", "b"}, false}}},
		{"blank line", "\n", ',', []gotRecord{{1, 1, []string{""}, false}}},
		{"unterminated quote at EOF re-reads lines", "a,\"open\nb,c\nd,e\n", ',', []gotRecord{
			{1, 1, []string{"a", `"open`}, true}, {2, 1, []string{"b", "c"}, false}, {3, 1, []string{"d", "e"}, false},
		}},
		{"closing quote at end of line", "\"a\"\n\"b\"", ',', []gotRecord{{1, 1, []string{"a"}, false}, {2, 1, []string{"b"}, false}}},
		{"doubled quote before line break", "\"a\"\"\nb\",c\n", ',', []gotRecord{{1, 2, []string{"a\"\nb", "c"}, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAll(t, tt.in, Options{Delimiter: tt.delim})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReaderLimitsQuotedRecord(t *testing.T) {
	var b strings.Builder
	b.WriteString("x,\"never closed\n")
	for i := 0; i < 20; i++ {
		b.WriteString("a,b\n")
	}
	got := readAll(t, b.String(), Options{Delimiter: ',', MaxRecordLines: 5})
	if len(got) != 21 {
		t.Fatalf("got %d records, want 21", len(got))
	}
	if !got[0].problem || got[0].lines != 1 {
		t.Errorf("first record %+v: want a one-line record with a problem", got[0])
	}
	for i, g := range got[1:] {
		if g.line != int64(i+2) || g.problem {
			t.Errorf("record %d = %+v", i+1, g)
		}
	}
}

func TestReaderReplaysAfterNestedFailure(t *testing.T) {
	in := "\"a\nb\n\"c\nd\n"
	// Line 1 opens a quote that line 3 closes, then text follows the
	// closing quote; nothing is lost and lines keep increasing.
	got := readAll(t, in, Options{Delimiter: ',', MaxRecordLines: 2})
	var last int64
	for _, g := range got {
		if g.line <= last {
			t.Fatalf("lines not increasing: %+v", got)
		}
		last = g.line
	}
	if last != 4 && got[len(got)-1].line+int64(got[len(got)-1].lines)-1 != 4 {
		t.Errorf("records do not reach line 4: %+v", got)
	}
}

func TestGuessDelimiter(t *testing.T) {
	tests := []struct {
		in   string
		want byte
	}{
		{"a\tb\tc\n1\t2\t3\n", '\t'},
		{"a,b,c\n1,2,3\n", ','},
		{"a;b;c\n1;2,5;3\n", ';'},
		{"a|b|c\n1|2|3\n", '|'},
		{"\"x,y\";b;c\n1;2;3\n", ';'},
		{"single\ncolumn\n", 0},
	}
	for _, tt := range tests {
		if got := GuessDelimiter([]byte(tt.in), true); got != tt.want {
			t.Errorf("GuessDelimiter(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
