package runtime

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/state"
)

// Runner runs one processor exactly-once over one input topic. Build it
// with New, start it with Run (or Drain); Ready, StoreReadiness and
// Broadcast may be called from any goroutine while it runs. A Runner runs
// once.
type Runner[V any] struct {
	cfg        Config[V]
	log        *slog.Logger
	met        *metrics
	stores     *state.Registry
	clientOpts []kgo.Opt // seed brokers + Config.ClientOpts

	started  atomic.Bool
	running  atomic.Bool
	assigned atomic.Bool   // the group assigned this member at least once
	done     chan struct{} // closed when Run returns

	// Set by Run before the group is joined, read-only afterwards.
	member     *kgo.GroupTransactSession
	cl         *kgo.Client
	adm        *kadm.Client
	changelogs *changelogs
	prodCtx    context.Context // for Produce; cancelled once the client is closed

	mu         sync.Mutex
	tasks      map[int32]*task[V] // live tasks by partition
	retired    []*task[V]         // stopped tasks whose stores are not closed yet, in stop order
	broadcasts []*broadcast[V]
	// broadcastsEnded is set when Run ends; later broadcasts fail.
	broadcastsEnded bool

	pending atomic.Int64  // records queued or in processing, over all tasks
	drained chan struct{} // signalled when pending drops to zero
	wake    chan struct{} // interrupts a poll
	failed  chan error    // the first task failure
	tainted atomic.Bool   // a task stopped since the transaction began: it must abort
	txnErr  firstError    // the first produce error of the transaction

	// Owned by the goroutine running the loop.
	txnRecords int       // records consumed in the transaction
	txnStart   time.Time // when its first record was consumed
}

// New validates cfg and returns a Runner. It registers the metrics on
// cfg.Registerer.
func New[V any](cfg Config[V]) (*Runner[V], error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	stores := state.NewRegistry()
	r := &Runner[V]{
		cfg:        cfg,
		log:        cfg.Logger.With("group", cfg.Group, "topic", cfg.InputTopic),
		met:        newMetrics(cfg.Group, stores),
		stores:     stores,
		clientOpts: append([]kgo.Opt{kgo.SeedBrokers(cfg.Brokers...)}, cfg.ClientOpts...),
		done:       make(chan struct{}),
		tasks:      make(map[int32]*task[V]),
		drained:    make(chan struct{}, 1),
		wake:       make(chan struct{}, 1),
		failed:     make(chan error, 1),
	}
	if err := r.met.register(cfg.Registerer); err != nil {
		return nil, opError(OpConfig, "", -1, Fatal, err)
	}
	return r, nil
}

// Run runs the Runner until ctx is cancelled or a task fails.
//
// On cancellation it stops consuming, lets every task process the records
// it already consumed (up to Config.ShutdownTimeout), flushes, commits the
// transaction, leaves the group and closes the stores; it then returns nil.
// On a failure it aborts the transaction (nothing of it becomes visible, and
// the failed record is consumed again by whoever runs the partition next),
// closes everything and returns the error, an *Error classified Retryable
// or Fatal.
func Run[V any](ctx context.Context, cfg Config[V]) error {
	r, err := New(cfg)
	if err != nil {
		return err
	}
	return r.Run(ctx)
}

// Run runs the Runner; see the package-level Run.
func (r *Runner[V]) Run(ctx context.Context) error {
	if !r.started.CompareAndSwap(false, true) {
		return ErrAlreadyStarted
	}
	defer close(r.done)
	stopProducing, err := r.start(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // cancelled while starting: nothing was consumed
		}
		return err
	}
	r.running.Store(true)
	r.log.Info("runtime: running", "transactional_id", r.cfg.TransactionalID)
	loopErr := r.loop(ctx)
	r.running.Store(false)
	closeErr := r.shutdown(stopProducing)
	r.endBroadcasts()
	if loopErr != nil {
		r.log.Error("runtime: stopped on error", "err", loopErr)
	} else {
		r.log.Info("runtime: stopped")
	}
	return errors.Join(loopErr, closeErr)
}

// Ready reports whether the Runner runs, has received its assignment and
// every task's stores are restored: what a /ready endpoint should report.
func (r *Runner[V]) Ready() bool {
	if !r.running.Load() || !r.assigned.Load() {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, t := range r.tasks {
		if !t.isReady() {
			return false
		}
	}
	return r.stores.Ready()
}

// StoreReadiness returns the phase and restore progress of every open
// store, sorted by store name and partition.
func (r *Runner[V]) StoreReadiness() []state.Readiness {
	return r.stores.Snapshot()
}

// Done is closed when Run (or Drain) has returned.
func (r *Runner[V]) Done() <-chan struct{} { return r.done }

// wakeUp interrupts the loop's poll.
func (r *Runner[V]) wakeUp() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// fail reports a task failure to the loop; only the first is kept.
func (r *Runner[V]) fail(err error) {
	select {
	case r.failed <- err:
	default:
		r.log.Warn("runtime: further task failure", "err", err)
	}
	r.wakeUp()
}

// release accounts for n records leaving the queues (processed or
// dropped).
func (r *Runner[V]) release(n int) {
	if n == 0 {
		return
	}
	if r.pending.Add(-int64(n)) <= 0 {
		select {
		case r.drained <- struct{}{}:
		default:
		}
	}
}

// firstError keeps the first error set on it.
type firstError struct {
	mu  sync.Mutex
	err error
}

func (f *firstError) set(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.err = err
	}
}

// take returns the kept error and forgets it.
func (f *firstError) take() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := f.err
	f.err = nil
	return err
}
