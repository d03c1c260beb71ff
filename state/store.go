package state

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// StoreConfig says which store to open and how to reach its changelog.
type StoreConfig struct {
	// Dir is the state root; the store lives in Dir/Name/Partition.
	Dir string
	// Name is the store name.
	Name string
	// Partition is the source partition, which is also the changelog
	// partition.
	Partition int32
	// Topic is the changelog topic, usually ChangelogTopic(app, Name).
	Topic string
	// ClientOpts reach the Kafka cluster: connection options only (seed
	// brokers, TLS, SASL, timeouts), no consumer or producer options. The
	// restore adds its own consumer options.
	ClientOpts []kgo.Opt
	// Registry, if set, lists the store while it is open.
	Registry *Registry
	// Logger receives warnings; nil discards them.
	Logger *slog.Logger
}

// Store is the local state of one store for one partition: a Badger
// database that mirrors the store's changelog partition up to its
// checkpoint, plus the write-set of the Kafka transaction in progress.
//
// Reads see the write-set first (read-your-writes). Pending, Commit and
// Abort move the write-set through the Kafka transaction; see doc.go for the
// sequence. Returned byte slices must not be modified. All methods are safe
// for concurrent use, but a store belongs to one partition's processing
// loop; Close must not be called from inside an Iterate callback.
type Store struct {
	name      string
	topic     string
	partition int32
	d         *db
	g         *gate
	tr        *tracker
	reg       *Registry

	mu     sync.Mutex
	ws     *writeSet
	next   int64 // first changelog offset not reflected in d
	failed error // a failed Commit leaves d behind the changelog

	closeOnce sync.Once
	closeErr  error
}

// Open opens the store's database, restores it from the changelog partition
// and returns it ready. When the local directory is missing, unreadable,
// or cannot be reconciled with the changelog, it is rebuilt from the
// changelog's first offset. While restoring, the store is listed in the
// Registry in PhaseRestoring. Open blocks until the restore ends or ctx ends;
// that includes waiting for transactions open on the changelog partition
// (a previous owner's last one) to commit or abort.
func Open(ctx context.Context, cfg StoreConfig) (*Store, error) {
	if cfg.Dir == "" || cfg.Name == "" || cfg.Topic == "" || cfg.Partition < 0 {
		return nil, errors.New("state: StoreConfig needs Dir, Name, Topic and a partition >= 0")
	}
	log := cfg.Logger
	if log == nil {
		log = discardLogger()
	}
	log = log.With("store", cfg.Name, "partition", cfg.Partition)
	path := filepath.Join(cfg.Dir, cfg.Name, strconv.Itoa(int(cfg.Partition)))

	s := &Store{
		name:      cfg.Name,
		topic:     cfg.Topic,
		partition: cfg.Partition,
		g:         newGate(),
		tr:        newTracker(cfg.Name, cfg.Topic, cfg.Partition),
		reg:       cfg.Registry,
		ws:        newWriteSet(),
	}
	s.reg.add(s)

	next, err := s.restore(ctx, path, cfg.ClientOpts, log)
	if err != nil {
		s.tr.setPhase(PhaseFailed, err)
		s.reg.remove(s)
		if s.d != nil {
			err = errors.Join(err, s.d.close())
		}
		return nil, err
	}
	s.next = next
	s.tr.setPhase(PhaseReady, nil)
	return s, nil
}

// restore opens the database into s.d and replays the changelog into it,
// returning the checkpoint.
func (s *Store) restore(ctx context.Context, path string, clientOpts []kgo.Opt, log *slog.Logger) (int64, error) {
	d, rebuilt, err := openDB(path, log)
	if err != nil {
		return 0, err
	}
	s.d = d
	next, ok, err := d.readOffset(storeCheckpointKey)
	if err != nil {
		return 0, err
	}
	if !ok {
		next = -1
	}

	cl, err := kgo.NewClient(clientOpts...)
	if err != nil {
		return 0, fmt.Errorf("state: kafka client for %s: %w", s.topic, err)
	}
	plan, err := planRestore(ctx, kadm.NewClient(cl), s.topic, s.partition, next)
	cl.Close()
	if err != nil {
		return 0, err
	}
	if plan.wipe {
		if next >= 0 || rebuilt {
			log.Warn("state: local state does not match the changelog, rebuilding it", "checkpoint", next, "from", plan.from, "end", plan.end)
		}
		if err := d.wipe(); err != nil {
			return 0, err
		}
		if err := d.apply(nil, []write{{key: storeCheckpointKey, val: encodeOffset(plan.from)}}); err != nil {
			return 0, err
		}
	}
	s.tr.target(s.partition, plan.from, plan.end)
	return replay(ctx, d, clientOpts, s.topic, s.partition, plan.from, plan.end, storeCheckpointKey, s.tr, log)
}

