package lake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// layoutName is the object at the lake root that fixes its layout.
const layoutName = "_lake.json"

const formatVersion = 1

// ErrLayoutMismatch means a lake was opened with partition keys other than
// the ones it was created with. Routing must not change under existing
// data: the replay fence relies on every event of a Kafka partition going
// to the same lake partition on every run.
var ErrLayoutMismatch = errors.New("lake: partition keys differ from the lake's layout")

// ErrNoLake means the root holds no lake (no _lake.json).
var ErrNoLake = errors.New("lake: no lake at root")

type layout struct {
	Format        int            `json:"format"`
	PartitionKeys []PartitionKey `json:"partition_keys"`
}

// ensureLayout creates the layout object or checks that an existing one
// has the same partition keys.
func ensureLayout(ctx context.Context, st objstore.Store, keys []PartitionKey) error {
	want := layout{Format: formatVersion, PartitionKeys: keys}
	data, err := json.MarshalIndent(want, "", "  ")
	if err != nil {
		return fmt.Errorf("lake: encode layout: %w", err)
	}
	err = st.PutIfAbsent(ctx, layoutName, append(data, '\n'))
	if err == nil {
		return nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("lake: create layout: %w", err)
	}
	have, err := readLayout(ctx, st)
	if err != nil {
		return err
	}
	if !slices.Equal(have.PartitionKeys, keys) {
		return fmt.Errorf("%w: lake has %v, options say %v", ErrLayoutMismatch, have.PartitionKeys, keys)
	}
	return nil
}

func readLayout(ctx context.Context, st objstore.Store) (layout, error) {
	data, err := objstore.ReadAll(ctx, st, layoutName)
	if errors.Is(err, fs.ErrNotExist) {
		return layout{}, fmt.Errorf("%w (%s missing)", ErrNoLake, layoutName)
	}
	if err != nil {
		return layout{}, fmt.Errorf("lake: read layout: %w", err)
	}
	var l layout
	if err := json.Unmarshal(data, &l); err != nil {
		return layout{}, fmt.Errorf("lake: parse layout: %w", err)
	}
	if l.Format != formatVersion {
		return layout{}, fmt.Errorf("lake: layout format %d not supported", l.Format)
	}
	if err := validateKeys(l.PartitionKeys); err != nil {
		return layout{}, err
	}
	return l, nil
}
