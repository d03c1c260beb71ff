package validate

import (
	"time"
	"unsafe"

	"github.com/ledgerline/ledgerline/avro"
)

// Chunk sizes of a Scratch: events per chunk of optional strings, and
// bytes per chunk of identifier text.
const (
	scratchEvents = 256
	scratchBytes  = 16 << 10
)

// Scratch amortises the allocations Validate makes for each accepted
// event: the optional strings the event points to and the text of its
// event id and GTIN are carved from chunks, one allocation per few hundred
// events instead of two per event. Text written to a chunk is never
// written again, so the events stay independent and immutable; a chunk is
// freed when no event points into it any more. A Scratch must not be used
// by two goroutines at once; the zero value is ready to use.
type Scratch struct {
	strs []eventStrings
	text []byte
}

// ValidateInto is Validate writing the accepted event to *e, which it
// overwrites entirely (on rejection *e is undefined), and carving the
// event's strings from s (nil: allocate them per event). Reusing one event
// and one Scratch for many lines saves copying and allocating.
func (v *Validator) ValidateInto(l *Line, ingest time.Time, s *Scratch, e *avro.UsageEvent) *Rejection {
	return v.validate(l, ingest, s, e)
}

// eventStrings returns a zeroed holder for an event's optional strings.
func (s *Scratch) eventStrings() *eventStrings {
	if s == nil {
		return new(eventStrings)
	}
	if len(s.strs) == 0 {
		s.strs = make([]eventStrings, scratchEvents)
	}
	e := &s.strs[0]
	s.strs = s.strs[1:]
	return e
}

// string returns b as a string.
func (s *Scratch) string(b []byte) string {
	if s == nil || len(b) == 0 || len(b) > scratchBytes/4 {
		return string(b)
	}
	if cap(s.text)-len(s.text) < len(b) {
		s.text = make([]byte, 0, scratchBytes)
	}
	start := len(s.text)
	s.text = append(s.text, b...)
	// The bytes from start on are never written again: later strings are
	// appended after them, and a full chunk is replaced, not reused.
	return unsafe.String(&s.text[start], len(b))
}
