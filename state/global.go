package state

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// GlobalConfig configures a GlobalTable.
type GlobalConfig struct {
	// Dir is the table's Badger directory.
	Dir string
	// Topic is the compacted topic to materialise, all partitions.
	Topic string
	// ClientOpts reach the Kafka cluster: connection options only (seed
	// brokers, TLS, SASL, timeouts), no consumer or producer options.
	ClientOpts []kgo.Opt
	// OnUpdate, if set, is called for every record of the topic, in
	// offset order within a partition, from the table's single consuming
	// goroutine, just before the record is stored: old is the stored value
	// (nil if absent), new the record's value (nil for a delete). Get may
	// still return old while it runs. It also runs for records replayed
	// while catching up. Delivery is at-least-once: after a crash, the
	// calls for records not yet checkpointed are repeated (old may then
	// already equal new, if the crash interrupted the store of a large
	// poll). It must not block for long and must not call Close.
	OnUpdate func(key, old, new []byte)
	// Derive, if set, maintains derived data (see DerivedKV) from every
	// applied record, in offset order within a partition, from the
	// table's consuming goroutine, after OnUpdate. Its writes to kv are
	// stored atomically with the poll's records and checkpoints. It
	// sees the records of a poll again after a crash, so it must be
	// idempotent. An error stops the table (Readiness reports it).
	Derive func(kv *DerivedKV, key, old, new []byte) error
	// CacheEntries and CacheBytes bound the read cache: 0 means 10000
	// entries and 16 MiB; a negative value disables the cache.
	CacheEntries int
	CacheBytes   int
	// DiscoveryInterval is how often the topic's partition count is
	// checked; 0 means 5s, and it is at least 50ms.
	DiscoveryInterval time.Duration
	// Registry, if set, lists the table while it is open.
	Registry *Registry
	// Logger receives warnings; nil discards them.
	Logger *slog.Logger
}

// GlobalTable materialises every partition of a compacted topic into a local
// Badger database, keeps consuming in the background, and serves reads
// through a bounded LRU cache. Keys and values are opaque bytes. It is safe
// for concurrent use. Returned byte slices must not be modified.
type GlobalTable struct {
	topic    string
	d        *db
	g        *gate
	cache    *lru
	tr       *tracker
	reg      *Registry
	log      *slog.Logger
	cl       *kgo.Client
	adm      *kadm.Client
	onUpdate func(key, old, new []byte)
	derive   func(kv *DerivedKV, key, old, new []byte) error
	derived  *DerivedKV
	every    time.Duration

	cancel context.CancelFunc
	done   chan struct{} // closed when the consuming goroutine ends
	ready  chan struct{} // closed when caught up to the end offsets as of open

	failMu  sync.Mutex
	failErr error

	closeOnce sync.Once
	closeErr  error
}

