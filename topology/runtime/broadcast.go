package runtime

import (
	"context"
	"errors"
	"slices"

	"github.com/ledgerline/ledgerline/processors"
)

// broadcast is one Broadcast call: fn, and the tasks that have not yet run
// it in a committed transaction.
type broadcast[V any] struct {
	fn      func(processors.Context) error
	pending map[*task[V]]bool // guarded by Runner.mu
	result  chan error        // receives the outcome once (buffered)
}

// broadcastRun is one task's run of a broadcast in the open transaction.
type broadcastRun[V any] struct {
	b *broadcast[V]
	t *task[V]
}

// Broadcast runs fn once on every task live when it is called, each in its
// own partition's context (its stores; Emit; Offset -1) inside the task's
// next transaction, after the task's stores are restored. It returns when
// every such task has run fn in a committed transaction, or has been
// revoked meanwhile (the partition's next owner does not run fn), or when
// ctx ends (fn still runs) or the Runner stops (ErrNotRunning).
//
// A transaction that aborts (a rebalance) discards fn's writes and emits
// with everything else; fn then runs again in the next one. fn must
// therefore depend only on the task's state. An error from fn fails the
// Runner like a processor error and is returned.
//
// The use: a global table (the catalog) changed, and every partition must
// re-evaluate its state against it. Broadcasts pending together run in the
// same transaction, in call order; see BroadcastAsync to queue many without
// waiting for each.
func (r *Runner[V]) Broadcast(ctx context.Context, fn func(processors.Context) error) error {
	select {
	case err := <-r.BroadcastAsync(fn):
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// BroadcastAsync queues fn like Broadcast and returns at once. The channel
// receives Broadcast's result (nil, fn's error or ErrNotRunning) once.
func (r *Runner[V]) BroadcastAsync(fn func(processors.Context) error) <-chan error {
	b := &broadcast[V]{fn: fn, pending: make(map[*task[V]]bool), result: make(chan error, 1)}
	r.mu.Lock()
	if !r.running.Load() || r.broadcastsEnded {
		r.mu.Unlock()
		b.result <- ErrNotRunning
		return b.result
	}
	for _, t := range r.tasks {
		b.pending[t] = true
	}
	if len(b.pending) == 0 {
		r.mu.Unlock()
		b.result <- nil
		return b.result
	}
	r.broadcasts = append(r.broadcasts, b)
	r.mu.Unlock()
	r.wakeUp()
	return b.result
}

// broadcastDue reports whether a broadcast can run on a ready task.
func (r *Runner[V]) broadcastDue() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.broadcasts {
		for t := range b.pending {
			if t.isReady() && !t.stopped.Load() {
				return true
			}
		}
	}
	return false
}

// runBroadcasts runs every broadcast still pending on each of tasks, in
// call order.
func (r *Runner[V]) runBroadcasts(tasks []*task[V]) ([]broadcastRun[V], error) {
	r.mu.Lock()
	bs := slices.Clone(r.broadcasts)
	var todo []broadcastRun[V]
	for _, b := range bs {
		for _, t := range tasks {
			if b.pending[t] {
				todo = append(todo, broadcastRun[V]{b: b, t: t})
			}
		}
	}
	r.mu.Unlock()

	ran := todo[:0]
	for _, run := range todo {
		err := run.t.runInTransaction(run.b.fn)
		switch {
		case err == nil:
			ran = append(ran, run)
		case errors.Is(err, errStopped):
		default:
			e := &Error{Op: OpBroadcast, Topic: r.cfg.InputTopic, Partition: run.t.partition, Offset: -1, Class: Retryable, Err: err}
			var inner *Error
			if errors.As(err, &inner) {
				e.Class = inner.Class
			}
			r.finishBroadcast(run.b, e)
			return nil, e
		}
	}
	return ran, nil
}

// completeBroadcasts records runs whose transaction committed.
func (r *Runner[V]) completeBroadcasts(ran []broadcastRun[V]) {
	if len(ran) == 0 {
		return
	}
	r.mu.Lock()
	for _, run := range ran {
		delete(run.b.pending, run.t)
	}
	r.mu.Unlock()
	r.pruneBroadcasts()
}

// pruneBroadcasts forgets tasks that stopped and finishes broadcasts with
// nothing left to run.
func (r *Runner[V]) pruneBroadcasts() {
	r.mu.Lock()
	var finished []*broadcast[V]
	keep := r.broadcasts[:0]
	for _, b := range r.broadcasts {
		for t := range b.pending {
			if live := r.tasks[t.partition]; live != t {
				delete(b.pending, t)
			}
		}
		if len(b.pending) == 0 {
			finished = append(finished, b)
			continue
		}
		keep = append(keep, b)
	}
	clear(r.broadcasts[len(keep):])
	r.broadcasts = keep
	r.mu.Unlock()
	for _, b := range finished {
		b.result <- nil
	}
}

// finishBroadcast ends b with err.
func (r *Runner[V]) finishBroadcast(b *broadcast[V], err error) {
	r.mu.Lock()
	i := slices.Index(r.broadcasts, b)
	if i < 0 {
		r.mu.Unlock()
		return
	}
	r.broadcasts = slices.Delete(r.broadcasts, i, i+1)
	r.mu.Unlock()
	b.result <- err
}

// endBroadcasts ends every broadcast left when the Runner stops.
func (r *Runner[V]) endBroadcasts() {
	r.mu.Lock()
	left := r.broadcasts
	r.broadcasts = nil
	r.broadcastsEnded = true
	r.mu.Unlock()
	for _, b := range left {
		b.result <- ErrNotRunning
	}
}
