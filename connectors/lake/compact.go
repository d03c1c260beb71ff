package lake

import (
	"context"
	"errors"
	"sort"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// maxCompactInputs bounds the files merged at once: the merge keeps a page
// of every column of every input in memory. Larger sets converge over
// several passes.
const maxCompactInputs = 64

// maxCompactPasses bounds the merge passes over one partition per call.
const maxCompactPasses = 4

// errInputsGone means a compaction's inputs are no longer all live: another
// compaction replaced some of them first.
var errInputsGone = errors.New("lake: compaction inputs changed")

// CompactStats counts what compaction and cleanup did.
type CompactStats struct {
	Partitions      int   // partitions examined
	Compacted       int   // compactions committed
	FilesIn         int   // files merged
	FilesOut        int   // files written
	BytesIn         int64 // size of the files merged
	BytesOut        int64 // size of the files written
	ReplacedRemoved int   // compacted-away files deleted after RetainReplaced
	OrphansRemoved  int   // unlisted data and temporary files deleted after OrphanGrace
}

func (c *CompactStats) add(o CompactStats) {
	c.Partitions += o.Partitions
	c.Compacted += o.Compacted
	c.FilesIn += o.FilesIn
	c.FilesOut += o.FilesOut
	c.BytesIn += o.BytesIn
	c.BytesOut += o.BytesOut
	c.ReplacedRemoved += o.ReplacedRemoved
	c.OrphansRemoved += o.OrphansRemoved
}

// Compact maintains every partition of the lake at opts.Root (or
// opts.Store): it removes orphans, merges the small files of closed
// partitions and deletes files replaced longer than RetainReplaced ago.
// It is safe to run while sinks write and readers read.
func Compact(ctx context.Context, opts Options) (CompactStats, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return CompactStats{}, err
	}
	st := opts.Store
	if st == nil {
		if st, err = openRoot(opts.Root); err != nil {
			return CompactStats{}, err
		}
	}
	l, err := readLayout(ctx, st)
	if err != nil {
		return CompactStats{}, err
	}
	parts, err := listPartitions(ctx, st, l.PartitionKeys, nil)
	if err != nil {
		return CompactStats{}, err
	}
	var total CompactStats
	for _, p := range parts {
		s, _, err := maintainPartition(ctx, st, p, opts)
		total.add(s)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// maintainPartition cleans one partition and compacts it when it is
// closed. closed reports whether no appends happened for CompactAfter.
func maintainPartition(ctx context.Context, st objstore.Store, partition string, opts Options) (stats CompactStats, closed bool, err error) {
	stats.Partitions = 1
	now := opts.Now()
	m, _, err := loadManifest(ctx, st, partition)
	if err != nil {
		return stats, false, err
	}
	if stats.OrphansRemoved, err = removeOrphans(ctx, st, partition, m, now, opts.OrphanGrace); err != nil {
		return stats, false, err
	}
	closed = len(m.Files) > 0 && now.Sub(m.LastAppend) >= opts.CompactAfter
	// Merged files can still be small (a group holds at most
	// maxCompactInputs files); later passes merge them further.
	for pass := 0; closed && pass < maxCompactPasses; pass++ {
		if pass > 0 {
			if m, _, err = loadManifest(ctx, st, partition); err != nil {
				return stats, closed, err
			}
		}
		groups := compactionGroups(m.Files, opts.CompactTargetBytes)
		if len(groups) == 0 {
			break
		}
		for _, group := range groups {
			s, err := compactGroup(ctx, st, partition, group, opts)
			stats.add(s)
			if err != nil {
				return stats, closed, err
			}
		}
	}
	n, err := purgeReplaced(ctx, st, partition, opts.Now(), opts.RetainReplaced)
	stats.ReplacedRemoved = n
	return stats, closed, err
}

// compactionGroups packs the files smaller than half the target, in name
// order, into groups of about the target size. A group has at least two
// files; every group is merged into one file.
func compactionGroups(files []FileEntry, target int64) [][]FileEntry {
	var small []FileEntry
	for _, f := range files {
		if f.Size < target/2 {
			small = append(small, f)
		}
	}
	sort.Slice(small, func(i, j int) bool { return small[i].Name < small[j].Name })
	var groups [][]FileEntry
	var cur []FileEntry
	var size int64
	for _, f := range small {
		cur = append(cur, f)
		size += f.Size
		if size >= target || len(cur) == maxCompactInputs {
			groups = append(groups, cur)
			cur, size = nil, 0
		}
	}
	if len(cur) >= 2 {
		groups = append(groups, cur)
	}
	return groups
}
