package runtime

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// loop is Run's main goroutine: it polls, hands records to the tasks and
// ends each transaction (commit.go). Polling, beginning and ending the
// transaction all happen here, never concurrently, as the
// GroupTransactSession requires.
func (r *Runner[V]) loop(ctx context.Context) error {
	if err := r.member.Begin(); err != nil {
		return opError(OpCommit, "", -1, Fatal, err)
	}
	for {
		select {
		case err := <-r.failed:
			return r.abortOn(err)
		default:
		}
		if ctx.Err() != nil {
			return r.commit(time.Now().Add(r.cfg.ShutdownTimeout), true)
		}
		if err := r.reap(false); err != nil {
			return r.abortOn(err)
		}
		if r.commitDue(time.Now()) {
			if err := r.commit(time.Now().Add(r.cfg.TransactionTimeout/2), false); err != nil {
				return err
			}
			continue
		}
		if err := r.dispatch(r.poll(ctx)); err != nil {
			return r.abortOn(err)
		}
	}
}

// commitDue reports whether the loop should end the transaction now.
func (r *Runner[V]) commitDue(now time.Time) bool {
	switch {
	case r.txnRecords > 0 && r.txnRecords >= r.cfg.CommitEvery:
		return true
	case r.txnRecords > 0 && !now.Before(r.txnStart.Add(r.cfg.CommitInterval)):
		return true
	case r.txnRecords == 0 && r.tainted.Load():
		// A task stopped while nothing was consumed: end the empty
		// transaction now, so that the next one is not aborted for it.
		return true
	}
	return r.broadcastDue()
}

// poll waits for records until the transaction's commit interval is over,
// the context ends or wakeUp is called.
func (r *Runner[V]) poll(ctx context.Context) kgo.Fetches {
	pollCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if r.txnRecords > 0 {
		var cancelDeadline context.CancelFunc
		pollCtx, cancelDeadline = context.WithDeadline(pollCtx, r.txnStart.Add(r.cfg.CommitInterval))
		defer cancelDeadline()
	}
	polled := make(chan struct{})
	defer close(polled)
	go func() {
		select {
		case <-r.wake:
			cancel()
		case <-polled:
		}
	}()
	return r.member.PollRecords(pollCtx, r.cfg.MaxPollRecords)
}

// dispatch hands polled records to their tasks. Records of a partition
// without a live task (revoked meanwhile) cannot be processed, yet the
// GroupTransactSession would commit their offsets: the transaction is marked to abort,
// which rewinds consumption to the committed offsets.
//
// Errors of kgo's group management arrive here too (kgo rejoins after
// them): those no rejoin can cure (isFatalGroupError) stop the Runner.
func (r *Runner[V]) dispatch(fs kgo.Fetches) error {
	var stop error
	fs.EachError(func(topic string, partition int32, err error) {
		var session *kgo.ErrGroupSession
		switch {
		case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		case errors.Is(err, kgo.ErrClientClosed):
			if stop == nil {
				stop = opError(OpPoll, topic, partition, Retryable, err)
			}
		case errors.As(err, &session):
			if isFatalGroupError(err) {
				if stop == nil {
					stop = opError(OpGroup, r.cfg.InputTopic, -1, Fatal, fmt.Errorf("group %s: %w", r.cfg.Group, err))
				}
				return
			}
			r.log.Warn("runtime: group session error; rejoining", "err", err)
		default:
			r.log.Warn("runtime: fetch error", "partition", partition, "err", err)
		}
	})
	if stop != nil {
		return stop
	}
	now := time.Now()
	fs.EachPartition(func(p kgo.FetchTopicPartition) {
		n := len(p.Records)
		if n == 0 {
			return
		}
		r.mu.Lock()
		t := r.tasks[p.Partition]
		r.mu.Unlock()
		r.pending.Add(int64(n))
		if p.Topic != r.cfg.InputTopic || t == nil || !t.q.push(p.Records) {
			r.release(n)
			r.tainted.Store(true)
			r.log.Warn("runtime: records of a partition without a task; the transaction will abort",
				"partition", p.Partition, "records", n)
			return
		}
		if r.txnRecords == 0 {
			r.txnStart = now
		}
		r.txnRecords += n
	})
	return nil
}
