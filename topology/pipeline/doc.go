// Package pipeline wires the stages after ingestion onto the runtime: the
// global, versioned catalog every instance materialises, the drift stage
// (processors/drift on topology/runtime, exactly once) and the lake sink
// (connectors/lake). The embedded demo and a production deployment run this
// same code; only the brokers differ.
//
// # Adding usage partitions
//
// SREs may add partitions to usage during a peak: the drift stage's
// changelogs grow with it, catalog lookups are unaffected (the catalog is
// global, not partitioned with usage) and no event is lost. Keyed state
// does not move with the keys, though: an ISRC that hashes to another
// partition afterwards starts its drift history afresh there, so an open
// alert of it starts counting again from one under the same alert_id, and
// its period history restarts with its next period. Size the usage topic
// for peaks up front where that matters; `ledgerline topology create
// --partitions N` creates it so.
//
// # The catalog
//
// The compacted catalog topic is read in full on every instance into a
// Badger global table (state.GlobalTable), so lookups do not depend on how
// the usage topic is partitioned and usage partitions can be added while
// running. The table's Derive hook feeds each record to the catalog view
// (processors/catalog), whose version history and UPC/title index are
// stored in the table's derived key space in the same Badger transaction
// as the record and its offset, so the view never disagrees with the
// records it was built from. A bounded cache of decoded records sits in
// front of Badger.
//
// When a catalog record changes the splits or ISWC of a recording, every
// drift task is asked, through the runtime's broadcast, to raise
// catalog_changed for the periods with usage it holds. The broadcast runs
// inside each task's next transaction. A change seen while no task runs
// (at start-up while the table catches up, while the pipeline is
// stopped, or when a task's transaction aborts after the table stored the
// record) reaches no task but is not lost: the drift state records, per
// ISRC and DSP, the catalog version the usage was last checked against,
// so the next usage of the recording compares the open periods with the
// newer version and raises catalog_changed then, counted once even if the
// broadcast also arrives (see processors/drift, "Catalog changes").
package pipeline
