package avro

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/linkedin/goavro/v2"
)

// Schema is one parsed Avro schema: a writer schema found by fingerprint or
// the reader schema a typed codec decodes into.
type Schema struct {
	Name        string // full name of the top-level record
	Fingerprint uint64 // CRC-64-AVRO of the parsing canonical form
	codec       *goavro.Codec
	fields      map[string]fieldInfo // top-level fields
}

type fieldInfo struct {
	hasDefault bool
}

// JSON returns the schema as given.
func (s *Schema) JSON() string { return s.codec.Schema() }

// Canonical returns the parsing canonical form the fingerprint is taken of.
func (s *Schema) Canonical() string { return s.codec.CanonicalSchema() }

// Registry knows schemas by fingerprint and the current schema by name. It is
// safe for concurrent use.
type Registry struct {
	mu      sync.RWMutex
	byFP    map[uint64]*Schema
	current map[string]*Schema
}

// NewRegistry returns a registry holding the embedded (current) schemas.
func NewRegistry() (*Registry, error) {
	applyDecodeLimits()
	r := &Registry{byFP: map[uint64]*Schema{}, current: map[string]*Schema{}}
	srcs, err := EmbeddedSchemas()
	if err != nil {
		return nil, err
	}
	for _, src := range srcs {
		s, err := r.Register(src.JSON)
		if err != nil {
			return nil, fmt.Errorf("avro: embedded schema %s: %w", src.File, err)
		}
		r.current[s.Name] = s
	}
	return r, nil
}

// Register parses schemaJSON and makes it known as a writer schema, for
// example an older version of a record that is still on a topic. It
// returns the already registered schema when the fingerprint is known.
func (r *Registry) Register(schemaJSON string) (*Schema, error) {
	c, err := goavro.NewCodec(schemaJSON)
	if err != nil {
		return nil, fmt.Errorf("avro: parse schema: %w", err)
	}
	var top map[string]any
	if err := json.Unmarshal([]byte(schemaJSON), &top); err != nil {
		return nil, fmt.Errorf("avro: schema is not a JSON object: %w", err)
	}
	s := &Schema{Name: fullName(top, ""), Fingerprint: c.Rabin, codec: c, fields: map[string]fieldInfo{}}
	if fs, ok := top["fields"].([]any); ok {
		for _, f := range fs {
			fm, _ := f.(map[string]any)
			name, _ := fm["name"].(string)
			_, hasDefault := fm["default"]
			s.fields[name] = fieldInfo{hasDefault: hasDefault}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if known, ok := r.byFP[s.Fingerprint]; ok {
		return known, nil
	}
	r.byFP[s.Fingerprint] = s
	return s, nil
}

// ByFingerprint returns the schema with the given fingerprint.
func (r *Registry) ByFingerprint(fp uint64) (*Schema, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.byFP[fp]
	return s, ok
}

// Current returns the current schema of a record by full name.
func (r *Registry) Current(name string) (*Schema, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.current[name]
	if !ok {
		return nil, fmt.Errorf("avro: no schema named %s", name)
	}
	return s, nil
}

// compatible reports whether data written with writer can be read as
// reader: same record name, and every reader field either exists in the
// writer or has a default.
func compatible(writer, reader *Schema) error {
	if writer.Name != reader.Name {
		return fmt.Errorf("avro: writer schema is %s, expected %s", writer.Name, reader.Name)
	}
	for name, f := range reader.fields {
		if _, ok := writer.fields[name]; !ok && !f.hasDefault {
			return fmt.Errorf("avro: field %s.%s is missing from writer schema %016x and has no default", reader.Name, name, writer.Fingerprint)
		}
	}
	return nil
}
