package lake

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// bufKey identifies a buffer: the rows of one Kafka partition that belong to
// one lake partition. Each buffer becomes one file named after its offsets.
type bufKey struct {
	lake      string
	partition int32
}

type buffer struct {
	key        bufKey
	values     map[string]string // unescaped partition values
	rows       []record
	bytes      int64
	first      int64 // offset of the first buffered row
	firstEpoch int32
	last       int64
	opened     time.Time // wall clock at the first row
	lastAppend time.Time
}

// consume takes one fetched record into the buffers.
func (s *Sink) consume(ctx context.Context, rec *kgo.Record, now time.Time) error {
	kp := s.parts[rec.Partition]
	if kp == nil {
		return nil // not ours (any more)
	}
	kp.position = rec.Offset + 1
	kp.epoch = rec.LeaderEpoch
	if rec.Attrs.IsControl() {
		return nil
	}
	r, err := s.decode(rec)
	if err != nil {
		if herr := s.opts.OnUndecodable(rec, err); herr != nil {
			return fmt.Errorf("lake: %s/%d@%d: %w", rec.Topic, rec.Partition, rec.Offset, herr)
		}
		s.stats.Undecodable++
		s.log.Warn("skipped undecodable record", "partition", rec.Partition, "offset", rec.Offset, "err", err)
		return nil
	}
	key := bufKey{lake: partitionPath(s.opts.PartitionKeys, &r), partition: rec.Partition}
	fence, err := s.fence(ctx, key)
	if err != nil {
		return err
	}
	if rec.Offset <= fence {
		s.stats.Replayed++
		return nil
	}
	b := s.buffers[key]
	if b == nil {
		b = &buffer{key: key, values: s.values(&r), first: rec.Offset, firstEpoch: rec.LeaderEpoch, opened: now}
		s.buffers[key] = b
	}
	b.rows = append(b.rows, r)
	b.bytes += r.sizeEstimate()
	b.last = rec.Offset
	b.lastAppend = now
	s.buffered++
	if len(b.rows) >= s.opts.RollRows || b.bytes >= s.opts.RollBytes {
		if err := s.flush(ctx, b, now); err != nil {
			return err
		}
	}
	for s.buffered > s.opts.MaxBufferedRows {
		if err := s.flush(ctx, s.largest(), now); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sink) decode(rec *kgo.Record) (record, error) {
	ev, err := s.codecs.Enriched.Decode(rec.Value)
	if err != nil {
		return record{}, err
	}
	return fromEnriched(&ev, rec.Topic, rec.Partition, rec.Offset)
}

func (s *Sink) values(r *record) map[string]string {
	m := make(map[string]string, len(s.opts.PartitionKeys))
	for _, k := range s.opts.PartitionKeys {
		m[string(k)] = keyValue(k, r)
	}
	return m
}

// fence returns the highest offset of key's Kafka partition already in
// key's lake partition, reading the manifest on first use.
func (s *Sink) fence(ctx context.Context, key bufKey) (int64, error) {
	if hw, ok := s.fences[key]; ok {
		return hw, nil
	}
	m, _, err := loadManifest(ctx, s.store, key.lake)
	if err != nil {
		return 0, err
	}
	hw := m.highWater(s.opts.Topic, key.partition)
	s.fences[key] = hw
	return hw, nil
}

func (s *Sink) largest() *buffer {
	var best *buffer
	for _, b := range s.sortedBuffers() {
		if best == nil || len(b.rows) > len(best.rows) {
			best = b
		}
	}
	return best
}

// sortedBuffers returns the buffers in a stable order.
func (s *Sink) sortedBuffers() []*buffer {
	out := make([]*buffer, 0, len(s.buffers))
	for _, b := range s.buffers {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b *buffer) int {
		if c := cmp.Compare(a.key.partition, b.key.partition); c != 0 {
			return c
		}
		return cmp.Compare(a.key.lake, b.key.lake)
	})
	return out
}

// deadline is when b must be written even without more rows.
func (s *Sink) deadline(b *buffer) time.Time {
	roll := b.opened.Add(s.opts.RollInterval)
	idle := b.lastAppend.Add(s.opts.IdleTimeout)
	if idle.Before(roll) {
		return idle
	}
	return roll
}

// flushDue writes every buffer whose deadline has passed.
func (s *Sink) flushDue(ctx context.Context, now time.Time) error {
	for _, b := range s.sortedBuffers() {
		if !now.Before(s.deadline(b)) {
			if err := s.flush(ctx, b, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// flushAll writes every buffer (of one Kafka partition when only >= 0).
func (s *Sink) flushAll(ctx context.Context, only int32, now time.Time) error {
	for _, b := range s.sortedBuffers() {
		if only >= 0 && b.key.partition != only {
			continue
		}
		if err := s.flush(ctx, b, now); err != nil {
			return err
		}
	}
	return nil
}

// pollWait is how long a poll may block before a buffer falls due.
func (s *Sink) pollWait(now time.Time, limit time.Duration) time.Duration {
	wait := limit
	for _, b := range s.buffers {
		if d := s.deadline(b).Sub(now); d < wait {
			wait = d
		}
	}
	return max(wait, 0) + time.Millisecond
}

// dropPartition forgets the buffers and state of a Kafka partition that is
// no longer ours.
func (s *Sink) dropPartition(p int32) {
	for k, b := range s.buffers {
		if k.partition == p {
			s.buffered -= len(b.rows)
			delete(s.buffers, k)
		}
	}
	for k := range s.fences {
		if k.partition == p {
			delete(s.fences, k)
		}
	}
	delete(s.parts, p)
}
