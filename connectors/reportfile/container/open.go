package container

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// BufferSize is the size of the read buffers Open puts in front of the
// input and of each decompressed layer.
const BufferSize = 64 << 10

// maxLayers bounds nesting such as a gzip file inside a zip archive.
const maxLayers = 3

// Info describes the layers Open removed.
type Info struct {
	// Layers lists the containers from the outside in: "gzip", "zip".
	Layers []string
	// Entry is the name of the zip entry read, "" when not zipped.
	Entry string
}

// String describes the layers, e.g. "zip entry \"r.csv\" > gzip".
func (i Info) String() string {
	var b bytes.Buffer
	for n, l := range i.Layers {
		if n > 0 {
			b.WriteString(" > ")
		}
		b.WriteString(l)
		if l == "zip" {
			fmt.Fprintf(&b, " entry %q", i.Entry)
		}
	}
	return b.String()
}

// Payload is the uncompressed content of the input.
type Payload struct {
	// Reader yields the uncompressed bytes; Peek may be used for sniffing.
	Reader *bufio.Reader
	Info   Info
	closer io.Closer
}

// Close releases a zip entry reader, if any.
func (p *Payload) Close() error {
	if p.closer != nil {
		return p.closer.Close()
	}
	return nil
}

var (
	magicGzip  = []byte{0x1f, 0x8b}
	magicZip   = []byte("PK\x03\x04")
	magicZipE  = []byte("PK\x05\x06")
	magicOLE2  = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
	magicPDF   = []byte("%PDF-")
	magicUstar = []byte("ustar")
)

// Open detects gzip and zip layers and returns the payload. Raw bytes
// read from r are added to c.
func Open(r io.Reader, c *Counter) (*Payload, error) {
	br := bufio.NewReaderSize(countingReader{r: r, c: c}, BufferSize)
	p := &Payload{Reader: br}
	for depth := 0; ; depth++ {
		head, err := p.Reader.Peek(512)
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			return nil, err
		}
		switch {
		case bytes.HasPrefix(head, magicGzip):
			if depth >= maxLayers {
				return nil, fmt.Errorf("%w: more than %d nested compression layers", ErrUnsupported, maxLayers)
			}
			gz, err := newGzipStream(p.Reader)
			if err != nil {
				return nil, err
			}
			p.Reader = bufio.NewReaderSize(gz, BufferSize)
			p.Info.Layers = append(p.Info.Layers, "gzip")
		case bytes.HasPrefix(head, magicZip), bytes.HasPrefix(head, magicZipE):
			if depth > 0 {
				return nil, fmt.Errorf("%w: a zip archive inside %s", ErrUnsupported, p.Info)
			}
			rc, name, err := openZip(r, c)
			if err != nil {
				return nil, err
			}
			p.closer = rc
			p.Reader = bufio.NewReaderSize(rc, BufferSize)
			p.Info.Layers = append(p.Info.Layers, "zip")
			p.Info.Entry = name
		case bytes.HasPrefix(head, magicOLE2):
			return nil, fmt.Errorf("%w: a legacy Microsoft Office file (.xls); export the sheet as CSV", ErrUnsupported)
		case bytes.HasPrefix(head, magicPDF):
			return nil, fmt.Errorf("%w: a PDF document, not a text report", ErrUnsupported)
		case len(head) >= 262 && bytes.Equal(head[257:262], magicUstar):
			return nil, fmt.Errorf("%w: a tar archive; extract the report first", ErrUnsupported)
		default:
			return p, nil
		}
	}
}
