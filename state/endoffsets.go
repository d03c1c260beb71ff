package state

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
)

// stableEnds returns the read_committed end offset of each partition of
// topic (all partitions when partitions is empty): the offset a restore or
// catch-up must reach.
//
// It first lists the high watermarks, then lists the last stable offsets
// until each is at least its high watermark. A transaction still open at the
// start therefore ends (commit or abort, at worst by the broker's transaction
// timeout) before the target is fixed, and committed records of a previous
// owner's last transaction are never left behind the target. Polls every
// interval until ctx ends.
func stableEnds(ctx context.Context, adm *kadm.Client, topic string, partitions []int32, interval time.Duration) (map[int32]int64, error) {
	hwms, err := listOffsets(ctx, adm.ListEndOffsets, topic, partitions)
	if err != nil {
		return nil, err
	}
	for {
		lsos, err := listOffsets(ctx, adm.ListCommittedOffsets, topic, partitions)
		if err != nil {
			return nil, err
		}
		stable := true
		for p, hwm := range hwms {
			lso, ok := lsos[p]
			if !ok || lso < hwm {
				stable = false
			}
		}
		if stable {
			out := make(map[int32]int64, len(hwms))
			for p := range hwms {
				out[p] = lsos[p]
			}
			return out, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("state: waiting for open transactions on %s to end: %w", topic, ctx.Err())
		case <-time.After(interval):
		}
	}
}

// startOffsets returns the log start offset of each requested partition.
func startOffsets(ctx context.Context, adm *kadm.Client, topic string, partitions []int32) (map[int32]int64, error) {
	return listOffsets(ctx, adm.ListStartOffsets, topic, partitions)
}

type listFunc func(ctx context.Context, topics ...string) (kadm.ListedOffsets, error)

// metadataSettle bounds how long listOffsets retries a topic or partition
// the cluster does not know yet: a topic created a moment ago (a changelog
// the runtime just created or grew) can be missing from a broker's
// metadata for a while.
const metadataSettle = 30 * time.Second

// listOffsets runs list for topic and returns the offsets of the requested
// partitions (all when partitions is empty), failing if any is missing.
// Retriable errors (an unknown topic or partition, no leader yet) are
// retried for up to metadataSettle.
func listOffsets(ctx context.Context, list listFunc, topic string, partitions []int32) (map[int32]int64, error) {
	deadline := time.Now().Add(metadataSettle)
	wait := 50 * time.Millisecond
	for {
		out, err := listOffsetsOnce(ctx, list, topic, partitions)
		if err == nil || !retriable(err) || time.Now().After(deadline) {
			return out, err
		}
		select {
		case <-ctx.Done():
			return nil, errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
	}
}

// errNotYetKnown marks a topic or partition missing from a listing.
var errNotYetKnown = errors.New("not known to the cluster (yet)")

func retriable(err error) bool {
	return errors.Is(err, errNotYetKnown) || kerr.IsRetriable(err)
}

func listOffsetsOnce(ctx context.Context, list listFunc, topic string, partitions []int32) (map[int32]int64, error) {
	listed, err := list(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("state: list offsets of %s: %w", topic, err)
	}
	byPart, ok := listed[topic]
	if !ok {
		return nil, fmt.Errorf("state: list offsets of %s: topic %w", topic, errNotYetKnown)
	}
	out := make(map[int32]int64, len(byPart))
	for p, lo := range byPart {
		if lo.Err != nil {
			return nil, fmt.Errorf("state: list offsets of %s/%d: %w", topic, p, lo.Err)
		}
		out[p] = lo.Offset
	}
	if len(partitions) == 0 {
		return out, nil
	}
	want := make(map[int32]int64, len(partitions))
	for _, p := range partitions {
		o, ok := out[p]
		if !ok {
			return nil, fmt.Errorf("state: list offsets of %s: partition %d %w", topic, p, errNotYetKnown)
		}
		want[p] = o
	}
	return want, nil
}
