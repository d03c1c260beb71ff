package catalog

import (
	"errors"
	"fmt"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors"
)

// DefaultCacheSize is the number of decoded records cached when
// Options.CacheSize is zero.
const DefaultCacheSize = 200_000

// ErrInvalidRecord is returned by Apply for a record that cannot be
// stored (no ISRC, version below 1).
var ErrInvalidRecord = errors.New("catalog: invalid record")

// Options configure a Catalog.
type Options struct {
	// CacheSize bounds the decoded records (and known-absent ISRCs) kept
	// in memory. Zero means DefaultCacheSize; negative disables the cache.
	CacheSize int
}

// Catalog is the versioned catalog view over a store. It is safe for
// concurrent use when its store is.
type Catalog struct {
	kv     processors.KV
	codecs *avro.Codecs
	cache  *cache
	direct bool // codecs write the schema decodeCatalogBody reads
}

// New returns a catalog over kv, which holds what earlier Apply calls
// wrote (see keys.go for the layout).
func New(kv processors.KV, codecs *avro.Codecs, opts Options) *Catalog {
	size := opts.CacheSize
	if size == 0 {
		size = DefaultCacheSize
	}
	return &Catalog{
		kv: kv, codecs: codecs, cache: newCache(size),
		direct: codecs.Catalog.Schema().Fingerprint == catalogFingerprint,
	}
}

// Lookup returns the current entry of isrc. Hits are served from the
// cache without touching the store; a miss reads, decodes and normalises
// the record once and caches it (or caches that the ISRC is absent).
func (c *Catalog) Lookup(isrc string) (*Entry, bool, error) {
	e, found, epoch := c.cache.get(isrc)
	if found {
		return e, e != nil, nil
	}
	raw, ok, err := c.kv.Get(currentKey(isrc))
	if err != nil {
		return nil, false, fmt.Errorf("catalog: read %s: %w", isrc, err)
	}
	if ok {
		e = new(Entry)
		if e.Record, err = c.decode(raw, &e.opt); err != nil {
			return nil, false, fmt.Errorf("catalog: decode %s: %w", isrc, err)
		}
	}
	c.cache.put(isrc, e, epoch)
	return e, e != nil, nil
}

// Current returns the current version of isrc's record. The record's
// slices and optional fields are shared with the cache: read them, never
// write through them.
func (c *Catalog) Current(isrc string) (avro.CatalogRecord, bool, error) {
	e, ok, err := c.Lookup(isrc)
	if !ok || err != nil {
		return avro.CatalogRecord{}, false, err
	}
	return e.Record, true, nil
}

// Version returns version v of isrc's record, current or superseded.
// Superseded versions are read from the store on every call.
func (c *Catalog) Version(isrc string, v int64) (avro.CatalogRecord, bool, error) {
	e, ok, err := c.Lookup(isrc)
	if !ok || err != nil {
		return avro.CatalogRecord{}, false, err
	}
	if e.Record.Version == v {
		return e.Record, true, nil
	}
	if v > e.Record.Version {
		return avro.CatalogRecord{}, false, nil
	}
	raw, ok, err := c.kv.Get(versionKey(isrc, v))
	if err != nil || !ok {
		if err != nil {
			err = fmt.Errorf("catalog: read %s version %d: %w", isrc, v, err)
		}
		return avro.CatalogRecord{}, false, err
	}
	rec, err := c.decode(raw, new(optionals))
	if err != nil {
		return avro.CatalogRecord{}, false, fmt.Errorf("catalog: decode %s version %d: %w", isrc, v, err)
	}
	return rec, true, nil
}

// CacheStats returns the cache's counters.
func (c *Catalog) CacheStats() CacheStats { return c.cache.stats() }

// ResetCache drops every cached entry. Call it when the store was rolled
// back to an earlier state (an aborted transaction) so no entry outlives
// the write it was read from.
func (c *Catalog) ResetCache() { c.cache.reset() }
