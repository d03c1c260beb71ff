package lake

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// maxCompactInputs bounds the files merged at once: the merge keeps a page
// of every column of every input in memory. Larger sets converge over
// several passes.
const maxCompactInputs = 64

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
	if closed {
		for _, group := range compactionGroups(m.Files, opts.CompactTargetBytes) {
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

// compactGroup merges inputs into one file and swaps it in with one
// manifest update. The merged file is written and published before the
// manifest changes, and the inputs are only recorded as replaced; they are
// deleted by purgeReplaced once RetainReplaced has passed.
func compactGroup(ctx context.Context, st objstore.Store, partition string, inputs []FileEntry, opts Options) (CompactStats, error) {
	var stats CompactStats
	names := make([]string, len(inputs))
	var rows, bytesIn int64
	for i, f := range inputs {
		names[i] = f.Name
		rows += f.Rows
		bytesIn += f.Size
	}
	out := compactFileName(names)
	size, err := mergeFiles(ctx, st, partition, names, out, rows, newFileWriter(opts.RowGroupRows))
	if err != nil {
		return stats, err
	}
	now := opts.Now().UTC()
	_, err = updateManifest(ctx, st, partition, func(m *Manifest) error {
		for _, n := range names {
			if !m.has(n) {
				return errInputsGone
			}
		}
		live := m.Files[:0]
		for _, f := range m.Files {
			if !contains(names, f.Name) {
				live = append(live, f)
			}
		}
		m.Files = append(live, FileEntry{Name: out, Size: size, Rows: rows, Created: now})
		for _, n := range names {
			m.Replaced = append(m.Replaced, Replaced{Name: n, At: now})
		}
		return nil
	})
	if errors.Is(err, errInputsGone) {
		cur, _, lerr := loadManifest(ctx, st, partition)
		if lerr != nil {
			return stats, lerr
		}
		if !cur.has(out) {
			if err := st.Delete(ctx, partition+"/"+out); err != nil {
				return stats, fmt.Errorf("lake: remove unused %s/%s: %w", partition, out, err)
			}
		}
		return stats, nil
	}
	if err != nil {
		return stats, fmt.Errorf("lake: swap in %s/%s: %w", partition, out, err)
	}
	stats.Compacted = 1
	stats.FilesIn = len(inputs)
	stats.FilesOut = 1
	stats.BytesIn = bytesIn
	stats.BytesOut = size
	return stats, nil
}

func contains(names []string, n string) bool {
	for _, x := range names {
		if x == n {
			return true
		}
	}
	return false
}

// mergeFiles streams the rows of the inputs, each sorted by ISRC, through a
// k-way merge into one sorted file and publishes it.
func mergeFiles(ctx context.Context, st objstore.Store, partition string, inputs []string, out string, wantRows int64, fw *fileWriter) (int64, error) {
	var files []openFile
	defer func() { closeFiles(files) }()
	var groups []parquet.RowGroup
	for _, n := range inputs {
		f, err := openParquet(ctx, st, partition+"/"+n)
		if err != nil {
			return 0, err
		}
		files = append(files, f)
		groups = append(groups, f.pf.RowGroups()...)
	}
	merged, err := parquet.MergeRowGroups(groups,
		parquet.SchemaOf(record{}),
		parquet.SortingRowGroupConfig(parquet.SortingColumns(sortingColumns()...)))
	if err != nil {
		return 0, fmt.Errorf("lake: merge %s: %w", partition, err)
	}
	w, err := st.Create(ctx, partition+"/"+out)
	if err != nil {
		return 0, fmt.Errorf("lake: create %s/%s: %w", partition, out, err)
	}
	cw := &countingWriter{w: w}
	pw := parquet.NewGenericWriter[record](cw, fw.options()...)
	rows := merged.Rows()
	n, err := parquet.CopyRows(pw, rows)
	rows.Close()
	if err == nil {
		err = pw.Close()
	}
	if err == nil && n != wantRows {
		err = fmt.Errorf("merged %d rows, inputs list %d", n, wantRows)
	}
	if err != nil {
		_ = w.Abort()
		return 0, fmt.Errorf("lake: write %s/%s: %w", partition, out, err)
	}
	if err := w.Commit(); err != nil {
		return 0, fmt.Errorf("lake: publish %s/%s: %w", partition, out, err)
	}
	return cw.n, nil
}

// purgeReplaced deletes the files replaced at least retain ago, then drops
// them from the manifest. A crash in between leaves entries whose files are
// gone; the next purge deletes them again (a no-op) and drops them.
func purgeReplaced(ctx context.Context, st objstore.Store, partition string, now time.Time, retain time.Duration) (int, error) {
	m, _, err := loadManifest(ctx, st, partition)
	if err != nil {
		return 0, err
	}
	var due []string
	for _, r := range m.Replaced {
		if now.Sub(r.At) >= retain {
			due = append(due, r.Name)
		}
	}
	if len(due) == 0 {
		return 0, nil
	}
	for _, n := range due {
		if err := st.Delete(ctx, partition+"/"+n); err != nil {
			return 0, fmt.Errorf("lake: delete replaced %s/%s: %w", partition, n, err)
		}
	}
	_, err = updateManifest(ctx, st, partition, func(m *Manifest) error {
		kept := m.Replaced[:0]
		for _, r := range m.Replaced {
			if !contains(due, r.Name) {
				kept = append(kept, r)
			}
		}
		if len(kept) == len(m.Replaced) {
			return errUnchanged
		}
		m.Replaced = kept
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(due), nil
}
