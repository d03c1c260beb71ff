// Package catalog is the versioned catalog view the drift check reads.
//
// The runtime materialises the compacted catalog topic (keyed by ISRC,
// value a framed Avro CatalogRecord) into a store on every instance and
// calls Apply for each record it reads. Apply keeps:
//
//   - the current version of each recording under cur/<ISRC>;
//   - superseded versions under ver/<ISRC>/<version>, so Version can
//     answer for the version an old alert or event was checked against;
//   - a UPC index (upc/<UPC> → ISRCs) and, within a UPC, a title index
//     keyed by the loose normalised base title (ttl/<UPC>/<title> → ISRCs),
//     used to identify events reported without an ISRC (MatchTitle,
//     MatchByUPCTitle).
//
// keys.go documents the exact layout. Apply returns a Change naming the
// fields that differ from the previous version and ignores a version not
// newer than the stored one, so replaying the topic is idempotent.
//
// Lookups go through a bounded, sharded LRU cache of decoded records
// (Entry), which also carries each record's normalised title and artist
// credits (computed on first use), so a hot lookup costs a map access
// instead of a store read, an Avro decode and normalisation. Known-absent
// ISRCs are cached too. Apply invalidates the record's entry; the cache
// never serves a record older than the last Apply for its ISRC. A miss
// decodes records written with the current schema directly from their
// Avro binary encoding (decode.go), several times faster than the generic
// codec; records written with any other schema version use the codec.
//
// SplitsString renders splits canonically and SplitsHash hashes that
// canonical content without building the string; the hash is stable
// across processes and releases, so consumers may store it (the drift
// check keeps, per ISRC and DSP, the hash of the splits its usage was
// checked against). Entry.SplitsHash caches it with the decoded record.
//
// Generate produces realistic synthetic catalogs for demos and benchmarks.
// Sub-package textnorm holds the normalisation rules.
package catalog