// OpenGlobal opens the table's database and starts consuming the topic from
// the stored per-partition checkpoints (from the start for partitions
// without one) in the background. Use WaitReady to wait until it has caught
// up. ctx bounds only the opening; the table consumes until Close.
func OpenGlobal(ctx context.Context, cfg GlobalConfig) (*GlobalTable, error) {
	if cfg.Dir == "" || cfg.Topic == "" {
		return nil, errors.New("state: GlobalConfig needs Dir and Topic")
	}
	log := cfg.Logger
	if log == nil {
		log = discardLogger()
	}
	log = log.With("global_table", cfg.Topic)
	entries, size := cfg.CacheEntries, cfg.CacheBytes
	if entries == 0 {
		entries = 10000
	}
	if size == 0 {
		size = 16 << 20
	}
	every := cfg.DiscoveryInterval
	if every <= 0 {
		every = 5 * time.Second
	}
	every = max(every, 50*time.Millisecond)

	d, _, err := openDB(cfg.Dir, log)
	if err != nil {
		return nil, err
	}
	t := &GlobalTable{
		topic:    cfg.Topic,
		d:        d,
		g:        newGate(),
		cache:    newLRU(entries, size),
		tr:       newTracker(cfg.Topic, cfg.Topic, -1),
		reg:      cfg.Registry,
		log:      log,
		onUpdate: cfg.OnUpdate,
		derive:   cfg.Derive,
		derived:  newDerivedKV(d),
		every:    every,
		done:     make(chan struct{}),
		ready:    make(chan struct{}),
	}
	offsets, err := t.plan(ctx, cfg.ClientOpts)
	if err != nil {
		return nil, errors.Join(err, d.close())
	}
	opts := append(append([]kgo.Opt{}, cfg.ClientOpts...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{cfg.Topic: offsets}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		// A partition found by discover is consumed only once the
		// client's own metadata has it and the fetch in flight has
		// returned: allow both as often as discovery runs (kgo's
		// defaults are 5s each).
		kgo.MetadataMinAge(min(every, 5*time.Second)),
		kgo.FetchMaxWait(min(every, 5*time.Second)),
	)
	if t.cl, err = kgo.NewClient(opts...); err != nil {
		return nil, errors.Join(fmt.Errorf("state: kafka client for %s: %w", cfg.Topic, err), d.close())
	}
	t.adm = kadm.NewClient(t.cl)

	t.reg.add(t)
	runCtx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	positions := make(map[int32]int64, len(offsets))
	for p, o := range offsets {
		positions[p] = o.EpochOffset().Offset
		t.tr.progress(p, positions[p], 0)
	}
	go t.run(runCtx, positions)
	return t, nil
}

// plan reads the checkpoints and returns the offset to start each current
// partition at, wiping the database if a checkpoint cannot be trusted (see
// planRestore).
func (t *GlobalTable) plan(ctx context.Context, clientOpts []kgo.Opt) (map[int32]kgo.Offset, error) {
	cps, err := t.checkpoints()
	if err != nil {
		return nil, err
	}
	cl, err := kgo.NewClient(clientOpts...)
	if err != nil {
		return nil, fmt.Errorf("state: kafka client for %s: %w", t.topic, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	starts, err := startOffsets(ctx, adm, t.topic, nil)
	if err != nil {
		return nil, err
	}
	ends, err := listOffsets(ctx, adm.ListEndOffsets, t.topic, nil)
	if err != nil {
		return nil, err
	}
	wipe := false
	for p, next := range cps {
		start, known := starts[p]
		if !known || next < start || next > ends[p] {
			wipe = true
		}
	}
	if wipe {
		t.log.Warn("state: global table checkpoints do not match the topic, rebuilding it")
		if err := t.d.wipe(); err != nil {
			return nil, err
		}
		clear(cps)
	}
	offsets := make(map[int32]kgo.Offset, len(starts))
	for p, start := range starts {
		next, ok := cps[p]
		if !ok {
			next = start
		}
		offsets[p] = kgo.NewOffset().At(next)
	}
	return offsets, nil
}

// checkpoints returns the stored next offset of every partition.
func (t *GlobalTable) checkpoints() (map[int32]int64, error) {
	out := make(map[int32]int64)
	err := t.d.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: globalCheckpointPrefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			p, err := partitionOfGlobalCheckpoint(it.Item().Key())
			if err != nil {
				return err
			}
			if err := it.Item().Value(func(v []byte) error {
				o, err := decodeOffset(v)
				out[p] = o
				return err
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("state: read checkpoints of %s: %w", t.topic, err)
	}
	return out, nil
}

// Topic returns the table's topic.
func (t *GlobalTable) Topic() string { return t.topic }

// Readiness returns the table's phase and per-partition progress.
func (t *GlobalTable) Readiness() Readiness { return t.tr.snapshot() }

// WaitReady blocks until the table has caught up to the end offsets the
// topic had when the table was opened, or fails if ctx ends, the table
// fails or it is closed.
func (t *GlobalTable) WaitReady(ctx context.Context) error {
	select {
	case <-t.ready:
		return nil
	case <-t.done:
		select {
		case <-t.ready:
			return nil
		default:
		}
		if err := t.err(); err != nil {
			return err
		}
		return ErrClosed
	case <-ctx.Done():
		return fmt.Errorf("state: waiting for global table %s: %w", t.topic, ctx.Err())
	}
}

// Derived returns the table's derived data, read-only outside the Derive
// hook.
func (t *GlobalTable) Derived() *DerivedKV { return t.derived }

// Get returns the value of key; ok is false if it is absent.
func (t *GlobalTable) Get(key []byte) (val []byte, ok bool, err error) {
	if !t.g.enter() {
		return nil, false, ErrClosed
	}
	defer t.g.exit()
	if v, ok, hit := t.cache.get(key); hit {
		return v, ok, nil
	}
	epoch := t.cache.epoch()
	v, ok, err := t.d.get(key)
	if err != nil {
		return nil, false, err
	}
	t.cache.add(key, v, ok, epoch)
	return v, ok, nil
}

func (t *GlobalTable) err() error {
	t.failMu.Lock()
	defer t.failMu.Unlock()
	return t.failErr
}

// fail records a fatal error of the consuming goroutine.
func (t *GlobalTable) fail(err error) {
	t.failMu.Lock()
	t.failErr = err
	t.failMu.Unlock()
	t.tr.setPhase(PhaseFailed, err)
	t.log.Error("state: global table stopped consuming", "err", err)
}

// Close stops consuming and closes the database. It is idempotent.
func (t *GlobalTable) Close() error {
	t.closeOnce.Do(func() {
		t.cancel()
		<-t.done
		t.cl.Close()
		t.g.close()
		t.closeErr = t.d.close()
		t.tr.setPhase(PhaseClosed, nil)
		t.reg.remove(t)
	})
	return t.closeErr
}
