package lake

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// A poll blocks at most this long, so that buffers fall due on time and
// Drain checks its progress often.
const (
	maxPollWait      = 500 * time.Millisecond
	maxDrainPollWait = 50 * time.Millisecond
)

// Run consumes until ctx is done, then writes every buffer, commits and
// returns nil. A storage or decoding failure stops it with an error; then
// nothing more is committed and a restart resumes from the last commit.
// While running it compacts the partitions it wrote every CompactInterval.
func (s *Sink) Run(ctx context.Context) error {
	stop := s.startCompactor(ctx)
	err := s.run(ctx, nil)
	stop()
	return err
}

// Drain consumes until the group's committed offsets reach the end offsets
// the topic had when Drain started, writes every buffer, commits and
// returns the counters.
func (s *Sink) Drain(ctx context.Context) (Stats, error) {
	target, err := s.drainTarget(ctx)
	if err != nil {
		s.Close()
		return Stats{}, err
	}
	err = s.run(ctx, target)
	return s.Stats(), err
}

func (s *Sink) run(ctx context.Context, target *drainTarget) error {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return errors.New("lake: a sink runs once")
	}
	s.started = true
	s.mu.Unlock()
	defer s.Close()
	// A batch, once polled, is processed to the end even if ctx is done
	// meanwhile: stopping halfway through a file publication would only
	// leave work for the restart.
	work := context.WithoutCancel(ctx)

	for ctx.Err() == nil {
		s.mu.Lock()
		limit := maxPollWait
		if target != nil {
			limit = maxDrainPollWait
		}
		wait := s.pollWait(s.opts.Now(), limit)
		s.mu.Unlock()
		pollCtx, cancel := context.WithTimeout(ctx, wait)
		fetches := s.client.PollFetches(pollCtx)
		cancel()
		if fetches.IsClientClosed() {
			return errors.New("lake: kafka client closed")
		}
		s.mu.Lock()
		err := s.process(work, fetches)
		if err == nil {
			err = s.fatal
		}
		if err != nil {
			s.fatal = err
		}
		s.mu.Unlock()
		s.client.AllowRebalance()
		if err != nil {
			return err
		}
		if target != nil {
			done, err := s.drained(ctx, target)
			if err != nil {
				return err
			}
			if done {
				return nil
			}
		}
	}
	return s.shutdown(ctx)
}

// process handles one poll's records, then writes buffers that fell due
// and commits what became durable.
func (s *Sink) process(ctx context.Context, fetches kgo.Fetches) error {
	now := s.opts.Now()
	for _, f := range fetches {
		for _, t := range f.Topics {
			for _, p := range t.Partitions {
				if p.Err != nil {
					if !errors.Is(p.Err, context.DeadlineExceeded) && !errors.Is(p.Err, context.Canceled) {
						s.log.Warn("fetch error", "partition", p.Partition, "err", p.Err)
					}
					continue
				}
				for _, rec := range p.Records {
					if err := s.consume(ctx, rec, now); err != nil {
						return err
					}
				}
			}
		}
	}
	if err := s.flushDue(ctx, now); err != nil {
		return err
	}
	return s.commit(ctx, -1)
}

// shutdown writes everything and commits after ctx is done, within
// ShutdownTimeout.
func (s *Sink) shutdown(ctx context.Context) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.ShutdownTimeout)
	defer cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.flushAll(sctx, -1, s.opts.Now()); err != nil {
		s.fatal = err
		return fmt.Errorf("lake: final flush: %w", err)
	}
	if err := s.commit(sctx, -1); err != nil {
		s.fatal = err
		return fmt.Errorf("lake: final commit: %w", err)
	}
	return nil
}
