package runtime

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/state"
)

// sealedStore is a store whose write-set was sealed for the transaction,
// with the changelog records produced for it.
type sealedStore struct {
	task  int32
	name  string
	store Store
	recs  []*kgo.Record
}

// commit ends the transaction. In order:
//
//  1. wait until the tasks processed every consumed record (the
//     GroupTransactSession commits the offsets of everything polled), at most until drainBy;
//  2. run due broadcasts and flush buffering processors, task by task;
//  3. seal every store's write-set and produce it to the changelog;
//  4. flush the producer and end the transaction: commit, unless a produce
//     failed or a task stopped (revoked) since it began; the
//     GroupTransactSession itself also aborts when the group rebalanced, and then rewinds consumption
//     to the committed offsets;
//  5. committed: apply the write-sets locally with their changelog
//     offsets; aborted: discard them;
//  6. unless final, begin the next transaction.
//
// A failure before the end aborts the transaction and is returned.
func (r *Runner[V]) commit(drainBy time.Time, final bool) error {
	start := time.Now()
	if err := r.waitDrained(drainBy); err != nil {
		return r.abortOn(err)
	}
	ready := r.readyTasks()
	ran, err := r.runBroadcasts(ready)
	if err != nil {
		return r.abortOn(err)
	}
	for _, t := range ready {
		if err := t.flush(); err != nil {
			return r.abortOn(err)
		}
	}
	sealed := r.produceChangelogs()

	endCtx, cancel := context.WithTimeout(context.Background(), r.cfg.TransactionTimeout)
	defer cancel()
	if err := r.cl.Flush(endCtx); err != nil {
		return r.abortOn(opError(OpCommit, "", -1, Retryable, fmt.Errorf("flush producer: %w", err)))
	}
	if err := r.txnErr.take(); err != nil {
		return r.abortOn(err)
	}
	want := kgo.TryCommit
	if r.tainted.Swap(false) {
		want = kgo.TryAbort
	}
	committed, endErr := r.member.End(endCtx, want)
	r.txnRecords = 0

	var applyErr error
	if committed {
		applyErr = r.applyStores(sealed)
		r.completeBroadcasts(ran)
		r.met.transactions.WithLabelValues(resultCommitted).Inc()
	} else {
		r.abortStores()
		r.met.transactions.WithLabelValues(resultAborted).Inc()
		if want == kgo.TryCommit && endErr == nil {
			r.log.Info("runtime: transaction aborted by a rebalance; consumption rewound to the committed offsets")
		}
	}
	r.met.commit.Observe(time.Since(start).Seconds())
	if endErr != nil {
		return errors.Join(applyErr, opError(OpCommit, "", -1, classifyKafka(endErr), fmt.Errorf("end transaction: %w", endErr)))
	}
	if applyErr != nil {
		return applyErr
	}
	if final {
		return nil
	}
	if err := r.member.Begin(); err != nil {
		return opError(OpCommit, "", -1, Fatal, fmt.Errorf("begin transaction: %w", err))
	}
	return nil
}

// waitDrained waits until no consumed record is left unprocessed, a task
// fails, or by passes.
func (r *Runner[V]) waitDrained(by time.Time) error {
	timer := time.NewTimer(time.Until(by))
	defer timer.Stop()
	for r.pending.Load() > 0 {
		select {
		case <-r.drained:
		case err := <-r.failed:
			return err
		case <-timer.C:
			return opError(OpCommit, r.cfg.InputTopic, -1, Retryable,
				fmt.Errorf("tasks did not process %d consumed records in time", r.pending.Load()))
		}
	}
	select {
	case err := <-r.failed:
		return err
	default:
		return nil
	}
}

// readyTasks returns the live tasks whose stores are restored, by
// partition.
func (r *Runner[V]) readyTasks() []*task[V] {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*task[V], 0, len(r.tasks))
	for _, t := range r.tasks {
		if t.isReady() {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *task[V]) int { return int(a.partition - b.partition) })
	return out
}

// storeTasks returns every task that may hold open stores: the live ones
// and the stopped ones not reaped yet.
func (r *Runner[V]) storeTasks() []*task[V] {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*task[V], 0, len(r.tasks)+len(r.retired))
	for _, t := range r.tasks {
		out = append(out, t)
	}
	return append(out, r.retired...)
}

// produceChangelogs seals the write-set of every open store and produces
// it to the store's changelog partition in the transaction.
func (r *Runner[V]) produceChangelogs() []sealedStore {
	var sealed []sealedStore
	for _, t := range r.storeTasks() {
		for name, s := range t.openStores() {
			recs := s.Records(s.Pending())
			for _, rec := range recs {
				r.cl.Produce(r.prodCtx, rec, r.promise)
			}
			sealed = append(sealed, sealedStore{task: t.partition, name: name, store: s, recs: recs})
		}
	}
	return sealed
}

// applyStores commits the sealed write-sets locally after the transaction
// committed. A store that fails is left for reopening (the runner stops;
// the next Open replays the changelog).
func (r *Runner[V]) applyStores(sealed []sealedStore) error {
	var errs []error
	for _, s := range sealed {
		if err := s.store.Commit(state.LastOffset(s.recs)); err != nil {
			errs = append(errs, &Error{Op: OpStore, Topic: r.cfg.InputTopic, Partition: s.task, Offset: -1,
				Class: Retryable, Err: fmt.Errorf("store %s: %w", s.name, err)})
		}
	}
	return errors.Join(errs...)
}

// abortStores discards the write-set of every open store, and the
// in-memory state of Revoker processors.
func (r *Runner[V]) abortStores() {
	for _, t := range r.storeTasks() {
		for _, s := range t.openStores() {
			s.Abort()
		}
		if t.isReady() {
			t.revoke()
		}
	}
}

// abortOn stops every task, aborts the transaction, discards the stores'
// write-sets and returns cause (joined with an abort failure). The Runner
// then shuts down.
func (r *Runner[V]) abortOn(cause error) error {
	// No task may produce while the transaction ends.
	r.stopTasks()
	endCtx, cancel := context.WithTimeout(context.Background(), r.cfg.TransactionTimeout)
	defer cancel()
	_, endErr := r.member.End(endCtx, kgo.TryAbort)
	r.txnErr.take()
	r.txnRecords = 0
	r.tainted.Store(false)
	r.abortStores()
	r.met.transactions.WithLabelValues(resultAborted).Inc()
	if endErr != nil {
		return errors.Join(cause, opError(OpCommit, "", -1, classifyKafka(endErr), fmt.Errorf("abort transaction: %w", endErr)))
	}
	return cause
}
