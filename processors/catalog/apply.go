package catalog

import (
	"fmt"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/catalog/textnorm"
)

// Apply stores rec, read from the catalog topic, if its version is newer
// than the stored one. The superseded version moves to its versioned key,
// the UPC and title indexes follow the record, and the cached entry is
// invalidated. A record whose version is not newer is ignored, so
// replaying the topic is idempotent.
func (c *Catalog) Apply(rec avro.CatalogRecord) (Change, error) {
	if rec.ISRC == "" {
		return Change{}, fmt.Errorf("%w: empty ISRC", ErrInvalidRecord)
	}
	if rec.Version < 1 {
		return Change{}, fmt.Errorf("%w: %s has version %d", ErrInvalidRecord, rec.ISRC, rec.Version)
	}
	key := currentKey(rec.ISRC)
	prevRaw, ok, err := c.kv.Get(key)
	if err != nil {
		return Change{}, fmt.Errorf("catalog: read %s: %w", rec.ISRC, err)
	}
	var prev *avro.CatalogRecord
	if ok {
		p, err := c.decode(prevRaw, new(optionals))
		if err != nil {
			return Change{}, fmt.Errorf("catalog: decode stored %s: %w", rec.ISRC, err)
		}
		prev = &p
		if p.Version >= rec.Version {
			return Change{ISRC: rec.ISRC, Previous: prev, Current: rec}, nil
		}
	}
	raw, err := c.codecs.Catalog.Encode(&rec)
	if err != nil {
		return Change{}, fmt.Errorf("catalog: encode %s: %w", rec.ISRC, err)
	}
	if prev != nil {
		if err := c.kv.Put(versionKey(rec.ISRC, prev.Version), prevRaw); err != nil {
			return Change{}, fmt.Errorf("catalog: write %s version %d: %w", rec.ISRC, prev.Version, err)
		}
	}
	if err := c.kv.Put(key, raw); err != nil {
		return Change{}, fmt.Errorf("catalog: write %s: %w", rec.ISRC, err)
	}
	if err := c.reindex(prev, &rec); err != nil {
		return Change{}, err
	}
	c.cache.remove(rec.ISRC)
	return Change{ISRC: rec.ISRC, Applied: true, Previous: prev, Current: rec, Fields: diff(prev, &rec)}, nil
}

// indexKeys are the index entries a record appears under.
type indexKeys struct {
	upc   string // "" when the record has no UPC
	title string // loose base title
}

func keysOf(r *avro.CatalogRecord) indexKeys {
	if r == nil || r.UPC == nil || *r.UPC == "" {
		return indexKeys{}
	}
	return indexKeys{upc: *r.UPC, title: textnorm.ParseTitle(r.Title, r.VersionTitle).Base.Loose}
}

// reindex moves the record's index entries from prev's keys to cur's.
func (c *Catalog) reindex(prev, cur *avro.CatalogRecord) error {
	old, next := keysOf(prev), keysOf(cur)
	if old == next {
		return nil
	}
	if old.upc != "" {
		if old.upc != next.upc {
			if err := c.listRemove(upcKey(old.upc), cur.ISRC); err != nil {
				return err
			}
		}
		if err := c.listRemove(titleKey(old.upc, old.title), cur.ISRC); err != nil {
			return err
		}
	}
	if next.upc != "" {
		if err := c.listAdd(upcKey(next.upc), cur.ISRC); err != nil {
			return err
		}
		if err := c.listAdd(titleKey(next.upc, next.title), cur.ISRC); err != nil {
			return err
		}
	}
	return nil
}
