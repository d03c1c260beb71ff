package lake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// How a reader reads the lake consistently (see the package documentation):
// it finds partitions by listing key=value directories, reads each
// partition's current manifest, opens exactly the files it lists and
// nothing else. If a listed file is gone (compaction deleted it after
// RetainReplaced), the partition is read again from its new manifest.

// maxPartitionAttempts bounds re-reads of a partition whose files are
// replaced while it is being opened.
const maxPartitionAttempts = 5

// pruneFunc decides from a directory element whether a partition below it
// can hold matching rows.
type pruneFunc func(key PartitionKey, escaped string) bool

// listPartitions walks the key=value directories of the layout and returns
// the partition paths that pass prune (nil: all), sorted.
func listPartitions(ctx context.Context, st objstore.Store, keys []PartitionKey, prune pruneFunc) ([]string, error) {
	prefixes := []string{""}
	for _, key := range keys {
		var next []string
		for _, prefix := range prefixes {
			entries, err := st.List(ctx, prefix)
			if err != nil {
				return nil, fmt.Errorf("lake: list %q: %w", prefix, err)
			}
			for _, e := range entries {
				k, v, ok := splitElement(e.Name)
				if !e.Dir || !ok || k != key {
					continue
				}
				if prune != nil && !prune(k, v) {
					continue
				}
				next = append(next, strings.TrimPrefix(prefix+"/"+e.Name, "/"))
			}
		}
		prefixes = next
	}
	return prefixes, nil
}

// openFile is an opened, listed data file of a partition.
type openFile struct {
	entry FileEntry
	obj   objstore.Reader
	pf    *parquet.File
}

// openPartition reads the current manifest of a partition and opens every
// file it lists. The caller closes the files.
func openPartition(ctx context.Context, st objstore.Store, partition string) (*Manifest, []openFile, error) {
	for attempt := 1; ; attempt++ {
		m, _, err := loadManifest(ctx, st, partition)
		if err != nil {
			return nil, nil, err
		}
		files, err := openListed(ctx, st, partition, m)
		if err == nil {
			return m, files, nil
		}
		if !errors.Is(err, fs.ErrNotExist) || attempt == maxPartitionAttempts {
			return nil, nil, err
		}
	}
}

func openListed(ctx context.Context, st objstore.Store, partition string, m *Manifest) ([]openFile, error) {
	files := make([]openFile, 0, len(m.Files))
	for _, fe := range m.Files {
		f, err := openParquet(ctx, st, partition+"/"+fe.Name)
		if err != nil {
			closeFiles(files)
			return nil, err
		}
		f.entry = fe
		files = append(files, f)
	}
	return files, nil
}

func openParquet(ctx context.Context, st objstore.Store, name string) (openFile, error) {
	obj, err := st.Open(ctx, name)
	if err != nil {
		return openFile{}, err
	}
	pf, err := parquet.OpenFile(obj, obj.Size())
	if err != nil {
		obj.Close()
		return openFile{}, fmt.Errorf("lake: open parquet %s: %w", name, err)
	}
	return openFile{obj: obj, pf: pf}, nil
}

func closeFiles(files []openFile) {
	for _, f := range files {
		f.obj.Close()
	}
}

// readRows calls fn for batches of the rows of a row group. Reads never ask
// for more rows than remain: asking past the end is costly in parquet-go.
func readRows[T any](rg parquet.RowGroup, fn func([]T) error) error {
	r := parquet.NewGenericRowGroupReader[T](rg)
	defer r.Close()
	remaining := rg.NumRows()
	buf := make([]T, min(remaining, 1024))
	for remaining > 0 {
		clear(buf)
		n, err := r.Read(buf[:min(int64(len(buf)), remaining)])
		if n > 0 {
			remaining -= int64(n)
			if ferr := fn(buf[:n]); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("lake: read rows: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("lake: read rows: no progress with %d rows left", remaining)
		}
	}
	if remaining != 0 {
		return fmt.Errorf("lake: read rows: row group ended %d rows early", remaining)
	}
	return nil
}
