package state

import (
	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// badgerOptions returns the Badger options used for every database in this
// package. They are tuned for many small databases on a small machine (two
// cores; tests open dozens of stores at once), not for throughput:
//
//   - MemTableSize 4 MiB (default 64 MiB) and NumMemtables 2 (default 5):
//     at most ~8 MiB of skiplists per database. Badger limits one
//     transaction to 15% of a memtable (~600 KiB here); applyBatch splits
//     larger write-sets, see doc.go for why that is safe.
//   - ValueThreshold 64 KiB: values up to 64 KiB live in the LSM tree, larger
//     ones in the value log. It must stay below the transaction limit above.
//   - ValueLogFileSize 16 MiB (default 1 GiB): the value log is small,
//     since most values stay in the LSM tree.
//   - NumLevelZeroTables 2 / NumLevelZeroTablesStall 8: flush to L1 early so
//     level zero stays small.
//   - BlockCacheSize 0 and Compression None: with no compression Badger
//     reads blocks straight from the memory-mapped tables and a block cache
//     only adds overhead (Badger's own guidance). The read cache that matters
//     for hot keys is the GlobalTable's LRU.
//   - IndexCacheSize 1 MiB: table indexes and bloom filters are cached in a
//     bounded cache instead of all being kept in memory.
//   - NumCompactors 2 (the minimum Badger accepts), NumGoroutines 2.
//   - DetectConflicts false: each database has a single writer.
//   - MetricsEnabled false: Badger's metrics are process-global expvars.
//   - SyncWrites false: a write lost in an OS crash is lost together with
//     the checkpoint written after it and is replayed from the changelog.
//   - Logger: warnings and errors only (quietLogger).
func badgerOptions(dir string, logger badger.Logger) badger.Options {
	return badger.DefaultOptions(dir).
		WithMemTableSize(4 << 20).
		WithNumMemtables(2).
		WithValueThreshold(64 << 10).
		WithValueLogFileSize(16 << 20).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(8).
		WithBaseTableSize(1 << 20).
		WithBaseLevelSize(4 << 20).
		WithBlockCacheSize(0).
		WithCompression(options.None).
		WithIndexCacheSize(1 << 20).
		WithNumCompactors(2).
		WithNumGoroutines(2).
		WithDetectConflicts(false).
		WithMetricsEnabled(false).
		WithSyncWrites(false).
		WithLogger(logger)
}
