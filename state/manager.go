package state

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/twmb/franz-go/pkg/kgo"
)

// ManagerConfig configures a Manager.
type ManagerConfig struct {
	// App is the application id, the first part of changelog topic names.
	App string
	// Dir is the state root; see StoreConfig.Dir.
	Dir string
	// Stores are the store names; each is opened for every assigned
	// partition.
	Stores []string
	// ClientOpts reach the Kafka cluster; see StoreConfig.ClientOpts.
	ClientOpts []kgo.Opt
	// Registry lists the open stores; nil creates one (see
	// Manager.Registry).
	Registry *Registry
	// Logger receives warnings; nil discards them.
	Logger *slog.Logger
	// RestoreParallelism bounds how many stores restore at once; 0 means 2.
	RestoreParallelism int
}

// storeID names one store of one partition.
type storeID struct {
	name      string
	partition int32
}

// Manager opens the named stores for assigned partitions and closes them
// for revoked ones. Assign, Revoke and Close are meant to be called from the
// consumer's rebalance callbacks and are serialised; lookups are safe from
// any goroutine.
type Manager struct {
	cfg ManagerConfig
	reg *Registry

	ops sync.Mutex // serialises Assign, Revoke and Close

	mu     sync.Mutex
	stores map[storeID]*Store
}

// NewManager returns a Manager with no open stores.
func NewManager(cfg ManagerConfig) (*Manager, error) {
	if cfg.App == "" || cfg.Dir == "" || len(cfg.Stores) == 0 {
		return nil, errors.New("state: ManagerConfig needs App, Dir and Stores")
	}
	seen := make(map[string]bool, len(cfg.Stores))
	for _, s := range cfg.Stores {
		if s == "" || seen[s] {
			return nil, fmt.Errorf("state: store name %q empty or repeated", s)
		}
		seen[s] = true
	}
	if cfg.RestoreParallelism <= 0 {
		cfg.RestoreParallelism = 2
	}
	reg := cfg.Registry
	if reg == nil {
		reg = NewRegistry()
	}
	return &Manager{cfg: cfg, reg: reg, stores: make(map[storeID]*Store)}, nil
}

// Registry returns the registry listing the manager's stores.
func (m *Manager) Registry() *Registry { return m.reg }

// ChangelogTopics returns the changelog topic of every store, in the order
// of ManagerConfig.Stores.
func (m *Manager) ChangelogTopics() []string {
	out := make([]string, len(m.cfg.Stores))
	for i, s := range m.cfg.Stores {
		out[i] = ChangelogTopic(m.cfg.App, s)
	}
	return out
}

// Partitioner returns a partitioner for the producing client that routes
// records of this manager's changelog topics by Record.Partition; see
// ChangelogPartitioner.
func (m *Manager) Partitioner(fallback kgo.Partitioner) kgo.Partitioner {
	return ChangelogPartitioner(fallback, m.ChangelogTopics()...)
}

// Store returns the open store name for partition.
func (m *Manager) Store(name string, partition int32) (*Store, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.stores[storeID{name, partition}]
	return s, ok
}

// Partition returns the open stores of partition, by name.
func (m *Manager) Partition(partition int32) map[string]*Store {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]*Store, len(m.cfg.Stores))
	for id, s := range m.stores {
		if id.partition == partition {
			out[id.name] = s
		}
	}
	return out
}

// Assign opens and restores every store for each partition that is not
// open yet, RestoreParallelism at a time, and returns when all are ready or
// failed. Stores that opened stay open when others fail.
func (m *Manager) Assign(ctx context.Context, partitions []int32) error {
	m.ops.Lock()
	defer m.ops.Unlock()

	var toOpen []storeID
	m.mu.Lock()
	for _, p := range partitions {
		for _, name := range m.cfg.Stores {
			id := storeID{name, p}
			if _, ok := m.stores[id]; !ok && !slices.Contains(toOpen, id) {
				toOpen = append(toOpen, id)
			}
		}
	}
	m.mu.Unlock()

	var (
		wg   sync.WaitGroup
		sem  = make(chan struct{}, m.cfg.RestoreParallelism)
		emu  sync.Mutex
		errs []error
	)
	for _, id := range toOpen {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				emu.Lock()
				errs = append(errs, fmt.Errorf("state: open %s/%d: %w", id.name, id.partition, ctx.Err()))
				emu.Unlock()
				return
			}
			defer func() { <-sem }()
			s, err := Open(ctx, StoreConfig{
				Dir:        m.cfg.Dir,
				Name:       id.name,
				Partition:  id.partition,
				Topic:      ChangelogTopic(m.cfg.App, id.name),
				ClientOpts: m.cfg.ClientOpts,
				Registry:   m.reg,
				Logger:     m.cfg.Logger,
			})
			if err != nil {
				emu.Lock()
				errs = append(errs, fmt.Errorf("state: open %s/%d: %w", id.name, id.partition, err))
				emu.Unlock()
				return
			}
			m.mu.Lock()
			m.stores[id] = s
			m.mu.Unlock()
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Revoke closes every store of the given partitions, discarding their
// write-sets. Call it after the partitions' last transaction ended.
func (m *Manager) Revoke(partitions []int32) error {
	m.ops.Lock()
	defer m.ops.Unlock()
	return m.closeWhere(func(id storeID) bool { return slices.Contains(partitions, id.partition) })
}

// Close closes every open store.
func (m *Manager) Close() error {
	m.ops.Lock()
	defer m.ops.Unlock()
	return m.closeWhere(func(storeID) bool { return true })
}

func (m *Manager) closeWhere(match func(storeID) bool) error {
	m.mu.Lock()
	var ids []storeID
	for id := range m.stores {
		if match(id) {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b storeID) int {
		return cmp.Or(cmp.Compare(a.partition, b.partition), cmp.Compare(a.name, b.name))
	})
	closing := make([]*Store, len(ids))
	for i, id := range ids {
		closing[i] = m.stores[id]
		delete(m.stores, id)
	}
	m.mu.Unlock()

	var errs []error
	for _, s := range closing {
		if err := s.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
