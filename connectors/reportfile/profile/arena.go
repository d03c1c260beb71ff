package profile

import "unsafe"

// arenaChunk is the size of the chunks cell strings are carved from.
const arenaChunk = 16 << 10

// stringArena makes strings from bytes, many strings per allocation.
// Bytes written to a chunk are never written again (later strings go
// after them, and a full chunk is replaced, not reused), so the strings
// are immutable; a chunk is freed once no string points into it.
type stringArena struct {
	chunk []byte
}

// string returns b as a string.
func (a *stringArena) string(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > arenaChunk/16 {
		return string(b)
	}
	if cap(a.chunk)-len(a.chunk) < len(b) {
		a.chunk = make([]byte, 0, arenaChunk)
	}
	start := len(a.chunk)
	a.chunk = append(a.chunk, b...)
	return unsafe.String(&a.chunk[start], len(b))
}
