package processortest

// hashIndex maps a key hash to the ref of its chain's first record: an
// open-addressing table with linear probing, 16 bytes a slot, so a lookup
// usually touches a single cache line (a Go map touches several, which
// dominates Get on stores of millions of keys). A zero ref marks an empty
// slot (refs are never zero). Deletion shifts the following entries back,
// so the table holds no tombstones.
type hashIndex struct {
	slots []indexSlot
	n     int
}

type indexSlot struct {
	hash, ref uint64
}

const minIndexSlots = 64

// get returns the ref stored for h, or 0.
func (x *hashIndex) get(h uint64) uint64 {
	if len(x.slots) == 0 {
		return 0
	}
	mask := uint64(len(x.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &x.slots[i]
		if s.ref == 0 {
			return 0
		}
		if s.hash == h {
			return s.ref
		}
	}
}

// set stores ref (not 0) for h.
func (x *hashIndex) set(h, ref uint64) {
	if (x.n+1)*8 > len(x.slots)*5 { // keep the load factor under 5/8
		x.grow()
	}
	mask := uint64(len(x.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &x.slots[i]
		if s.ref == 0 {
			s.hash, s.ref = h, ref
			x.n++
			return
		}
		if s.hash == h {
			s.ref = ref
			return
		}
	}
}

// remove drops h, if present.
func (x *hashIndex) remove(h uint64) {
	if len(x.slots) == 0 {
		return
	}
	mask := uint64(len(x.slots) - 1)
	i := h & mask
	for {
		s := &x.slots[i]
		if s.ref == 0 {
			return
		}
		if s.hash == h {
			break
		}
		i = (i + 1) & mask
	}
	// Shift back every following entry of the cluster that may move to
	// the hole at i without passing its home slot.
	for j := (i + 1) & mask; ; j = (j + 1) & mask {
		s := x.slots[j]
		if s.ref == 0 {
			break
		}
		home := s.hash & mask
		// s may fill the hole if its home is not cyclically within (i, j].
		if (j-home)&mask >= (j-i)&mask {
			x.slots[i] = s
			i = j
		}
	}
	x.slots[i] = indexSlot{}
	x.n--
}

func (x *hashIndex) grow() {
	old := x.slots
	x.slots = make([]indexSlot, max(minIndexSlots, 2*len(old)))
	x.n = 0
	for _, s := range old {
		if s.ref != 0 {
			x.set(s.hash, s.ref)
		}
	}
}

// each calls f with the ref of every chain.
func (x *hashIndex) each(f func(ref uint64)) {
	for _, s := range x.slots {
		if s.ref != 0 {
			f(s.ref)
		}
	}
}
