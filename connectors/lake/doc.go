// Package lake turns the usage-enriched topic into a partitioned Parquet
// lake and reads it back: the sink (NewSink, Run, Drain), compaction
// (Compact), and the readers (Scan, Query, Reconcile) with their renderers.
//
// # Layout
//
// A lake is a tree under one root (a local directory; every access goes
// through the objstore.Store interface so that a bucket can take its
// place):
//
//	_lake.json                                   format and partition keys, fixed at creation
//	ingest_date=2024-05-01/dsp=Spotify/territory=GB/
//	    _manifest/00000000000000000007.json       manifest versions; the highest is current
//	    part-usage-enriched-3-00000000000000000120-00000000000000000388.parquet
//	    compact-5f0c…e1.parquet
//
// Partition keys are any sequence of ingest_date (UTC day of ingest_time),
// period (YYYY-MM of period_start), dsp, territory and currency; the
// default is ingest_date/dsp/territory. Values are untrusted text and are
// escaped by EscapeValue: only [A-Za-z0-9._-] stays, everything else
// (including '/', '=', '%' and non-ASCII) becomes %XX, and overlong values
// are cut and suffixed with a hash. Every event goes to the partition of
// its own values, so late events land in old partitions and are never
// dropped. The keys cannot change once the lake exists (ErrLayoutMismatch):
// the replay fence below relies on an event always going to the same
// partition.
//
// Files are Parquet with zstd compression. Columns mirror UsageEvent with
// the source flattened (dsp, report_id, file_name, file_sha256, line,
// profile), nullable where the Avro field is nullable, dates as DATE,
// ingest_time as TIMESTAMP(MILLIS, UTC), revenue as DECIMAL(38,15) in a
// 16-byte FIXED_LEN_BYTE_ARRAY (exact in any reader), then the enrichment
// (catalog_version, matched_isrc, drift) and the Kafka lineage
// (kafka_topic, kafka_partition, kafka_offset). Rows are sorted by isrc
// (nulls last; sorting_columns says so), row groups hold at most
// RowGroupRows rows, column statistics are written except for revenue
// (parquet-go orders a FIXED_LEN_BYTE_ARRAY decimal as unsigned bytes, so
// its min/max would mislead readers about negative amounts), and isrc and
// file_sha256 carry split-block bloom filters.
//
// # Sink
//
// The sink is a consumer-group member (cooperative-sticky, read_committed,
// manual commits, BlockRebalanceOnPoll so rebalance callbacks never run in
// the middle of a batch). It also receives transaction markers
// (KeepControlRecords): they carry no data but move the position, so that
// the committed offset can reach the end offset of a topic that ends in a
// commit or abort marker.
//
// Each event is buffered under (lake partition, Kafka partition). A buffer
// becomes one file when it reaches RollRows or RollBytes, when its first
// row is RollInterval old, when no row was added for IdleTimeout, when the
// Kafka partition is revoked, and on shutdown. When MaxBufferedRows rows are
// buffered in all, the largest buffers are written first. A file therefore
// holds the events of one Kafka partition, in an offset range first..last,
// that belong to one lake partition, and is named
// part-<topic>-<partition>-<first>-<last>.parquet.
//
// # Commit protocol
//
// A manifest lists a partition's live files and, per Kafka partition, a
// high-water mark: the highest offset whose event is in the lake partition.
// Manifest versions are immutable objects created with PutIfAbsent (a
// hard link on a local disk, If-None-Match on S3), which makes an update a
// compare-and-swap: read version N, write N+1; if another writer created
// N+1 first, read again and retry.
//
// Writing a buffer:
//
//  1. Write the file under a temporary name in the partition directory,
//     fsync it, rename it to its final name, fsync the directory.
//  2. Update the manifest in one compare-and-swap: only if the high water
//     of the Kafka partition is below the file's first offset, add the
//     file and raise the high water to its last offset. If the high water
//     is already at or above first (a previous owner of the Kafka
//     partition added these events), drop the rows at or below it, delete
//     the unlisted file and write the rest under its new name.
//  3. Commit to Kafka, per partition, the first offset still buffered (or
//     the position when nothing is), never more.
//
// On a restart the group resumes from the last committed offset. Every
// event read again is checked against the high water of its lake
// partition (read lazily from the manifest): at or below it, the event is
// already in the lake and is skipped (Stats.Replayed). This needs no
// knowledge of the previous run's roll boundaries, which depend on time:
// the fence is per event, and because a buffer holds every event of its
// Kafka partition for its lake partition in offset order, "offset <= high
// water" is exactly "already written". Files no manifest lists are never
// read; maintenance deletes them once older than OrphanGrace.
//
// Exactly once: an event is in a listed file at most once because the
// manifest swap refuses overlapping offsets; it is there at least once
// because an offset is committed only after every event below it is in a
// listed file (or skipped as already there, or is no data).
//
// Crash matrix of the sink (every case is exercised by the crash tests,
// which kill the store at every step, restart with different roll limits
// and compare the lake with the committed events):
//
//	crash                                    state after            restart
//	while writing the temporary file         temp file             events re-read and written anew; temp removed by maintenance
//	after rename, before the manifest swap   unlisted file         same as above; the unlisted file is never read, removed by maintenance
//	after the manifest swap, before commit   listed file, offsets  events re-read; those at or below the high water are skipped
//	                                         not committed
//	after the offset commit                  consistent            nothing to redo
//	while pruning old manifest versions      extra versions        removed by a later update or maintenance
//
// A member that lost its partitions without noticing (a zombie) can at most
// publish a file that no manifest accepts: the compare-and-swap on the high
// water fences it off, so two owners of a Kafka partition never add the
// same event.
//
// # Compaction
//
// Compact (and a running sink, every CompactInterval, for the partitions it
// wrote) merges the files smaller than CompactTargetBytes/2 of a partition
// that had no appends for CompactAfter into files of about
// CompactTargetBytes (a streaming k-way merge that keeps the ISRC order).
// The merged file is named after its inputs (compact-<hash>.parquet), so a
// redo after a crash overwrites the unfinished output. The swap is one
// manifest compare-and-swap that requires all inputs still live, replaces
// them by the output and records them as replaced; high water marks are
// untouched. Replaced files are deleted RetainReplaced later, then dropped
// from the manifest.
//
//	crash                                    state after              next maintenance
//	while writing the merged file            temp file                temp removed; merge redone
//	after publishing, before the swap        unlisted merged file     overwritten by the redo or removed as orphan
//	after the swap                           inputs listed replaced   inputs deleted after RetainReplaced
//	between deleting inputs and the          replaced entries whose   deleted again (no-op), entries dropped
//	manifest update                          files are gone
//
// # Reading
//
// A reader sees every row once and none twice if it follows this protocol,
// which Scan, Query and Reconcile (and testdata/read_lake.py, the DuckDB
// reader the tests compare against) implement:
//
//  1. Read _lake.json for the partition keys and walk the key=value
//     directories (skipping other names), pruning by path.
//  2. In each partition, read the manifest with the highest version in
//     _manifest/ (if it vanished between listing and reading, list again).
//  3. Read exactly the files it lists. Never list data files: unlisted,
//     replaced and temporary files are not part of the lake.
//  4. If a listed file is missing, compaction replaced it more than
//     RetainReplaced ago: read the partition again from step 2. Readers
//     should finish a partition within RetainReplaced.
//
// Query additionally skips row groups whose statistics (ingest_time,
// period_start, dsp, territory, isrc) or isrc bloom filter rule out a
// match, and reports what it read in QueryStats.
package lake
