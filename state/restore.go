package state

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

const (
	// idlePoll is how long a poll may return nothing before the end probe
	// runs (see HasRecordsBefore).
	idlePoll = time.Second
	// stablePoll is the interval between listings while waiting for open
	// transactions to end.
	stablePoll = 200 * time.Millisecond
)

// restoreTarget says where a restore starts and ends.
type restoreTarget struct {
	from int64 // next offset to read
	end  int64 // read_committed end offset to reach
	wipe bool  // the local data cannot be trusted and must be dropped first
}

// planRestore decides the range to replay for partition of topic, given the
// next offset the local database holds (-1 if it has no checkpoint).
func planRestore(ctx context.Context, adm *kadm.Client, topic string, partition int32, next int64) (restoreTarget, error) {
	ends, err := stableEnds(ctx, adm, topic, []int32{partition}, stablePoll)
	if err != nil {
		return restoreTarget{}, err
	}
	starts, err := startOffsets(ctx, adm, topic, []int32{partition})
	if err != nil {
		return restoreTarget{}, err
	}
	end, start := ends[partition], starts[partition]
	switch {
	case next < 0:
		// No checkpoint: whatever is stored is an interrupted first
		// commit or restore.
		return restoreTarget{from: start, end: end, wipe: true}, nil
	case next < start:
		// Records after the checkpoint were deleted from the
		// changelog, maybe deletes among them.
		return restoreTarget{from: start, end: end, wipe: true}, nil
	case next > end:
		// The checkpoint is past the end: the changelog was
		// recreated and the local data belongs to the old one.
		return restoreTarget{from: start, end: end, wipe: true}, nil
	}
	return restoreTarget{from: next, end: end}, nil
}

// replay reads partition of topic from from until end with a read_committed
// consumer and applies every record to d, together with the checkpoint, one
// fetch at a time. It returns the checkpoint written last (>= end).
//
// The consumer keeps control records so that a transaction marker at the
// very end of the partition moves the position to end; an empty tail left by
// compaction, which no consumer sees, is detected by HasRecordsBefore.
func replay(ctx context.Context, d *db, clientOpts []kgo.Opt, topic string, partition int32, from, end int64,
	checkpointKey []byte, tr *tracker, log *slog.Logger,
) (int64, error) {
	pos := from
	if pos >= end {
		return pos, nil
	}
	opts := append(append([]kgo.Opt{}, clientOpts...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: {partition: kgo.NewOffset().At(from)}}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(),
		kgo.ConsumeResetOffset(kgo.NoResetOffset()),
	)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return pos, fmt.Errorf("state: restore client for %s/%d: %w", topic, partition, err)
	}
	defer cl.Close()

	var skipped int64
	for pos < end {
		pollCtx, cancel := context.WithTimeout(ctx, idlePoll)
		fs := cl.PollFetches(pollCtx)
		cancel()
		if err := ctx.Err(); err != nil {
			return pos, fmt.Errorf("state: restore %s/%d: %w", topic, partition, err)
		}
		if err := fetchErr(fs); err != nil {
			return pos, fmt.Errorf("state: restore %s/%d: %w", topic, partition, err)
		}
		var recs []*kgo.Record
		fs.EachPartition(func(p kgo.FetchTopicPartition) {
			if p.Topic == topic && p.Partition == partition {
				recs = append(recs, p.Records...)
			}
		})
		if len(recs) == 0 {
			more, err := HasRecordsBefore(ctx, cl, topic, partition, pos, end)
			if err != nil {
				log.Debug("state: end probe failed, still consuming", "topic", topic, "partition", partition, "err", err)
			}
			if err == nil && !more {
				if err := d.apply(nil, []write{{key: checkpointKey, val: encodeOffset(end)}}); err != nil {
					return pos, err
				}
				pos = end
				tr.progress(partition, pos, 0)
			}
			continue
		}
		b := batchOf(recs)
		if err := d.apply(b.writes, []write{{key: checkpointKey, val: encodeOffset(b.next)}}); err != nil {
			return pos, err
		}
		pos = b.next
		skipped += b.skipped
		tr.progress(partition, pos, b.applied)
	}
	if skipped > 0 {
		log.Warn("state: changelog records without a key were skipped", "topic", topic, "partition", partition, "count", skipped)
	}
	return pos, nil
}

// fetchErr returns the first error of a poll that is not the poll's own
// timeout.
func fetchErr(fs kgo.Fetches) error {
	var first error
	fs.EachError(func(topic string, partition int32, err error) {
		if first != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return
		}
		first = fmt.Errorf("fetch %s/%d: %w", topic, partition, err)
	})
	return first
}
