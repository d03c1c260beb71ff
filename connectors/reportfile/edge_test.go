package reportfile

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestEdgeInputs covers inputs at the borders of the formats: they must
// either open with sensible counts or fail with a clear error.
func TestEdgeInputs(t *testing.T) {
	header := joinRows(",", "\n", tunecoreHeader)
	tests := []struct {
		name    string
		in      []byte
		rows    int
		openErr error
	}{
		{"only a byte order mark", []byte{0xef, 0xbb, 0xbf}, 0, ErrEmpty},
		{"only a UTF-16 byte order mark", []byte{0xff, 0xfe}, 0, ErrEmpty},
		{"odd UTF-16 length", append(encodeUTF16(header+strings.Join(tunecoreRow("A", "1"), ","), false, true), 'x'), 1, nil},
		{"header only", []byte(header), 0, nil},
		{"header without newline", []byte(strings.TrimSuffix(header, "\n")), 0, nil},
		{"gzip of nothing", gz(t, nil), 0, ErrEmpty},
		{"zip with an empty report", zipOf(t, "r.csv", ""), 0, ErrEmpty},
		{"blank lines only", []byte("\n\r\n\n"), 0, ErrEmpty},
		{"DSR head only", []byte("HEAD"), 0, ErrUnknownLayout},
		{"DSR without newline", []byte("HEAD\tx\tBasicAudioProfile"), 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := Open(bytes.NewReader(tt.in), Options{})
			if tt.openErr != nil {
				if !errors.Is(err, tt.openErr) {
					t.Fatalf("Open: %v, want %v", err, tt.openErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			n := 0
			for {
				_, err := rd.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			if st := rd.Structure(); n != tt.rows || st.LineTotal() != st.PhysicalLines {
				t.Errorf("%d rows, structure %+v", n, st)
			}
		})
	}
}
