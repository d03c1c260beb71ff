package state

import (
	"encoding/binary"
	"fmt"
)

// Every Badger database here splits its key space in two by the first
// byte, so that user keys (arbitrary bytes) can never collide with the
// bookkeeping the package stores beside them.
const (
	metaPrefix byte = 0x00 // bookkeeping: format marker, checkpoints
	dataPrefix byte = 0x01 // user keys
	// derivedPrefix holds a global table's derived data (DerivedKV).
	derivedPrefix byte = 0x02
)

// formatVersion is written once into every database. A database whose marker
// is missing or different is treated as foreign and rebuilt from Kafka.
const formatVersion = "ledgerline-state-v1"

var (
	formatKey = []byte{metaPrefix, 'f', 'o', 'r', 'm', 'a', 't'}
	// storeCheckpointKey holds the next changelog offset to replay for a
	// per-partition Store.
	storeCheckpointKey = []byte{metaPrefix, 'c', 'p'}
)

// dataKey returns key in the user key space.
func dataKey(key []byte) []byte {
	k := make([]byte, 1+len(key))
	k[0] = dataPrefix
	copy(k[1:], key)
	return k
}

// derivedKey returns key in the derived key space.
func derivedKey(key []byte) []byte {
	k := make([]byte, 1+len(key))
	k[0] = derivedPrefix
	copy(k[1:], key)
	return k
}

// userKey strips the user key-space prefix from a Badger key.
func userKey(k []byte) []byte { return k[1:] }

// globalCheckpointKey is the key holding the next offset to consume of one
// partition of a global table's topic.
func globalCheckpointKey(partition int32) []byte {
	k := []byte{metaPrefix, 'g', 'c', 'p', 0, 0, 0, 0}
	binary.BigEndian.PutUint32(k[4:], uint32(partition))
	return k
}

// globalCheckpointPrefix is the common prefix of all globalCheckpointKeys.
var globalCheckpointPrefix = []byte{metaPrefix, 'g', 'c', 'p'}

// partitionOfGlobalCheckpoint decodes a globalCheckpointKey.
func partitionOfGlobalCheckpoint(k []byte) (int32, error) {
	if len(k) != len(globalCheckpointPrefix)+4 {
		return 0, fmt.Errorf("state: malformed checkpoint key %x", k)
	}
	return int32(binary.BigEndian.Uint32(k[len(globalCheckpointPrefix):])), nil
}

func encodeOffset(o int64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, uint64(o))
	return b
}

func decodeOffset(b []byte) (int64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("state: malformed checkpoint value of %d bytes", len(b))
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}
