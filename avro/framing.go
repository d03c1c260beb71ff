package avro

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrNotFramed means a message does not start with the framing's marker.
var ErrNotFramed = errors.New("avro: message does not carry a schema header")

// ErrUnknownSchema means a message names a writer schema the registry does
// not know.
var ErrUnknownSchema = errors.New("avro: unknown writer schema")

// Framing writes and reads the schema reference in front of an Avro binary
// body. SingleObject is the default; a Schema Registry framing would map
// schema ids instead of fingerprints.
type Framing interface {
	// AppendHeader appends the header naming writer to dst.
	AppendHeader(dst []byte, writer *Schema) []byte
	// SplitHeader returns the writer schema named by msg's header and the
	// Avro body after it.
	SplitHeader(msg []byte) (writer *Schema, body []byte, err error)
}

// SingleObject is Avro single-object encoding: 0xC3 0x01 followed by the
// little-endian CRC-64-AVRO fingerprint of the writer schema.
type SingleObject struct {
	Registry *Registry
}

var _ Framing = SingleObject{}

const singleObjectHeaderLen = 10

// AppendHeader implements Framing.
func (SingleObject) AppendHeader(dst []byte, writer *Schema) []byte {
	dst = append(dst, 0xC3, 0x01)
	return binary.LittleEndian.AppendUint64(dst, writer.Fingerprint)
}

// SplitHeader implements Framing.
func (f SingleObject) SplitHeader(msg []byte) (*Schema, []byte, error) {
	if len(msg) < singleObjectHeaderLen || msg[0] != 0xC3 || msg[1] != 0x01 {
		return nil, nil, ErrNotFramed
	}
	fp := binary.LittleEndian.Uint64(msg[2:singleObjectHeaderLen])
	s, ok := f.Registry.ByFingerprint(fp)
	if !ok {
		return nil, nil, fmt.Errorf("%w: fingerprint %016x", ErrUnknownSchema, fp)
	}
	return s, msg[singleObjectHeaderLen:], nil
}
