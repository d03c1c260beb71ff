package state

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// FuzzDecodeOffset checks that a checkpoint value decodes only at its
// fixed size and then re-encodes to the same bytes, that every offset
// round-trips, and that a global checkpoint key names its partition.
func FuzzDecodeOffset(f *testing.F) {
	for _, o := range []int64{0, 1, 42, 1 << 40, 1<<63 - 1, -1, -2} {
		f.Add(encodeOffset(o), o, int32(o))
	}
	f.Add([]byte{}, int64(0), int32(-1<<31))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 1, 0}, int64(7), int32(1<<31-1))
	f.Fuzz(func(t *testing.T, data []byte, o int64, partition int32) {
		got, err := decodeOffset(data)
		if (err == nil) != (len(data) == 8) {
			t.Fatalf("decodeOffset(%x) = %d, %v", data, got, err)
		}
		if err == nil && !bytes.Equal(encodeOffset(got), data) {
			t.Fatalf("decodeOffset(%x) = %d, which encodes as %x", data, got, encodeOffset(got))
		}
		enc := encodeOffset(o)
		if back, err := decodeOffset(enc); err != nil || back != o {
			t.Fatalf("offset %d encodes as %x, decodes as %d, %v", o, enc, back, err)
		}
		if binary.BigEndian.Uint64(enc) != uint64(o) {
			t.Fatalf("offset %d encodes as %x, not big endian", o, enc)
		}

		k := globalCheckpointKey(partition)
		if !bytes.HasPrefix(k, globalCheckpointPrefix) {
			t.Fatalf("checkpoint key %x lacks the prefix", k)
		}
		if p, err := partitionOfGlobalCheckpoint(k); err != nil || p != partition {
			t.Fatalf("checkpoint key %x of partition %d decodes as %d, %v", k, partition, p, err)
		}
		key := append(bytes.Clone(globalCheckpointPrefix), data...)
		if p, err := partitionOfGlobalCheckpoint(key); (err == nil) != (len(data) == 4) ||
			(err == nil && !bytes.Equal(globalCheckpointKey(p), key)) {
			t.Fatalf("partitionOfGlobalCheckpoint(%x) = %d, %v", key, p, err)
		}
	})
}
