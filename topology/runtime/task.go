package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/state"
)

// popBatch is how many records a task takes from its queue at a time; the
// queue's pause threshold counts the rest.
const popBatch = 64

// errStopped ends a task's goroutine when its partition was revoked.
var errStopped = errors.New("runtime: task stopped")

// task processes one input partition: it restores the partition's stores,
// then takes records from its queue and processes them in order, in the
// transaction the loop has open.
//
// Records are processed under procMu, and stop sets stopped under procMu,
// so once stop returns the task produces nothing more.
type task[V any] struct {
	r         *Runner[V]
	partition int32
	proc      processors.Processor[V]
	q         *queue
	cl        *kgo.Client // the group member's client
	prev      *task[V]    // an earlier task of the same partition, whose stores must close first

	ctx     context.Context
	cancel  context.CancelFunc
	stopped atomic.Bool
	procMu  sync.Mutex
	done    chan struct{} // the goroutine returned
	closed  chan struct{} // the stores are closed (by the loop's reap)

	mu     sync.Mutex
	stores map[string]Store // set once every store is open
	ready  bool

	// Owned by the goroutine holding procMu.
	rc taskContext[V]
}

func newTask[V any](r *Runner[V], cl *kgo.Client, partition int32, prev *task[V]) *task[V] {
	ctx, cancel := context.WithCancel(context.Background())
	proc := r.cfg.Processor
	if r.cfg.NewProcessor != nil {
		proc = r.cfg.NewProcessor(partition)
	}
	depth := r.met.partitionDepth(partition)
	t := &task[V]{
		r:         r,
		partition: partition,
		proc:      proc,
		cl:        cl,
		prev:      prev,
		ctx:       ctx,
		cancel:    cancel,
		done:      make(chan struct{}),
		closed:    make(chan struct{}),
	}
	t.q = newQueue(r.cfg.InputTopic, partition, r.cfg.QueueSize, cl,
		func(n int) { depth.Set(float64(n)) },
		func(paused bool) {
			if paused {
				r.met.paused.Inc()
			} else {
				r.met.paused.Dec()
			}
		})
	t.rc = taskContext[V]{t: t}
	return t
}

// run is the task's goroutine.
func (t *task[V]) run() {
	defer func() {
		close(t.done)
		if t.ctx.Err() != nil {
			t.r.wakeUp() // stopped: the loop can reap us now
		}
	}()
	if t.prev != nil {
		select {
		case <-t.prev.closed:
		case <-t.ctx.Done():
			return
		}
	}
	if err := t.open(); err != nil {
		if t.ctx.Err() == nil {
			t.r.fail(err)
		}
		return
	}
	t.r.wakeUp() // broadcasts may now run on this task
	for {
		select {
		case <-t.ctx.Done():
			return
		case <-t.q.notify:
		}
		for {
			batch := t.q.pop(popBatch)
			if len(batch) == 0 {
				break
			}
			for i, rec := range batch {
				err := t.handle(rec)
				if err == nil {
					t.r.release(1)
					continue
				}
				t.r.release(len(batch) - i)
				if !errors.Is(err, errStopped) {
					t.r.fail(err)
				}
				return
			}
		}
	}
}

// open restores every configured store of the partition and marks the task
// ready. Stores opened before a failure are closed again.
func (t *task[V]) open() error {
	r := t.r
	if err := r.changelogs.ensure(t.ctx, t.partition+1); err != nil {
		return &Error{Op: OpRestore, Topic: r.cfg.InputTopic, Partition: t.partition, Offset: -1, Class: classifyKafka(err), Err: err}
	}
	if err := r.changelogs.awaitProducer(t.ctx, t.cl, t.partition); err != nil {
		return &Error{Op: OpRestore, Topic: r.cfg.InputTopic, Partition: t.partition, Offset: -1, Class: Retryable, Err: err}
	}
	start := time.Now()
	stores := make(map[string]Store, len(r.cfg.Stores))
	for _, name := range r.cfg.Stores {
		s, err := r.cfg.OpenStore(t.ctx, StoreSpec{
			Name:       name,
			Partition:  t.partition,
			Changelog:  state.ChangelogTopic(r.cfg.App, name),
			Dir:        r.cfg.StateDir,
			ClientOpts: r.clientOpts,
			Registry:   r.stores,
			Logger:     r.cfg.Logger,
		})
		if err != nil {
			for _, open := range stores {
				_ = open.Close()
			}
			return &Error{Op: OpRestore, Topic: r.cfg.InputTopic, Partition: t.partition, Offset: -1,
				Class: Retryable, Err: fmt.Errorf("open store %s: %w", name, err)}
		}
		stores[name] = s
	}
	t.mu.Lock()
	t.stores = stores
	t.ready = true
	t.mu.Unlock()
	t.q.markReady()
	if len(stores) > 0 {
		r.log.Info("runtime: stores restored", "partition", t.partition, "took", time.Since(start))
	}
	return nil
}

