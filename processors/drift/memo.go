package drift

import (
	"encoding/binary"

	"github.com/ledgerline/ledgerline/avro"
)

// The period memo remembers, within one transaction, the (ISRC, DSP)
// sightings that left the periods store unchanged and raised nothing, by
// a hash of their period and metadata. An identical sighting later in the
// same transaction then skips the store read: the store can only have
// changed through this processor, which forgets the memo entry whenever it
// writes the key. The memo is dropped at every Flush (the transaction
// boundary) and when the input offset goes back (the runtime aborted and
// is replaying), so it never outlives the store state it describes.

// maxMemo bounds the memo of a partition between two flushes.
const maxMemo = 1 << 16

// observeOffset notes the offset of the record being processed and, if it
// is not past the previous one, forgets everything the aborted
// transaction left in memory: the memo and the alerts awaiting Flush
// (their committed state is unchanged). Offsets that never increase (a
// context without offsets) leave the memo unused.
func (t *partState) observeOffset(off int64) {
	if t.started {
		switch {
		case off > t.lastOffset:
			t.ordered = true
		case t.ordered:
			clear(t.memo)
			clear(t.dirty)
		}
	}
	t.started, t.lastOffset = true, off
}

// memoHash returns the memo key, a hash of (ISRC, DSP), and the hash of
// the whole sighting: ISRC, DSP, period and reported metadata. Both use
// the partition's process-local seed (the memo never leaves memory). A
// false memo hit needs two sightings whose 64-bit sighting hashes collide.
func (t *partState) memoHash(isrc string, ev *avro.UsageEvent) (key, sighting uint64) {
	h := &t.hasher
	h.Reset()
	field := func(s string) {
		_, _ = h.WriteString(s)
		_ = h.WriteByte(0xff) // separator, never a byte of UTF-8 text
	}
	field(isrc)
	field(ev.Source.DSP)
	key = h.Sum64()
	var days [8]byte
	binary.LittleEndian.PutUint32(days[:4], uint32(epochDay(ev.PeriodStart)))
	binary.LittleEndian.PutUint32(days[4:], uint32(epochDay(ev.PeriodEnd)))
	_, _ = h.Write(days[:])
	field(ev.TrackTitle)
	field(deref(ev.VersionTitle))
	for _, a := range ev.Artists {
		field(a)
	}
	field(deref(ev.ISWC))
	field(deref(ev.UPC))
	return key, h.Sum64()
}

// memoClean reports whether an identical sighting of key was found clean
// earlier in this transaction.
func (t *partState) memoClean(key, h uint64) bool {
	if !t.ordered {
		return false
	}
	v, ok := t.memo[key]
	return ok && v == h
}

func (t *partState) memoRemember(key, h uint64) {
	if !t.ordered {
		return
	}
	if len(t.memo) >= maxMemo {
		clear(t.memo)
	}
	t.memo[key] = h
}
