package lake

import (
	"context"

	"github.com/twmb/franz-go/pkg/kgo"
)

// The callbacks run serialised with batch processing (BlockRebalanceOnPoll)
// and additionally take mu.

func (s *Sink) onAssigned(_ context.Context, cl *kgo.Client, assigned map[string][]int32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	committed := cl.CommittedOffsets()[s.opts.Topic]
	for _, p := range assigned[s.opts.Topic] {
		s.dropPartition(p)
		kp := &kpart{position: -1, epoch: -1, committed: -1}
		if c, ok := committed[p]; ok {
			kp.committed = c.Offset
		}
		s.parts[p] = kp
	}
	s.log.Info("partitions assigned", "partitions", assigned[s.opts.Topic])
}

// onRevoked writes and commits what the revoked partitions buffered, so the
// next owner starts where this member stopped.
func (s *Sink) onRevoked(ctx context.Context, _ *kgo.Client, revoked map[string][]int32) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.ShutdownTimeout)
	defer cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	for _, p := range revoked[s.opts.Topic] {
		if s.fatal == nil && !s.closing {
			if err := s.flushAll(ctx, p, now); err != nil {
				s.fatal = err
			} else if err := s.commit(ctx, p); err != nil {
				s.fatal = err
			}
		}
		s.dropPartition(p)
	}
	s.log.Info("partitions revoked", "partitions", revoked[s.opts.Topic])
}

// onLost forgets the lost partitions without writing: another member may
// own them already. Anything such a late write could add is caught by the
// manifest fence anyway.
func (s *Sink) onLost(_ context.Context, _ *kgo.Client, lost map[string][]int32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range lost[s.opts.Topic] {
		s.dropPartition(p)
	}
	s.log.Warn("partitions lost", "partitions", lost[s.opts.Topic])
}
