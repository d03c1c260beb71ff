package textdecode

import (
	"bufio"
	"bytes"
	"io"
	"testing"
	"unicode/utf8"
)

var fuzzEncodings = []string{UTF8, UTF8BOM, UTF16LE, UTF16BE, UTF32LE, UTF32BE, Windows1252, "iso-8859-1", "shift_jis", "gbk", ""}

// readAll decodes data from encoding name as Open does.
func readAll(t *testing.T, s *Sniffed, data []byte, name string) []byte {
	t.Helper()
	br := bufio.NewReader(bytes.NewReader(data))
	text, err := s.Open(br, name)
	if err != nil {
		t.Fatalf("Open(%s): %v", name, err)
	}
	out, err := io.ReadAll(text.Reader)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return out
}

// FuzzDecodeSample checks that the in-memory decoding of a sniffed sample
// is valid UTF-8 (for every encoding but UTF-8, which is passed through)
// and the same as the streaming decoding Open returns; and that a sniffed
// input shorter than the window decodes through Open to its sample.
func FuzzDecodeSample(f *testing.F) {
	f.Add([]byte("ISRC,Title\nUSRC17607839,Tøilette\n"), uint8(0))
	f.Add(utf16le("ISRC\tTitle\r\nUSRC17607839\tCafé\r\n", true), uint8(2))
	f.Add(utf16be("a,b\n", false), uint8(3))
	f.Add([]byte{0xff, 0xfe, 0, 0, 'a', 0, 0, 0, 0x00, 0xd8, 0, 0}, uint8(4))
	f.Add([]byte("Caf\xe9,\x80\x81\x9d\n"), uint8(6))
	f.Add([]byte("\x82\xa0\x82\xa2,\x81\n"), uint8(8))
	f.Add([]byte{'a', 0, 'b'}, uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		name := fuzzEncodings[int(sel)%len(fuzzEncodings)]
		out, err := decodeSample(data, name)
		if err != nil {
			if name != "" && Known(name) {
				t.Fatalf("decodeSample(%s): %v", name, err)
			}
			return
		}
		if enc, _ := lookup(name); enc != nil {
			if !utf8.Valid(out) {
				t.Fatalf("decodeSample(%x, %s) = %q, not UTF-8", data, name, out)
			}
			if stream := readAll(t, &Sniffed{}, data, name); !bytes.Equal(stream, out) {
				t.Fatalf("%s: sample %q, streamed %q", name, out, stream)
			}
		} else if !bytes.Equal(out, data) {
			t.Fatalf("decodeSample(%x, %s) = %x, not passed through", data, name, out)
		}
		if again, err := decodeSample(data, name); err != nil || !bytes.Equal(again, out) {
			t.Fatalf("decodeSample(%x, %s) differs between calls", data, name)
		}

		s, err := Sniff(bufio.NewReaderSize(bytes.NewReader(data), SniffSize), name)
		if err != nil {
			return
		}
		if len(data) < SniffSize && !s.AtEOF {
			t.Fatalf("%d bytes not read to the end", len(data))
		}
		if s.Encoding != UTF8 && s.Encoding != UTF8BOM && !utf8.Valid(s.Sample) {
			t.Fatalf("Sniff(%x) sample %q read as %s is not UTF-8", data, s.Sample, s.Encoding)
		}
		if s.AtEOF {
			if stream := readAll(t, s, data, s.Encoding); !bytes.Equal(stream, s.Sample) {
				t.Fatalf("Sniff(%x) as %s: sample %q, Open reads %q", data, s.Encoding, s.Sample, stream)
			}
		}
	})
}
