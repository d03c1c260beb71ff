package runtime

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Rebalances and the transaction
//
// The GroupTransactSession wraps onRevoked/onLost: it marks the
// transaction failed (so its next End aborts) and calls them while holding the lock End
// holds from its final check until the transaction has ended. So onRevoked
// runs either before that check (the transaction in progress aborts) or
// after the transaction ended. It must therefore never wait for the loop:
// it only stops the revoked tasks, which waits at most for one record in
// processing, and leaves closing their stores to the loop (reap), which
// knows how their last transaction ended.

// onAssigned starts a task for every newly assigned input partition. It
// runs before the partitions are fetched, so each task's queue pauses its
// partition until the task's stores are restored. Like onRevoked it never
// waits for the loop: a task whose partition's previous stores are still
// open waits for them in its own goroutine (see startTask).
func (r *Runner[V]) onAssigned(_ context.Context, cl *kgo.Client, assigned map[string][]int32) {
	for _, p := range assigned[r.cfg.InputTopic] {
		r.startTask(cl, p)
	}
	r.assigned.Store(true)
	if n := len(assigned[r.cfg.InputTopic]); n > 0 {
		r.log.Info("runtime: partitions assigned", "partitions", assigned[r.cfg.InputTopic])
	}
}

// onRevoked stops the tasks of revoked or lost partitions. The open
// transaction is marked to abort: it may hold their work.
func (r *Runner[V]) onRevoked(_ context.Context, _ *kgo.Client, revoked map[string][]int32) {
	ps := revoked[r.cfg.InputTopic]
	if len(ps) == 0 {
		return
	}
	r.tainted.Store(true)
	for _, p := range ps {
		r.stopTask(p)
	}
	r.log.Info("runtime: partitions revoked", "partitions", ps)
	r.wakeUp()
}

// startTask creates and starts the task of partition p, unless one runs.
// cl is the group member's client (the callback's: r.cl may not be set
// yet when the first assignment arrives). When an earlier task of p is
// still retired (its stores open, or being closed by reap), the new task's
// goroutine waits for them to close before it opens its own; startTask
// itself does not wait.
func (r *Runner[V]) startTask(cl *kgo.Client, p int32) {
	r.mu.Lock()
	if _, ok := r.tasks[p]; ok {
		r.mu.Unlock()
		return
	}
	var prev *task[V]
	for _, old := range r.retired {
		if old.partition == p {
			prev = old
		}
	}
	t := newTask(r, cl, p, prev)
	r.tasks[p] = t
	r.mu.Unlock()
	t.q.hold()
	r.met.tasks.Inc()
	go t.run()
}

// stopTask stops the task of partition p and moves it to the retired list,
// where it stays until reap has closed its stores.
func (r *Runner[V]) stopTask(p int32) {
	r.mu.Lock()
	t, ok := r.tasks[p]
	if ok {
		delete(r.tasks, p)
		r.retired = append(r.retired, t)
	}
	r.mu.Unlock()
	if !ok {
		return
	}
	t.stop()
	r.met.tasks.Dec()
}

// reap closes the stores of stopped tasks, in the order they stopped.
// Their write-sets are discarded: a task stops inside a transaction that
// aborts (onRevoked taints it), and work of a transaction that committed
// was applied by commit before the loop reaps. Without all it only reaps
// tasks whose goroutine has returned; with all it waits for them.
//
// A task leaves r.retired only once its stores are closed, so startTask
// finds it there until then, and the partition's next task waits for
// closed before it opens the same stores (their directories are locked
// while open).
func (r *Runner[V]) reap(all bool) error {
	r.mu.Lock()
	var now []*task[V]
	blocked := make(map[int32]bool)
	for _, t := range r.retired {
		if blocked[t.partition] || (!all && !isClosed(t.done)) {
			blocked[t.partition] = true
			continue
		}
		now = append(now, t)
	}
	r.mu.Unlock()
	if len(now) == 0 {
		return nil
	}

	var errs []error
	for _, t := range now {
		<-t.done
		for name, s := range t.openStores() {
			s.Abort()
			if err := s.Close(); err != nil {
				errs = append(errs, &Error{Op: OpStore, Topic: r.cfg.InputTopic, Partition: t.partition, Offset: -1,
					Class: Retryable, Err: fmt.Errorf("close store %s: %w", name, err)})
			}
		}
		// Before closed: the partition's next task may start then.
		t.revoke()
		r.mu.Lock()
		r.retired = slices.DeleteFunc(r.retired, func(old *task[V]) bool { return old == t })
		close(t.closed)
		if _, live := r.tasks[t.partition]; !live {
			r.met.forgetPartition(t.partition)
		}
		r.mu.Unlock()
	}
	r.pruneBroadcasts()
	return errors.Join(errs...)
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
