package drift

import (
	"encoding/binary"
	"hash/maphash"

	"github.com/ledgerline/ledgerline/avro"
)

// The period memo remembers the (ISRC, DSP) sightings that left the
// periods store unchanged and raised nothing, by a hash of their period
// and metadata. An identical sighting later then skips the store read:
// the store can only have changed through this processor, which forgets
// the memo entry whenever it writes the key. Committing a transaction
// changes nothing the memo describes, so the memo outlives Flush; it is
// dropped whenever the store may go back to an older state: at Revoke
// (the runtime calls it when a transaction aborts and when the partition
// is revoked) and, as a second guard, when the input offset goes back
// (the runtime is replaying from the last committed offset).

// maxMemo bounds the memo of a partition; a full memo starts afresh.
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

// memoHash returns the memo key, a hash of (ISRC, DSP) (see memoKey), and
// the hash of the whole sighting: ISRC, DSP, period, reported metadata
// and the catalog version it is checked against, so that a sighting after
// the catalog moved on reads the store again. Both use the partition's
// process-local seed (the memo never leaves memory). A false memo hit
// needs two sightings whose 64-bit sighting hashes collide.
func (t *partState) memoHash(isrc string, ev *avro.UsageEvent, catalogVersion int64) (key, sighting uint64) {
	key = t.memoKey(isrc, ev.Source.DSP)
	h := &t.hasher
	var fixed [16]byte
	binary.LittleEndian.PutUint32(fixed[:4], uint32(epochDay(ev.PeriodStart)))
	binary.LittleEndian.PutUint32(fixed[4:8], uint32(epochDay(ev.PeriodEnd)))
	binary.LittleEndian.PutUint64(fixed[8:], uint64(catalogVersion))
	_, _ = h.Write(fixed[:])
	memoField(h, ev.TrackTitle)
	memoField(h, deref(ev.VersionTitle))
	for _, a := range ev.Artists {
		memoField(h, a)
	}
	memoField(h, deref(ev.ISWC))
	memoField(h, deref(ev.UPC))
	return key, h.Sum64()
}

// memoKey is the memo key of (ISRC, DSP). It leaves t.hasher holding
// exactly what it hashed, for memoHash to go on.
func (t *partState) memoKey(isrc, dsp string) uint64 {
	h := &t.hasher
	h.Reset()
	memoField(h, isrc)
	memoField(h, dsp)
	return h.Sum64()
}

func memoField(h *maphash.Hash, s string) {
	_, _ = h.WriteString(s)
	_ = h.WriteByte(0xff) // separator, never a byte of UTF-8 text
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
