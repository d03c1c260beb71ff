package lake

import (
	"context"
	"errors"
	"fmt"

	"github.com/parquet-go/parquet-go"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

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
