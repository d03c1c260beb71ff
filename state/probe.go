package state

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// probeMaxRounds bounds how many fetches one probe issues before giving up
// and answering "maybe" (true), which only makes the caller keep consuming.
const probeMaxRounds = 64

// HasRecordsBefore reports whether partition of topic holds any committed,
// non-control record at an offset in [from, end). cl is any client of the
// cluster; it is used for metadata and raw fetches only.
//
// A consumer never learns its fetch position when the records it skips are
// not returned to it: kgo silently steps over empty batches that compaction
// leaves behind, so a consumer that has read every record below end can wait
// forever for a position it cannot observe. This answers the question with
// raw read_committed fetches, whose processing returns the exact next offset.
// It errs on the side of true: false is only returned when the broker's
// answer proves there is nothing left to read below end.
func HasRecordsBefore(ctx context.Context, cl *kgo.Client, topic string, partition int32, from, end int64) (bool, error) {
	if from >= end {
		return false, nil
	}
	adm := kadm.NewClient(cl)
	md, err := adm.Metadata(ctx, topic)
	if err != nil {
		return true, fmt.Errorf("state: metadata of %s: %w", topic, err)
	}
	td, ok := md.Topics[topic]
	if !ok || td.Err != nil {
		return true, fmt.Errorf("state: metadata of %s: %w", topic, errors.Join(td.Err, errors.New("topic not found")))
	}
	pd, ok := td.Partitions[partition]
	if !ok || pd.Leader < 0 {
		return true, fmt.Errorf("state: no leader for %s/%d", topic, partition)
	}
	broker := cl.Broker(int(pd.Leader))

	for range probeMaxRounds {
		req := kmsg.NewPtrFetchRequest()
		req.MaxWaitMillis = 0
		req.MinBytes = 1
		req.MaxBytes = 4 << 20
		req.IsolationLevel = 1 // read_committed
		rt := kmsg.NewFetchRequestTopic()
		rt.Topic = topic
		rt.TopicID = td.ID
		rp := kmsg.NewFetchRequestTopicPartition()
		rp.Partition = partition
		rp.FetchOffset = from
		rp.PartitionMaxBytes = 4 << 20
		rt.Partitions = append(rt.Partitions, rp)
		req.Topics = append(req.Topics, rt)

		resp, err := req.RequestWith(ctx, broker)
		if err != nil {
			return true, fmt.Errorf("state: probe fetch %s/%d: %w", topic, partition, err)
		}
		if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
			return true, fmt.Errorf("state: probe fetch %s/%d: %w", topic, partition, err)
		}
		var part *kmsg.FetchResponseTopicPartition
		for i := range resp.Topics {
			for j := range resp.Topics[i].Partitions {
				if resp.Topics[i].Partitions[j].Partition == partition {
					part = &resp.Topics[i].Partitions[j]
				}
			}
		}
		if part == nil {
			return true, fmt.Errorf("state: probe fetch %s/%d: partition missing from response", topic, partition)
		}
		if err := kerr.ErrorForCode(part.ErrorCode); err != nil {
			return true, fmt.Errorf("state: probe fetch %s/%d: %w", topic, partition, err)
		}
		fp, next := kgo.ProcessFetchPartition(kgo.ProcessFetchPartitionOpts{
			Offset:         from,
			IsolationLevel: kgo.ReadCommitted(),
			Topic:          topic,
			Partition:      partition,
		}, part, kgo.DefaultDecompressor(), nil)
		if fp.Err != nil {
			return true, fmt.Errorf("state: probe fetch %s/%d: %w", topic, partition, fp.Err)
		}
		for _, r := range fp.Records {
			if r.Offset < end {
				return true, nil
			}
		}
		switch {
		case next >= end:
			// Everything below end was stepped over.
			return false, nil
		case next > from:
			from = next
		case len(part.RecordBatches) == 0 && part.LastStableOffset <= from && part.HighWatermark <= from:
			// Nothing at or after from, committed or not. (Records
			// of a transaction still open may yet commit.)
			return false, nil
		default:
			// No progress for another reason (throttling, a
			// misbehaving broker): do not guess.
			return true, nil
		}
	}
	return true, nil
}
