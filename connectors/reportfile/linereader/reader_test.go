package linereader

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

func lines(t *testing.T, in string, max int) []Line {
	t.Helper()
	r := New(bufio.NewReaderSize(strings.NewReader(in), 16), max, true)
	var out []Line
	for {
		l, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		l.Text = append([]byte(nil), l.Text...)
		out = append(out, l)
	}
}

func TestLineEndings(t *testing.T) {
	got := lines(t, "a\r\nb\nc", 0)
	if len(got) != 3 {
		t.Fatalf("got %d lines", len(got))
	}
	want := []struct {
		text       string
		crlf, term bool
	}{{"a", true, true}, {"b", false, true}, {"c", false, false}}
	for i, w := range want {
		g := got[i]
		if string(g.Text) != w.text || g.CRLF != w.crlf || g.Terminated != w.term || g.Number != int64(i+1) {
			t.Errorf("line %d = %+v, want %+v", i+1, g, w)
		}
	}
	if n := len(lines(t, "a\n", 0)); n != 1 {
		t.Errorf("a final newline made %d lines, want 1", n)
	}
	if n := len(lines(t, "", 0)); n != 0 {
		t.Errorf("empty input made %d lines", n)
	}
}

func TestLongLinesAreCut(t *testing.T) {
	long := strings.Repeat("x", 100)
	got := lines(t, "short\n"+long+"\nafter\n"+long, 40)
	if len(got) != 4 {
		t.Fatalf("got %d lines", len(got))
	}
	if !got[1].Truncated || len(got[1].Text) != 40 || !got[1].Terminated {
		t.Errorf("long line = truncated %v, %d bytes, terminated %v", got[1].Truncated, len(got[1].Text), got[1].Terminated)
	}
	if string(got[2].Text) != "after" || got[2].Number != 3 {
		t.Errorf("line after the long one = %q (%d)", got[2].Text, got[2].Number)
	}
	if !got[3].Truncated || got[3].Terminated {
		t.Errorf("long last line = %+v", got[3])
	}
	exact := strings.Repeat("y", 40)
	if g := lines(t, exact+"\n", 40); g[0].Truncated || string(g[0].Text) != exact {
		t.Errorf("a line of exactly the limit was cut")
	}
}

func TestInvalidUTF8IsRepairedAsWindows1252(t *testing.T) {
	got := lines(t, "Caf\xe9 \x93ok\x94\nfine é\n", 0)
	if string(got[0].Text) != "Café “ok”" || !got[0].Repaired {
		t.Errorf("repaired line = %q (repaired %v)", got[0].Text, got[0].Repaired)
	}
	if string(got[1].Text) != "fine é" || got[1].Repaired {
		t.Errorf("valid line = %q (repaired %v)", got[1].Text, got[1].Repaired)
	}
}

type failingReader struct{ data string }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.data == "" {
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReadErrorsAreReturned(t *testing.T) {
	r := New(bufio.NewReader(&failingReader{data: "a\nb"}), 0, false)
	if l, err := r.Next(); err != nil || string(l.Text) != "a" {
		t.Fatalf("first line %q, %v", l.Text, err)
	}
	if _, err := r.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("got %v, want the read error", err)
	}
	if _, err := r.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("error not sticky: %v", err)
	}
}
