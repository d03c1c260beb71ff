package runtime

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/state"
)

// Store is what a task needs of one state store of its partition: the KV
// the processor sees, plus the write-set protocol the runtime drives around
// every Kafka transaction:
//
//	Pending  seal the writes made since the last Commit/Abort
//	Records  turn them into changelog records, produced in the transaction
//	Commit   after the transaction committed, apply them locally with the
//	         offset of the last changelog record as the checkpoint
//	Abort    after the transaction aborted, discard them
//
// *state.Store implements it.
type Store interface {
	processors.KV
	Pending() []state.Mutation
	Records(muts []state.Mutation) []*kgo.Record
	Commit(lastOffset int64) error
	Abort()
	Close() error
}

var _ Store = (*state.Store)(nil)

// StoreSpec names one store of one partition for a StoreOpener.
type StoreSpec struct {
	// Name is the store name from Config.Stores.
	Name string
	// Partition is the input partition, which is also the changelog
	// partition.
	Partition int32
	// Changelog is the changelog topic.
	Changelog string
	// Dir is Config.StateDir.
	Dir string
	// ClientOpts reach the cluster (seed brokers and Config.ClientOpts).
	ClientOpts []kgo.Opt
	// Registry lists the store for readiness while it is open.
	Registry *state.Registry
	// Logger is Config.Logger.
	Logger *slog.Logger
}

// openStateStore is the default StoreOpener: a Badger-backed state.Store.
func openStateStore(ctx context.Context, spec StoreSpec) (Store, error) {
	s, err := state.Open(ctx, state.StoreConfig{
		Dir:        spec.Dir,
		Name:       spec.Name,
		Partition:  spec.Partition,
		Topic:      spec.Changelog,
		ClientOpts: spec.ClientOpts,
		Registry:   spec.Registry,
		Logger:     spec.Logger,
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// missingStore is what Context.Store returns for a name that is not in
// Config.Stores: every operation fails, so the mistake surfaces as a task
// error on the first record instead of a nil dereference.
type missingStore struct{ name string }

func (m missingStore) err() error {
	return fmt.Errorf("runtime: no store %q is configured", m.name)
}

func (m missingStore) Get([]byte) ([]byte, bool, error) { return nil, false, m.err() }
func (m missingStore) Put(_, _ []byte) error            { return m.err() }
func (m missingStore) Delete([]byte) error              { return m.err() }
