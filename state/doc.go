// Package state owns the application's local, crash-safe state: embedded
// Badger databases that mirror compacted Kafka topics. It knows nothing of
// the data it holds: keys and values are opaque bytes.
//
// It provides two kinds of database:
//
//   - Store: the state of one named store for one source partition, kept in
//     <dir>/<store>/<partition>/ and backed by partition <partition> of the
//     compacted changelog topic ChangelogTopic(app, store)
//     ("<app>-<store>-changelog", cleanup.policy=compact, as many
//     partitions as the source topics). It moves with its partition: the
//     Manager opens (restores) it on assignment and closes it on
//     revocation, and any instance can rebuild it from the changelog.
//   - GlobalTable: every partition of one compacted topic (the music
//     catalog), materialised on every instance, kept up to date by a
//     background consumer, and read through a bounded LRU cache.
//
// Each database stores its checkpoint beside its data, in the same key
// space under a reserved prefix: for a Store the next changelog offset it
// does not hold, for a GlobalTable the next offset of every partition.
//
// # The transaction cycle of a Store
//
// Processors read and write a Store through Get, Put, Delete and Iterate.
// Writes go to an in-memory write-set, which reads consult first
// (read-your-writes); nothing reaches Badger until the Kafka transaction
// that carries the writes has committed. For each Kafka transaction the
// runtime does, per store touched:
//
//	muts := store.Pending()              // seals the write-set
//	recs := store.Records(muts)          // changelog records, tombstone for a delete
//	... produce recs inside the Kafka transaction, together with the
//	    output records and the consumer offsets ...
//	if the transaction committed:
//	    store.Commit(state.LastOffset(recs))  // apply write-set + checkpoint
//	else:
//	    store.Abort()                         // discard the write-set
//
// The producing client must route changelog records by Record.Partition
// (ChangelogPartitioner / Manager.Partitioner). Between Pending and
// Commit/Abort the write-set is sealed: Put and Delete fail with ErrSealed,
// so that what Commit applies is exactly what was produced.
//
// # Crash consistency
//
// The changelog is the source of truth and the Badger database a cache of
// a prefix of it, [0, checkpoint). Everything follows from two rules:
//
//  1. Badger only ever receives data whose changelog records are committed
//     in Kafka: Commit runs after the Kafka transaction committed, Abort
//     drops the write-set, and restores consume with read_committed, so
//     records of aborted transactions are never applied.
//  2. The checkpoint is written in the same Badger transaction as the data
//     it covers, and after it. Commit applies the write-set and the
//     checkpoint lastOffset+1 in one Badger transaction when they fit.
//     Badger caps one transaction at 15% of a memtable (about 600 KiB with
//     the options below); a larger set is committed in several Badger
//     transactions, in order, with the checkpoint in the last one.
//
// A crash at any point therefore leaves a database whose checkpoint is at
// most the true position, holding every record below it and possibly some
// records after it (a Commit that did not finish, or a split one that
// finished only its first pieces). Open replays the changelog from the
// checkpoint; replay is idempotent because every record sets or deletes its
// key outright and records are applied in offset order, so re-applying
// records already present yields the same state. The cases:
//
//   - crash before Commit, after the Kafka commit: the records are in the
//     changelog after the checkpoint and are replayed on the next Open;
//   - crash inside Commit or between the pieces of a split Commit: the
//     checkpoint was not written, the applied pieces are re-applied;
//   - crash with an aborted (or never committed) Kafka transaction: Badger
//     never saw the writes, and replay skips them;
//   - OS crash losing recent Badger writes (SyncWrites is off): Badger
//     recovers a prefix of its log; the data and the checkpoint after it
//     are lost together and replayed.
//
// Open rebuilds from the changelog's first offset, after wiping the
// directory, when the directory is missing or unreadable by Badger, has an
// unknown format marker, has no checkpoint (an interrupted first restore),
// or its checkpoint lies outside the changelog (below the log start offset:
// records after it were deleted; past the end: the topic was recreated).
// Every Badger directory is guarded by an flock on "<dir>.lock", so a
// directory is never wiped while another process uses it.
//
// # Restore and readiness
//
// Open lists the partition's high watermark, then waits until the last
// stable offset reaches it, so that a transaction still open (a previous
// owner's last one) has ended; that last stable offset is the restore
// target. It replays from the checkpoint with a read_committed consumer
// that keeps control records: when the partition ends with a commit or
// abort marker, the marker itself moves the position to the target. A tail
// of empty batches left by compaction is invisible to a consumer; when a
// poll stays empty, a raw read_committed fetch (HasRecordsBefore) proves
// whether any record below the target remains. Each fetched batch is applied
// with its checkpoint. A GlobalTable catches up the same way, per partition.
//
// A Store and a GlobalTable report their phase (restoring, ready, failed,
// closed) and per-partition progress (position, target, records replayed)
// through Readiness, and list themselves in a Registry while open, for a
// readiness endpoint.
//
// # Global tables
//
// A GlobalTable consumes all partitions of its topic from its checkpoints
// on one goroutine, which is the only writer of its database. For each
// poll, OnUpdate is called per record with the stored and the new value,
// then the records are applied with the new checkpoints of their partitions
// in one Badger write (split as above, checkpoints last), then the cache
// entries of their keys are invalidated. After a crash the records after the
// checkpoints are reported and applied again: OnUpdate is at-least-once. New partitions are found by listing the
// topic every DiscoveryInterval and are consumed from their first offset.
// WaitReady returns once every partition that existed at open reached the
// last stable offset it had then.
//
// The read cache is a plain LRU bounded by entries and bytes, not Badger's
// ristretto: ristretto admits writes asynchronously and probabilistically,
// which makes invalidation on update hard to guarantee. A lookup that races
// an update is never cached (see lru).
//
// # Badger options
//
// Tuned for many small databases on a two-core machine; see badgerOptions
// for each value and its reason. In short: 4 MiB memtables, two of them,
// no block cache and no compression, a 1 MiB index cache, two compactors,
// 16 MiB value log files, no conflict detection, no global metrics, and a
// logger that drops Badger's INFO and DEBUG lines.
//
// # Limits
//
// A compacted changelog drops a tombstone delete.retention.ms (default one
// day) after writing it. A store whose local checkpoint is older than that
// when it is reopened can miss such a delete and keep the deleted key; the
// same holds for Kafka Streams. Deleting the store directory forces a full
// rebuild.
package state
