package dspapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrPageSyntax is wrapped by errors about a page body that is not the
// JSON the profile describes (truncated, not JSON, items not an array).
// The rest of such a page cannot be read; the page may be fetched again.
var ErrPageSyntax = errors.New("dspapi: page body")

// MaxItemBytes bounds what one item may take of a page body (and what the
// body may hold before its items array): json.Decoder holds a whole value
// in memory while it decodes it, so without a bound one oversized value
// would take the poller's memory. Items of real reporting APIs are well
// under a kilobyte.
const MaxItemBytes = 4 << 20

// ErrItemTooLarge is wrapped by the error about a page holding an item
// larger than MaxItemBytes. Reading the page again would not help: it is
// not retryable.
var ErrItemTooLarge = fmt.Errorf("dspapi: an item of more than %d bytes", MaxItemBytes)

// budgetReader reads at most left bytes until reset: the bytes of one
// item, plus what json.Decoder read ahead of it.
type budgetReader struct {
	r    io.Reader
	left int
}

func (b *budgetReader) reset() { b.left = MaxItemBytes }

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, ErrItemTooLarge
	}
	if len(p) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= n
	return n, err
}

// PageDecoder streams the items of one page body: each call to Next
// decodes one item, so a page is never held in memory as a whole. The
// next page's cursor (body-cursor pagination) may come before or after
// the items; it is known once Next has returned io.EOF.
type PageDecoder struct {
	p       *Profile
	budget  *budgetReader
	dec     *json.Decoder
	items   []string // path of the items array
	cursor  []string // path of the next cursor
	path    []string // keys of the objects the decoder is in
	started bool
	inItems bool
	done    bool
	next    string
	err     error
}

// NewPageDecoder returns a decoder of a page body read from r.
func (p *Profile) NewPageDecoder(r io.Reader) *PageDecoder {
	b := &budgetReader{r: r}
	b.reset()
	d := &PageDecoder{p: p, budget: b, dec: json.NewDecoder(b)}
	d.dec.UseNumber()
	if p.Items != "" {
		d.items = strings.Split(p.Items, ".")
	}
	if p.Pagination == PaginationBodyCursor && p.NextCursor != "" {
		d.cursor = strings.Split(p.NextCursor, ".")
	}
	return d
}

// NextCursor returns the next page's cursor found in the body ("" when
// there is none: the last page). It is final once Next returned io.EOF.
func (d *PageDecoder) NextCursor() string { return d.next }

// Next returns the raw JSON of the next item, valid until the following
// call, or io.EOF after the last item and the rest of the body. An error
// wrapping ErrPageSyntax means the body broke off or is not what the
// profile describes; any other error is the reader's.
func (d *PageDecoder) Next() (json.RawMessage, error) {
	if d.err != nil {
		return nil, d.err
	}
	d.budget.reset()
	for {
		if d.inItems {
			if d.dec.More() {
				var raw json.RawMessage
				if err := d.dec.Decode(&raw); err != nil {
					return nil, d.fail(err)
				}
				return raw, nil
			}
			if _, err := d.dec.Token(); err != nil { // ']'
				return nil, d.fail(err)
			}
			d.inItems = false
			if len(d.items) == 0 {
				d.done = true // the body was the array
			}
		}
		if d.done {
			// Nothing but white space may follow the document.
			if _, err := d.dec.Token(); err != io.EOF {
				if err == nil {
					err = errors.New("data after the end of the page")
				}
				return nil, d.fail(err)
			}
			d.err = io.EOF
			return nil, io.EOF
		}
		if err := d.scan(); err != nil {
			return nil, d.fail(err)
		}
	}
}

func (d *PageDecoder) fail(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if errors.Is(err, ErrItemTooLarge) {
		d.err = err
		return d.err
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	if errors.As(err, &se) || errors.As(err, &te) || errors.Is(err, io.ErrUnexpectedEOF) || !isReadError(err) {
		d.err = fmt.Errorf("%w: %w", ErrPageSyntax, err)
	} else {
		d.err = err
	}
	return d.err
}

// readError marks an error of the underlying reader, as opposed to the
// JSON: it is passed through as is.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

func isReadError(err error) bool {
	var re *readError
	return errors.As(err, &re)
}

// scan advances through the body until the items array opens (inItems)
// or the document ends (done), noting the cursor on the way.
func (d *PageDecoder) scan() error {
	if !d.started {
		d.started = true
		tok, err := d.dec.Token()
		if err != nil {
			return err
		}
		if len(d.items) == 0 {
			if tok != json.Delim('[') {
				return fmt.Errorf("the body is %s, want the items array", tokenKind(tok))
			}
			d.inItems = true
			return nil
		}
		if tok != json.Delim('{') {
			return fmt.Errorf("the body is %s, want an object", tokenKind(tok))
		}
		return nil
	}
	for {
		if !d.dec.More() {
			if _, err := d.dec.Token(); err != nil { // '}'
				return err
			}
			if len(d.path) == 0 {
				d.done = true
				return nil
			}
			d.path = d.path[:len(d.path)-1]
			continue
		}
		tok, err := d.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		depth := len(d.path)
		switch {
		case d.at(d.items, key):
			tok, err := d.dec.Token()
			if err != nil {
				return err
			}
			switch tok {
			case json.Delim('['):
				d.inItems = true
				return nil
			case nil: // no items
			default:
				return fmt.Errorf("%s is %s, want an array", d.p.Items, tokenKind(tok))
			}
		case d.at(d.cursor, key):
			tok, err := d.dec.Token()
			if err != nil {
				return err
			}
			switch v := tok.(type) {
			case string:
				d.next = v
			case json.Number:
				d.next = v.String()
			case nil:
				d.next = ""
			default:
				return fmt.Errorf("%s is %s, want a string", d.p.NextCursor, tokenKind(tok))
			}
		case d.within(d.items, key) || d.within(d.cursor, key):
			tok, err := d.dec.Token()
			if err != nil {
				return err
			}
			if tok == json.Delim('{') {
				d.path = append(d.path[:depth], key)
			} else if err := d.skipRest(tok); err != nil {
				return err
			}
		default:
			tok, err := d.dec.Token()
			if err != nil {
				return err
			}
			if err := d.skipRest(tok); err != nil {
				return err
			}
		}
	}
}

// at reports whether key, in the current object, is the end of target.
func (d *PageDecoder) at(target []string, key string) bool {
	return len(target) == len(d.path)+1 && target[len(d.path)] == key && d.under(target)
}

// within reports whether key, in the current object, leads to target.
func (d *PageDecoder) within(target []string, key string) bool {
	return len(target) > len(d.path)+1 && target[len(d.path)] == key && d.under(target)
}

func (d *PageDecoder) under(target []string) bool {
	for i, k := range d.path {
		if target[i] != k {
			return false
		}
	}
	return true
}

// skipRest skips the rest of a value whose first token is tok.
func (d *PageDecoder) skipRest(tok json.Token) error {
	if tok != json.Delim('{') && tok != json.Delim('[') {
		return nil
	}
	for depth := 1; depth > 0; {
		t, err := d.dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// tokenKind names what a JSON token opens or is, for error messages.
func tokenKind(tok json.Token) string {
	d, ok := tok.(json.Delim)
	switch {
	case !ok:
		return jsonKind(tok)
	case d == '{':
		return "an object"
	case d == '[':
		return "an array"
	}
	return fmt.Sprintf("%q", string(d))
}
