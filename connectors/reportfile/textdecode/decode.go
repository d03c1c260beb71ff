package textdecode

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
	"golang.org/x/text/transform"
)

// SniffSize is how many bytes Sniff examines; it is also the size of the
// buffer of the decoded reader.
const SniffSize = 64 << 10

// Sniffed is what Sniff learnt from the start of the input, which it did
// not consume.
type Sniffed struct {
	// Encoding is the detected encoding.
	Encoding string
	// Sample is the start of the text decoded to UTF-8, without byte
	// order mark.
	Sample []byte
	// AtEOF reports whether Sample holds the whole text.
	AtEOF bool

	bomLen int
	ascii  bool
}

// Text is decoded UTF-8 text.
type Text struct {
	// Reader yields UTF-8 text without a byte order mark.
	Reader *bufio.Reader
	// Encoding names the source encoding ("utf-8", "utf-8-bom",
	// "utf-16le", "windows-1252", ...).
	Encoding string
	// MayBeInvalid is true when the text is passed through undecoded
	// (UTF-8 input): lines may still hold invalid UTF-8 beyond the sniffed
	// window and should be repaired by the reader of the lines.
	MayBeInvalid bool
}

// Sniff detects the encoding of the text in br without consuming it: a
// byte order mark, UTF-16 by its zero bytes, else declared when given,
// else UTF-8 when the first SniffSize bytes are valid UTF-8, else
// Windows-1252. It fails when the input is empty or binary.
func Sniff(br *bufio.Reader, declared string) (*Sniffed, error) {
	head, err := br.Peek(SniffSize)
	atEOF := err == io.EOF
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	if len(head) == 0 {
		return nil, ErrEmpty
	}
	s := &Sniffed{AtEOF: atEOF}
	s.Encoding, s.bomLen = sniffBOM(head)
	raw := head[s.bomLen:]
	if len(raw) == 0 && atEOF {
		return nil, fmt.Errorf("%w: only a byte order mark", ErrEmpty)
	}
	if s.Encoding == "" {
		s.ascii = isASCII(raw)
		if s.Encoding, err = chooseEncoding(raw, atEOF, declared); err != nil {
			return nil, err
		}
	}
	if s.Sample, err = decodeSample(raw, s.Encoding); err != nil {
		return nil, err
	}
	if why := binaryReason(s.Sample); why != "" {
		return nil, fmt.Errorf("%w: %s (read as %s)", ErrBinary, why, s.Encoding)
	}
	return s, nil
}

// Choose returns the encoding to read the text with when a layout
// declares one: a byte order mark, UTF-16 or UTF-32, and UTF-8 text with
// non-ASCII characters keep the detected encoding; otherwise the declared
// one wins.
func (s *Sniffed) Choose(declared string) string {
	switch {
	case declared == "", s.bomLen > 0:
		return s.Encoding
	case s.Encoding == UTF16LE, s.Encoding == UTF16BE, s.Encoding == UTF32LE, s.Encoding == UTF32BE:
		return s.Encoding
	case s.Encoding == UTF8 && !s.ascii:
		return s.Encoding
	}
	enc, err := lookup(declared)
	if err != nil || enc == nil {
		return s.Encoding
	}
	return canonicalName(declared, enc)
}

// Open consumes the byte order mark, if any, and returns the text of br
// decoded from name, an encoding returned by Choose.
func (s *Sniffed) Open(br *bufio.Reader, name string) (*Text, error) {
	if _, err := br.Discard(s.bomLen); err != nil {
		return nil, err
	}
	enc, err := lookup(name)
	if err != nil {
		return nil, err
	}
	if enc == nil {
		return &Text{Reader: br, Encoding: name, MayBeInvalid: true}, nil
	}
	return &Text{Reader: bufio.NewReaderSize(transform.NewReader(br, enc.NewDecoder()), SniffSize), Encoding: name}, nil
}

func chooseEncoding(head []byte, atEOF bool, declared string) (string, error) {
	if u16 := sniffUTF16(head); u16 != "" {
		return u16, nil
	}
	if declared != "" {
		enc, err := lookup(declared)
		if err != nil {
			return "", err
		}
		if enc == nil {
			return UTF8, nil
		}
		return canonicalName(declared, enc), nil
	}
	if validUTF8Prefix(head, atEOF) {
		return UTF8, nil
	}
	return Windows1252, nil
}

// decodeSample decodes the sniffed bytes in memory.
func decodeSample(raw []byte, name string) ([]byte, error) {
	enc, err := lookup(name)
	if err != nil || enc == nil {
		return raw, err
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), raw)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", name, err)
	}
	return out, nil
}

// lookup returns the decoder for an encoding name; nil for UTF-8.
func lookup(name string) (encoding.Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case UTF8, UTF8BOM, "utf8":
		return nil, nil
	case UTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), nil
	case UTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), nil
	case UTF32LE:
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), nil
	case UTF32BE:
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), nil
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %w", ErrUnknownEncoding, name, err)
	}
	return enc, nil
}

func canonicalName(declared string, enc encoding.Encoding) string {
	if n, err := htmlindex.Name(enc); err == nil {
		return n
	}
	return strings.ToLower(declared)
}

// Known reports whether name is an encoding Sniff and Open accept.
func Known(name string) bool {
	_, err := lookup(name)
	return err == nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
