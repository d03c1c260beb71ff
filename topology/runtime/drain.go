package runtime

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/state"
)

// drainCheckInterval is how often Drain compares the group's committed
// offsets with its targets.
const drainCheckInterval = 100 * time.Millisecond

// Drain runs the Runner like Run until the group has committed, for every
// partition of the input topic, everything that was committed to the topic
// when Drain started; then it shuts the Runner down cleanly (as a cancelled
// Run does) and returns. Records added later may or may not be processed.
// It is meant for tests and batch runs (the demo): "process what is there,
// then stop".
//
// Progress is the consumer group's, so partitions processed by other
// instances of the group count. Drain returns early with Run's error if
// Run fails, or with ctx's error (after a clean shutdown) if ctx ends.
func (r *Runner[V]) Drain(ctx context.Context) error {
	if r.started.Load() {
		return ErrAlreadyStarted
	}
	cl, err := kgo.NewClient(r.adminOpts()...)
	if err != nil {
		return opError(OpStart, "", -1, Fatal, fmt.Errorf("admin client: %w", err))
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	targets, err := drainTargets(ctx, adm, r.cfg.InputTopic)
	if err != nil {
		return opError(OpStart, r.cfg.InputTopic, -1, classifyKafka(err), err)
	}

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	ran := make(chan error, 1)
	go func() { ran <- r.Run(runCtx) }()

	w := drainWatch{cl: cl, adm: adm, group: r.cfg.Group, topic: r.cfg.InputTopic, targets: targets, last: map[int32]int64{}}
	tick := time.NewTicker(drainCheckInterval)
	defer tick.Stop()
	for {
		select {
		case err := <-ran:
			if err == nil {
				err = ctx.Err()
			}
			return err
		case <-tick.C:
		}
		if !r.running.Load() {
			continue // still starting
		}
		done, err := w.caughtUp(ctx)
		if err != nil {
			r.log.Debug("runtime: drain check failed; retrying", "err", err)
			continue
		}
		if done {
			r.log.Info("runtime: input drained; stopping")
			stop()
			return <-ran
		}
	}
}

// drainTargets returns, per partition, the read_committed end offset of
// topic (the last stable offset).
func drainTargets(ctx context.Context, adm *kadm.Client, topic string) (map[int32]int64, error) {
	ends, err := adm.ListCommittedOffsets(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("list end offsets of %s: %w", topic, err)
	}
	ps, ok := ends[topic]
	if !ok {
		return nil, fmt.Errorf("list end offsets of %s: topic not found", topic)
	}
	out := make(map[int32]int64, len(ps))
	for p, o := range ps {
		if o.Err != nil {
			return nil, fmt.Errorf("list end offsets of %s/%d: %w", topic, p, o.Err)
		}
		out[p] = o.Offset
	}
	return out, nil
}

// drainWatch compares a group's committed offsets with targets.
type drainWatch struct {
	cl      *kgo.Client
	adm     *kadm.Client
	group   string
	topic   string
	targets map[int32]int64
	last    map[int32]int64 // committed offset seen at the previous check
	starts  map[int32]int64 // log start offsets, listed once when needed
}

// caughtUp reports whether every partition's committed offset reached its
// target, or stopped short of it with only markers and aborted records in
// between (checked once the offset stops moving).
func (w *drainWatch) caughtUp(ctx context.Context) (bool, error) {
	committed, err := w.adm.FetchOffsets(ctx, w.group)
	if err != nil {
		return false, fmt.Errorf("fetch offsets of group %s: %w", w.group, err)
	}
	if err := committed.Error(); err != nil {
		return false, fmt.Errorf("fetch offsets of group %s: %w", w.group, err)
	}
	for p, target := range w.targets {
		if target <= 0 {
			continue
		}
		at := int64(-1)
		if o, ok := committed.Lookup(w.topic, p); ok && o.Err == nil {
			at = o.At
		}
		if at < 0 {
			start, err := w.start(ctx, p)
			if err != nil {
				return false, err
			}
			at = start
		}
		if at >= target {
			continue
		}
		prev, seen := w.last[p]
		w.last[p] = at
		if !seen || prev != at {
			return false, nil
		}
		more, err := state.HasRecordsBefore(ctx, w.cl, w.topic, p, at, target)
		if err != nil {
			return false, err
		}
		if more {
			return false, nil
		}
	}
	return true, nil
}

// start returns the log start offset of partition p: where a group without
// a committed offset begins.
func (w *drainWatch) start(ctx context.Context, p int32) (int64, error) {
	if w.starts == nil {
		listed, err := w.adm.ListStartOffsets(ctx, w.topic)
		if err != nil {
			return 0, fmt.Errorf("list start offsets of %s: %w", w.topic, err)
		}
		w.starts = make(map[int32]int64)
		listed.Each(func(o kadm.ListedOffset) {
			if o.Err == nil {
				w.starts[o.Partition] = o.Offset
			}
		})
	}
	s, ok := w.starts[p]
	if !ok {
		return 0, errors.New("no start offset for partition")
	}
	return s, nil
}
