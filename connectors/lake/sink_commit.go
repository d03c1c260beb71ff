package lake

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// watermark is the offset that may be committed for an owned partition:
// the first buffered (not yet durable) offset, or the position when nothing
// is buffered. Everything below it is in a published, listed file, was
// already in the lake, or is not data (transaction markers, aborted
// records).
func (s *Sink) watermark(p int32, kp *kpart) kgo.EpochOffset {
	wm := kgo.EpochOffset{Epoch: kp.epoch, Offset: kp.position}
	for _, b := range s.buffers {
		if b.key.partition == p && b.first < wm.Offset {
			wm = kgo.EpochOffset{Epoch: b.firstEpoch, Offset: b.first}
		}
	}
	return wm
}

// commit commits the watermark of every owned partition that advanced
// (only partition p when p >= 0). A failed commit is not fatal: the data is
// durable, a later commit covers it, and a new owner skips what the lake
// already has. A failing beforeCommit hook is fatal.
func (s *Sink) commit(ctx context.Context, only int32) error {
	offsets := map[int32]kgo.EpochOffset{}
	for p, kp := range s.parts {
		if kp.position < 0 || (only >= 0 && p != only) {
			continue
		}
		if wm := s.watermark(p, kp); wm.Offset > kp.committed {
			offsets[p] = wm
		}
	}
	if len(offsets) == 0 {
		return nil
	}
	if s.opts.beforeCommit != nil {
		if err := s.opts.beforeCommit("kafka offset commit"); err != nil {
			return err
		}
	}
	var cerr error
	s.client.CommitOffsetsSync(ctx, map[string]map[int32]kgo.EpochOffset{s.opts.Topic: offsets},
		func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
			if err != nil {
				cerr = err
				return
			}
			for _, t := range resp.Topics {
				for _, p := range t.Partitions {
					if e := kerr.ErrorForCode(p.ErrorCode); e != nil {
						cerr = errors.Join(cerr, fmt.Errorf("partition %d: %w", p.Partition, e))
						continue
					}
					if kp := s.parts[p.Partition]; kp != nil {
						kp.committed = offsets[p.Partition].Offset
					}
				}
			}
		})
	if cerr != nil {
		s.log.Warn("offset commit failed; a later commit will cover it", "err", cerr)
		return nil
	}
	s.stats.Commits++
	return nil
}