// handle decodes and processes one record.
func (t *task[V]) handle(rec *kgo.Record) error {
	t.procMu.Lock()
	defer t.procMu.Unlock()
	if t.stopped.Load() {
		return errStopped
	}
	start := time.Now()
	t.rc.offset = rec.Offset
	v, err := t.r.cfg.Decode(rec.Value)
	if err != nil {
		if err := t.deadLetter(rec, err); err != nil {
			return t.recordError(rec, OpProcess, err)
		}
		t.r.met.records.WithLabelValues(resultDeadLetter).Inc()
		return nil
	}
	err = t.proc.Process(&t.rc, processors.Record[V]{
		Key:       rec.Key,
		Value:     v,
		Topic:     rec.Topic,
		Partition: rec.Partition,
		Offset:    rec.Offset,
		Timestamp: rec.Timestamp,
	})
	if err != nil {
		return t.recordError(rec, OpProcess, err)
	}
	t.r.met.processing.Observe(time.Since(start).Seconds())
	t.r.met.records.WithLabelValues(resultProcessed).Inc()
	return nil
}

// deadLetter emits the record DeadLetter maps an undecodable record to.
func (t *task[V]) deadLetter(rec *kgo.Record, cause error) error {
	out, key, value := t.r.cfg.DeadLetter(processors.Record[[]byte]{
		Key:       rec.Key,
		Value:     rec.Value,
		Topic:     rec.Topic,
		Partition: rec.Partition,
		Offset:    rec.Offset,
		Timestamp: rec.Timestamp,
	}, cause)
	if err := t.rc.Emit(out, key, value); err != nil {
		// The dead-letter route itself is broken: that is configuration.
		return &Error{Op: OpProcess, Topic: rec.Topic, Partition: rec.Partition, Offset: rec.Offset,
			Class: Fatal, Err: fmt.Errorf("dead letter to output %q: %w", out, err)}
	}
	return nil
}

// recordError places err at rec. A processor error is Retryable (the
// processor contract: the record is retried after restart) unless it wraps
// an *Error of the runtime that says otherwise.
func (t *task[V]) recordError(rec *kgo.Record, op string, err error) *Error {
	class := Retryable
	var inner *Error
	if errors.As(err, &inner) {
		class = inner.Class
	}
	return &Error{Op: op, Topic: rec.Topic, Partition: rec.Partition, Offset: rec.Offset, Class: class, Err: err}
}

// stop makes the task stop at the next record boundary and waits for a
// record in processing to finish. It does not close the stores: the loop
// does, once the task's last transaction has ended (see reap).
func (t *task[V]) stop() {
	t.cancel()
	t.r.release(t.q.stop())
	t.procMu.Lock()
	t.stopped.Store(true)
	t.procMu.Unlock()
}

func (t *task[V]) isReady() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ready
}

// openStores returns the task's stores, nil until they are restored.
func (t *task[V]) openStores() map[string]Store {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stores
}

// runInTransaction runs fn for the task with procMu held, the way records
// are processed; the loop uses it for broadcasts and flushes while the
// task's queue is empty.
func (t *task[V]) runInTransaction(fn func(c processors.Context) error) error {
	t.procMu.Lock()
	defer t.procMu.Unlock()
	if t.stopped.Load() {
		return errStopped
	}
	t.rc.offset = -1
	return fn(&t.rc)
}

// Revoker is implemented by processors that keep in-memory state per
// partition beside their stores (drift.Processor, for example). The runtime
// calls Revoke(partition) when a transaction the partition took part in
// aborted, so that state of the aborted transaction is dropped, and when
// the partition's task stops. It is never called concurrently with the
// partition's Process or Flush.
type Revoker interface {
	Revoke(partition int32)
}

// revoke calls Revoke on a processor that is a Revoker.
func (t *task[V]) revoke() {
	if rv, ok := t.proc.(Revoker); ok {
		rv.Revoke(t.partition)
	}
}

// flush calls Flush on a processor that buffers output.
func (t *task[V]) flush() error {
	f, ok := t.proc.(processors.Flusher)
	if !ok {
		return nil
	}
	err := t.runInTransaction(f.Flush)
	if err == nil || errors.Is(err, errStopped) {
		return nil
	}
	class := Retryable
	var inner *Error
	if errors.As(err, &inner) {
		class = inner.Class
	}
	return &Error{Op: OpFlush, Topic: t.r.cfg.InputTopic, Partition: t.partition, Offset: -1, Class: class, Err: err}
}
