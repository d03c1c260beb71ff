package reportfile

import (
	"bytes"
	"io"

	"github.com/ledgerline/ledgerline/connectors/reportfile/linereader"
)

// sampleLines yields the complete lines of a sniffed sample up to the
// HEAD record; it is used to name the DSR profile before reading starts.
type sampleLines struct {
	rest []byte
	n    int64
}

func (s *sampleLines) Next() (linereader.Line, error) {
	if len(s.rest) == 0 {
		return linereader.Line{}, io.EOF
	}
	line := s.rest
	if i := bytes.IndexByte(s.rest, '\n'); i >= 0 {
		line, s.rest = s.rest[:i], s.rest[i+1:]
	} else {
		s.rest = nil
	}
	line = bytes.TrimSuffix(line, []byte{'\r'})
	s.n++
	if s.n > 50 {
		return linereader.Line{}, io.EOF
	}
	return linereader.Line{Text: line, Number: s.n, Terminated: true}, nil
}