// Name returns the store name.
func (s *Store) Name() string { return s.name }

// Partition returns the store's partition.
func (s *Store) Partition() int32 { return s.partition }

// ChangelogTopic returns the store's changelog topic.
func (s *Store) ChangelogTopic() string { return s.topic }

// Readiness returns the store's phase and restore progress.
func (s *Store) Readiness() Readiness { return s.tr.snapshot() }

// Checkpoint returns the first changelog offset not yet reflected in the
// local database.
func (s *Store) Checkpoint() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next
}

// Get returns the value of key: the pending write if there is one, else the
// committed value. ok is false if the key is absent or deleted.
func (s *Store) Get(key []byte) (val []byte, ok bool, err error) {
	if !s.g.enter() {
		return nil, false, ErrClosed
	}
	defer s.g.exit()
	s.mu.Lock()
	v, found := s.ws.get(key)
	s.mu.Unlock()
	if found {
		return v, v != nil, nil
	}
	return s.d.get(key)
}

// Put sets key to val in the write-set. A nil val is stored as an empty
// value; use Delete to delete.
func (s *Store) Put(key, val []byte) error {
	if len(key) == 0 {
		return ErrEmptyKey
	}
	if !s.g.enter() {
		return ErrClosed
	}
	defer s.g.exit()
	if val == nil {
		val = []byte{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ws.put(key, val)
}

// Delete deletes key in the write-set.
func (s *Store) Delete(key []byte) error {
	if len(key) == 0 {
		return ErrEmptyKey
	}
	if !s.g.enter() {
		return ErrClosed
	}
	defer s.g.exit()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ws.del(key)
}

// Pending seals the write-set and returns its mutations sorted by key: one
// per written key, the last write winning, a nil Value for a delete. Until
// Commit or Abort, Put and Delete fail with ErrSealed. Calling Pending again
// returns the same mutations.
func (s *Store) Pending() []Mutation {
	if !s.g.enter() {
		return nil
	}
	defer s.g.exit()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ws.seal()
}

// Records returns the changelog records of muts for this store's changelog
// topic and partition.
func (s *Store) Records(muts []Mutation) []*kgo.Record {
	return ChangelogRecords(s.topic, s.partition, muts)
}

// Commit applies the sealed write-set to the local database together with
// the checkpoint lastOffset+1, after the Kafka transaction that produced the
// write-set's changelog records committed. lastOffset is the offset of the
// last of those records (LastOffset); -1 means none were produced, which is
// only valid for an empty write-set.
//
// If Commit fails the local database is behind the changelog and the store
// refuses further use: Close it and Open it again, which replays the
// missing records.
func (s *Store) Commit(lastOffset int64) error {
	if !s.g.enter() {
		return ErrClosed
	}
	defer s.g.exit()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed != nil {
		return s.failed
	}
	n := s.ws.len()
	switch {
	case n > 0 && !s.ws.isSealed():
		return ErrNotSealed
	case n > 0 && lastOffset < 0:
		return ErrNoOffset
	case lastOffset < s.next:
		if n > 0 {
			return fmt.Errorf("%w: offset %d, checkpoint %d", ErrOffsetRegression, lastOffset, s.next)
		}
		s.ws.reset()
		return nil
	}
	muts := s.ws.seal()
	writes := make([]write, len(muts))
	for i, m := range muts {
		writes[i] = write{key: dataKey(m.Key), val: m.Value, del: m.IsDelete()}
	}
	next := lastOffset + 1
	if err := s.d.apply(writes, []write{{key: storeCheckpointKey, val: encodeOffset(next)}}); err != nil {
		s.failed = fmt.Errorf("state: %s/%d needs to be reopened: %w", s.name, s.partition, err)
		s.tr.setPhase(PhaseFailed, s.failed)
		return s.failed
	}
	s.next = next
	s.ws.reset()
	s.tr.progress(s.partition, next, 0)
	return nil
}

// Abort discards the write-set, after the Kafka transaction was aborted or
// never started.
func (s *Store) Abort() {
	if !s.g.enter() {
		return
	}
	defer s.g.exit()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ws.reset()
}

// Close discards the write-set and closes the database, flushing what was
// committed. It waits for operations in flight and is idempotent.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.g.close()
		s.mu.Lock()
		s.ws.reset()
		s.mu.Unlock()
		s.closeErr = s.d.close()
		s.tr.setPhase(PhaseClosed, nil)
		s.reg.remove(s)
	})
	return s.closeErr
}
