package linereader

import (
	"bufio"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// DefaultMaxBytes is the line length limit used when none is given.
const DefaultMaxBytes = 1 << 20

// Line is one physical line.
type Line struct {
	// Text is the line without its terminator. It aliases a buffer and is
	// valid until the next call to Next.
	Text []byte
	// Number is the 1-based line number.
	Number int64
	// CRLF reports whether the line ended with "\r\n".
	CRLF bool
	// Terminated reports whether the line had a terminator (false only
	// for a last line without one).
	Terminated bool
	// Truncated reports that the line was longer than the limit: Text
	// holds its first bytes and the rest was discarded.
	Truncated bool
	// Repaired reports that invalid UTF-8 bytes were decoded as
	// Windows-1252.
	Repaired bool
}

// Terminator returns the line's terminator as it was written.
func (l Line) Terminator() string {
	switch {
	case !l.Terminated:
		return ""
	case l.CRLF:
		return "\r\n"
	}
	return "\n"
}

// Reader reads physical lines.
type Reader struct {
	br       *bufio.Reader
	max      int
	repair   bool
	n        int64
	long     []byte
	fixed    []byte
	repaired int64
	err      error
}

// New returns a Reader over br. maxBytes bounds a line (0 means
// DefaultMaxBytes). When repair is true, lines that are not valid UTF-8 are
// repaired.
func New(br *bufio.Reader, maxBytes int, repair bool) *Reader {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &Reader{br: br, max: maxBytes, repair: repair}
}

// Lines returns the number of lines returned so far.
func (r *Reader) Lines() int64 { return r.n }

// RepairedLines returns how many lines held invalid UTF-8.
func (r *Reader) RepairedLines() int64 { return r.repaired }

// Next returns the next line, io.EOF at the end of the text, or the error
// of the underlying reader.
func (r *Reader) Next() (Line, error) {
	if r.err != nil {
		return Line{}, r.err
	}
	text, truncated, err := r.readRaw()
	if err != nil && err != io.EOF {
		r.err = err
		return Line{}, err
	}
	if err == io.EOF && len(text) == 0 && !truncated {
		r.err = io.EOF
		return Line{}, io.EOF
	}
	r.n++
	l := Line{Number: r.n, Truncated: truncated}
	if n := len(text); n > 0 && text[n-1] == '\n' {
		l.Terminated = true
		text = text[:n-1]
		if n := len(text); n > 0 && text[n-1] == '\r' {
			l.CRLF = true
			text = text[:n-1]
		}
	}
	if truncated {
		l.Terminated = err != io.EOF
	}
	if err == io.EOF {
		r.err = io.EOF
	}
	if r.repair && !utf8.Valid(text) {
		r.fixed = appendRepaired(r.fixed[:0], text)
		text = r.fixed
		l.Repaired = true
		r.repaired++
	}
	l.Text = text
	return l, nil
}

// readRaw returns the next line including its "\n". A line longer than
// the limit is cut to the limit, the rest of it skipped, and truncated set.
func (r *Reader) readRaw() (text []byte, truncated bool, err error) {
	frag, err := r.br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		content := len(frag)
		if err == nil {
			content--
		}
		if content > r.max {
			r.long = append(r.long[:0], frag[:r.max]...)
			return r.long, true, err
		}
		return frag, false, err
	}
	total := len(frag)
	r.long = append(r.long[:0], frag[:min(len(frag), r.max+1)]...)
	for errors.Is(err, bufio.ErrBufferFull) {
		frag, err = r.br.ReadSlice('\n')
		total += len(frag)
		if room := r.max + 1 - len(r.long); room > 0 {
			r.long = append(r.long, frag[:min(len(frag), room)]...)
		}
	}
	content := total
	if err == nil {
		content-- // the terminating '\n'
	}
	if content > r.max {
		return r.long[:r.max], true, err
	}
	return r.long, false, err
}

// appendRepaired appends text to dst, decoding every byte that is not part
// of a valid UTF-8 sequence as Windows-1252.
func appendRepaired(dst, text []byte) []byte {
	for len(text) > 0 {
		c := text[0]
		if c < utf8.RuneSelf {
			dst = append(dst, c)
			text = text[1:]
			continue
		}
		r, size := utf8.DecodeRune(text)
		if r == utf8.RuneError && size <= 1 {
			dst = utf8.AppendRune(dst, charmap.Windows1252.DecodeByte(c))
			text = text[1:]
			continue
		}
		dst = append(dst, text[:size]...)
		text = text[size:]
	}
	return dst
}
