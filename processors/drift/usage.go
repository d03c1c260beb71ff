package drift

import (
	"encoding/binary"
	"fmt"

	"github.com/ledgerline/ledgerline/processors"
)

// Layout of a usage store value, keyed by ISRC: the DSPs that reported
// usage of the recording in this partition, in the order first seen. The
// periods store, keyed by ISRC and DSP, holds the periods themselves.
//
//	byte    layout version (1)
//	uvarint number of DSPs, then each DSP as a string
const usageLayout = 1

func decodeUsage(v []byte) ([]string, error) {
	r := reader{b: v}
	if r.byte() != usageLayout {
		return nil, fmt.Errorf("%w: usage layout", errCorrupt)
	}
	n := r.uvarint()
	if n > 1<<16 {
		return nil, fmt.Errorf("%w: %d DSPs", errCorrupt, n)
	}
	dsps := make([]string, 0, min(n, uint64(len(r.b)))) // each DSP takes at least its length byte
	for i := uint64(0); i < n && r.err == nil; i++ {
		dsps = append(dsps, r.string())
	}
	return dsps, r.done()
}

func encodeUsage(dsps []string) []byte {
	b := []byte{usageLayout}
	b = binary.AppendUvarint(b, uint64(len(dsps)))
	for _, d := range dsps {
		b = appendString(b, d)
	}
	return b
}

// usageDSPs returns the DSPs that reported usage of isrc.
func usageDSPs(ctx processors.Context, isrc string) ([]string, error) {
	v, ok, err := ctx.Store(StoreUsage).Get([]byte(isrc))
	if err != nil {
		return nil, fmt.Errorf("drift: read usage of %s: %w", isrc, err)
	}
	if !ok {
		return nil, nil
	}
	dsps, err := decodeUsage(v)
	if err != nil {
		return nil, fmt.Errorf("drift: usage of %s: %w", isrc, err)
	}
	return dsps, nil
}

// addUsage records that dsp reported usage of isrc. It scans the stored
// value in place, without decoding its DSPs into strings, and extends it
// byte for byte as encodeUsage(append(dsps, dsp)) would.
func addUsage(ctx processors.Context, isrc, dsp string) error {
	store := ctx.Store(StoreUsage)
	v, ok, err := store.Get([]byte(isrc))
	if err != nil {
		return fmt.Errorf("drift: read usage of %s: %w", isrc, err)
	}
	var n uint64
	var body []byte // the stored DSPs, after the count
	if ok {
		r := reader{b: v}
		if r.byte() != usageLayout {
			return fmt.Errorf("drift: usage of %s: %w", isrc, fmt.Errorf("%w: usage layout", errCorrupt))
		}
		n = r.uvarint()
		if n > 1<<16 {
			return fmt.Errorf("drift: usage of %s: %w", isrc, fmt.Errorf("%w: %d DSPs", errCorrupt, n))
		}
		body = r.b
		found := false
		for i := uint64(0); i < n && r.err == nil; i++ {
			if string(r.bytes()) == dsp {
				found = true
			}
		}
		if err := r.done(); err != nil {
			return fmt.Errorf("drift: usage of %s: %w", isrc, err)
		}
		if found {
			return nil
		}
	}
	b := make([]byte, 0, 1+binary.MaxVarintLen64+len(body)+binary.MaxVarintLen64+len(dsp))
	b = append(b, usageLayout)
	b = binary.AppendUvarint(b, n+1)
	b = append(b, body...)
	b = appendString(b, dsp)
	if err := store.Put([]byte(isrc), b); err != nil {
		return fmt.Errorf("drift: write usage of %s: %w", isrc, err)
	}
	return nil
}
