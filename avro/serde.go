package avro

import (
	"fmt"
	"sync"
)

// Serde encodes and decodes one record type: Go value <-> framed Avro bytes.
// It is safe for concurrent use.
type Serde[T any] struct {
	framing    Framing
	reader     *Schema
	toNative   func(*T) (map[string]any, error)
	fromNative func(map[string]any) (T, error)
	checked    sync.Map // writer fingerprint -> error (nil when compatible)
}

func newSerde[T any](reg *Registry, framing Framing, name string,
	to func(*T) (map[string]any, error), from func(map[string]any) (T, error)) (*Serde[T], error) {
	s, err := reg.Current(name)
	if err != nil {
		return nil, err
	}
	return &Serde[T]{framing: framing, reader: s, toNative: to, fromNative: from}, nil
}

// Schema returns the schema values are written with.
func (s *Serde[T]) Schema() *Schema { return s.reader }

// Encode returns v framed and Avro-encoded with the current schema.
func (s *Serde[T]) Encode(v *T) ([]byte, error) { return s.AppendEncode(nil, v) }

// AppendEncode appends the framed encoding of v to dst.
func (s *Serde[T]) AppendEncode(dst []byte, v *T) ([]byte, error) {
	native, err := s.toNative(v)
	if err != nil {
		return nil, fmt.Errorf("avro: encode %s: %w", s.reader.Name, err)
	}
	dst = s.framing.AppendHeader(dst, s.reader)
	out, err := s.reader.codec.BinaryFromNative(dst, native)
	if err != nil {
		return nil, fmt.Errorf("avro: encode %s: %w", s.reader.Name, err)
	}
	return out, nil
}

// Decode reads a framed message written with any registered version of the
// record's schema.
func (s *Serde[T]) Decode(msg []byte) (T, error) {
	var zero T
	writer, body, err := s.framing.SplitHeader(msg)
	if err != nil {
		return zero, err
	}
	if writer != s.reader {
		if err := s.compatible(writer); err != nil {
			return zero, err
		}
	}
	native, rest, err := writer.codec.NativeFromBinary(body)
	if err != nil {
		return zero, fmt.Errorf("avro: decode %s: %w", s.reader.Name, err)
	}
	if len(rest) != 0 {
		return zero, fmt.Errorf("avro: decode %s: %d trailing bytes", s.reader.Name, len(rest))
	}
	m, ok := native.(map[string]any)
	if !ok {
		return zero, fmt.Errorf("avro: decode %s: body is %T, not a record", s.reader.Name, native)
	}
	v, err := s.fromNative(m)
	if err != nil {
		return zero, fmt.Errorf("avro: decode %s: %w", s.reader.Name, err)
	}
	return v, nil
}

func (s *Serde[T]) compatible(writer *Schema) error {
	if v, ok := s.checked.Load(writer.Fingerprint); ok {
		if v == nil {
			return nil
		}
		return v.(error)
	}
	err := compatible(writer, s.reader)
	if err == nil {
		s.checked.Store(writer.Fingerprint, nil)
	} else {
		s.checked.Store(writer.Fingerprint, err)
	}
	return err
}

// Codecs bundles a Serde for every record ledgerline writes, sharing one
// registry and framing.
type Codecs struct {
	Registry       *Registry
	Usage          *Serde[UsageEvent]
	Enriched       *Serde[EnrichedUsageEvent]
	Catalog        *Serde[CatalogRecord]
	Alert          *Serde[DriftAlert]
	DeadLetter     *Serde[DeadLetter]
	Reconciliation *Serde[ReconciliationFinding]
	Ledger         *Serde[IngestLedgerEntry]
	Checkpoint     *Serde[SyncCheckpoint]
}

// NewCodecs builds the codecs on a fresh registry with single-object framing.
func NewCodecs() (*Codecs, error) {
	reg, err := NewRegistry()
	if err != nil {
		return nil, err
	}
	return NewCodecsWith(reg, SingleObject{Registry: reg})
}

// NewCodecsWith builds the codecs on reg with the given framing.
func NewCodecsWith(reg *Registry, f Framing) (*Codecs, error) {
	c := &Codecs{Registry: reg}
	var err error
	if c.Usage, err = newSerde(reg, f, NameUsageEvent, usageToNative, usageFromNative); err != nil {
		return nil, err
	}
	if c.Enriched, err = newSerde(reg, f, NameEnrichedUsageEvent, enrichedToNative, enrichedFromNative); err != nil {
		return nil, err
	}
	if c.Catalog, err = newSerde(reg, f, NameCatalogRecord, catalogToNative, catalogFromNative); err != nil {
		return nil, err
	}
	if c.Alert, err = newSerde(reg, f, NameDriftAlert, alertToNative, alertFromNative); err != nil {
		return nil, err
	}
	if c.DeadLetter, err = newSerde(reg, f, NameDeadLetter, deadLetterToNative, deadLetterFromNative); err != nil {
		return nil, err
	}
	if c.Reconciliation, err = newSerde(reg, f, NameReconciliationFinding, reconToNative, reconFromNative); err != nil {
		return nil, err
	}
	if c.Ledger, err = newSerde(reg, f, NameIngestLedgerEntry, ledgerToNative, ledgerFromNative); err != nil {
		return nil, err
	}
	if c.Checkpoint, err = newSerde(reg, f, NameSyncCheckpoint, checkpointToNative, checkpointFromNative); err != nil {
		return nil, err
	}
	return c, nil
}
