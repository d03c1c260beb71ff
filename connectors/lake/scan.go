package lake

import (
	"context"
	"fmt"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// Scan calls fn for every live row of the lake at root, partition by
// partition, following the manifests. It stops at the first error fn
// returns and returns it.
func Scan(ctx context.Context, root string, fn func(Row) error) error {
	st, err := openRoot(root)
	if err != nil {
		return err
	}
	return scanStore(ctx, st, fn)
}

func scanStore(ctx context.Context, st objstore.Store, fn func(Row) error) error {
	l, err := readLayout(ctx, st)
	if err != nil {
		return err
	}
	parts, err := listPartitions(ctx, st, l.PartitionKeys, nil)
	if err != nil {
		return err
	}
	for _, p := range parts {
		if err := scanPartition(ctx, st, p, fn); err != nil {
			return err
		}
	}
	return nil
}

func scanPartition(ctx context.Context, st objstore.Store, partition string, fn func(Row) error) error {
	_, files, err := openPartition(ctx, st, partition)
	if err != nil {
		return err
	}
	defer closeFiles(files)
	for _, f := range files {
		for _, rg := range f.pf.RowGroups() {
			if err := ctx.Err(); err != nil {
				return err
			}
			err := readRows(rg, func(recs []record) error {
				for i := range recs {
					if err := fn(recs[i].toRow()); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("lake: scan %s/%s: %w", partition, f.entry.Name, err)
			}
		}
	}
	return nil
}
