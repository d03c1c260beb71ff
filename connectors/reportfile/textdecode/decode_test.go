package textdecode

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16le(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xff, 0xfe)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func utf16be(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xfe, 0xff)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

// decode sniffs br and opens it with the detected encoding.
func decode(br *bufio.Reader, declared string) (*Text, error) {
	s, err := Sniff(br, declared)
	if err != nil {
		return nil, err
	}
	return s.Open(br, s.Encoding)
}

func TestDecode(t *testing.T) {
	const text = "name,title\nCafé,Tøilette\n"
	tests := []struct {
		name     string
		in       []byte
		declared string
		encoding string
	}{
		{"utf-8", []byte(text), "", UTF8},
		{"utf-8 bom", append([]byte{0xef, 0xbb, 0xbf}, text...), "", UTF8BOM},
		{"utf-16le bom", utf16le(text, true), "", UTF16LE},
		{"utf-16be bom", utf16be(text, true), "", UTF16BE},
		{"utf-16le no bom", utf16le(text, false), "", UTF16LE},
		{"utf-16be no bom", utf16be(text, false), "", UTF16BE},
		{"windows-1252 detected", []byte("name,title\nCaf\xe9,T\xf8ilette\n"), "", Windows1252},
		{"declared latin-1", []byte("name,title\nCaf\xe9,T\xf8ilette\n"), "iso-8859-1", Windows1252},
		{"bom beats declared", append([]byte{0xef, 0xbb, 0xbf}, text...), "windows-1252", UTF8BOM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decode(bufio.NewReader(bytes.NewReader(tt.in)), tt.declared)
			if err != nil {
				t.Fatal(err)
			}
			if got.Encoding != tt.encoding {
				t.Errorf("encoding %q, want %q", got.Encoding, tt.encoding)
			}
			out, err := io.ReadAll(got.Reader)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != text {
				t.Errorf("decoded %q, want %q", out, text)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*7919 + i/3)
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"binary", garbage, ErrBinary},
		{"nul in text", []byte("a,b\n\x00\x00\x00c,d\n"), ErrBinary},
		{"control characters", []byte(strings.Repeat("\x01\x02\x03abc", 50)), ErrBinary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(bufio.NewReader(bytes.NewReader(tt.in)), "")
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := decode(bufio.NewReader(strings.NewReader("a")), "klingon"); !errors.Is(err, ErrUnknownEncoding) {
		t.Errorf("unknown declared encoding: %v", err)
	}
}

func TestUTF8CutAtSniffWindowIsStillUTF8(t *testing.T) {
	in := strings.Repeat("a", SniffSize-1) + "é" + strings.Repeat("b", 10)
	got, err := decode(bufio.NewReaderSize(strings.NewReader(in), SniffSize), "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Encoding != UTF8 {
		t.Errorf("encoding %q, want utf-8", got.Encoding)
	}
}

func TestChooseHonoursDeclaredEncodingOnlyWhenSafe(t *testing.T) {
	tests := []struct {
		name, in, declared, want string
	}{
		{"ascii takes the declared one", "a,b\n", "iso-8859-2", "iso-8859-2"},
		{"invalid utf-8 takes the declared one", "a,\xe9\n", "iso-8859-2", "iso-8859-2"},
		{"real utf-8 stays", "a,é\n", "windows-1252", UTF8},
		{"bom stays", "\xef\xbb\xbfa\n", "windows-1252", UTF8BOM},
		{"nothing declared", "a,\xe9\n", "", Windows1252},
	}
	for _, tt := range tests {
		s, err := Sniff(bufio.NewReader(strings.NewReader(tt.in)), "")
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Choose(tt.declared); got != tt.want {
			t.Errorf("%s: Choose(%q) = %q, want %q", tt.name, tt.declared, got, tt.want)
		}
	}
	br := bufio.NewReader(strings.NewReader("Name\nZa\xbf\xf3\xb3\xe6\n"))
	s, err := Sniff(br, "")
	if err != nil {
		t.Fatal(err)
	}
	text, err := s.Open(br, s.Choose("iso-8859-2"))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(text.Reader)
	if string(out) != "Name\nZażółć\n" {
		t.Errorf("decoded %q", out)
	}
}
