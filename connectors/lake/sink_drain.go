package lake

import (
	"context"
	"fmt"
	"time"
)

// drainCheckEvery spaces the group offset look-ups of Drain.
const drainCheckEvery = 200 * time.Millisecond

// drainTarget is the end of the topic when Drain started.
type drainTarget struct {
	end       map[int32]int64
	start     map[int32]int64
	lastCheck time.Time
}

func (s *Sink) drainTarget(ctx context.Context) (*drainTarget, error) {
	ends, err := s.admin.ListEndOffsets(ctx, s.opts.Topic)
	if err != nil {
		return nil, fmt.Errorf("lake: list end offsets: %w", err)
	}
	starts, err := s.admin.ListStartOffsets(ctx, s.opts.Topic)
	if err != nil {
		return nil, fmt.Errorf("lake: list start offsets: %w", err)
	}
	t := &drainTarget{end: map[int32]int64{}, start: map[int32]int64{}}
	if len(ends[s.opts.Topic]) == 0 {
		return nil, fmt.Errorf("lake: topic %s not found", s.opts.Topic)
	}
	for p, o := range ends[s.opts.Topic] {
		if o.Err != nil {
			return nil, fmt.Errorf("lake: end offset of %s/%d: %w", s.opts.Topic, p, o.Err)
		}
		t.end[p] = o.Offset
	}
	for p, o := range starts[s.opts.Topic] {
		if o.Err != nil {
			return nil, fmt.Errorf("lake: start offset of %s/%d: %w", s.opts.Topic, p, o.Err)
		}
		t.start[p] = o.Offset
	}
	return t, nil
}

// drained reports whether the group has caught up with the target. Once
// every partition this member owns is read up to its end offset (its
// position counts transaction markers, so a trailing commit or abort
// marker does not hold it back), it writes and commits everything, then
// asks the group coordinator whether every partition's committed offset
// has reached the end: other members may still be working on theirs.
func (s *Sink) drained(ctx context.Context, t *drainTarget) (bool, error) {
	s.mu.Lock()
	caught := true
	known := s.client.CommittedOffsets()[s.opts.Topic] // known once the group fetched them
	for p, kp := range s.parts {
		if c, ok := known[p]; ok && c.Offset > kp.committed {
			kp.committed = c.Offset
		}
		end, ok := t.end[p]
		if !ok {
			continue // created after Drain started
		}
		if kp.position >= end || kp.committed >= end || t.start[p] >= end {
			continue
		}
		caught = false
	}
	if !caught {
		s.mu.Unlock()
		return false, nil
	}
	work := context.WithoutCancel(ctx) // see run
	now := s.opts.Now()
	err := s.flushAll(work, -1, now)
	if err == nil {
		err = s.commit(work, -1)
	}
	if err != nil {
		s.fatal = err
	}
	s.mu.Unlock()
	if err != nil {
		return false, err
	}
	if time.Since(t.lastCheck) < drainCheckEvery {
		return false, nil
	}
	t.lastCheck = time.Now()
	committed, err := s.admin.FetchOffsets(ctx, s.opts.Group)
	if err != nil {
		return false, fmt.Errorf("lake: fetch group offsets: %w", err)
	}
	for p, end := range t.end {
		if t.start[p] >= end {
			continue
		}
		c, ok := committed.Lookup(s.opts.Topic, p)
		if !ok || c.Err != nil || c.At < end {
			return false, nil
		}
	}
	return true, nil
}
