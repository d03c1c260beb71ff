package runtime

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// probeRounds bounds the fetches of one probe; past it the probe answers
// "maybe", which only makes the caller look again later.
const probeRounds = 32

// recordsBefore reports whether partition of topic holds a committed data
// record at an offset in [from, end).
//
// A group's committed offset stops after the last record it processed,
// while the end offset also counts transaction markers (and records of
// aborted transactions) after it; no consumer sees those, so the gap cannot
// be observed by consuming. Raw read_committed fetches answer it: kgo's
// fetch processing returns the offset after everything it stepped over.
// The answer errs towards true.
func recordsBefore(ctx context.Context, cl *kgo.Client, topic string, partition int32, from, end int64) (bool, error) {
	if from >= end {
		return false, nil
	}
	md, err := kadm.NewClient(cl).Metadata(ctx, topic)
	if err != nil {
		return true, fmt.Errorf("metadata of %s: %w", topic, err)
	}
	td, ok := md.Topics[topic]
	if !ok || td.Err != nil {
		return true, fmt.Errorf("metadata of %s: %w", topic, errors.Join(td.Err, errors.New("topic not found")))
	}
	pd, ok := td.Partitions[partition]
	if !ok || pd.Leader < 0 {
		return true, fmt.Errorf("no leader for %s/%d", topic, partition)
	}
	broker := cl.Broker(int(pd.Leader))

	for range probeRounds {
		part, err := fetchOnce(ctx, broker, topic, td.ID, partition, from)
		if err != nil {
			return true, err
		}
		fp, next := kgo.ProcessFetchPartition(kgo.ProcessFetchPartitionOpts{
			Offset:         from,
			IsolationLevel: kgo.ReadCommitted(),
			Topic:          topic,
			Partition:      partition,
		}, part, kgo.DefaultDecompressor(), nil)
		if fp.Err != nil {
			return true, fmt.Errorf("probe %s/%d: %w", topic, partition, fp.Err)
		}
		for _, rec := range fp.Records {
			if rec.Offset < end {
				return true, nil
			}
		}
		switch {
		case next >= end:
			return false, nil
		case next > from:
			from = next
		case len(part.RecordBatches) == 0 && part.LastStableOffset <= from:
			return false, nil
		default:
			return true, nil
		}
	}
	return true, nil
}

// fetchOnce issues one read_committed fetch of partition at offset from
// that does not wait for data.
func fetchOnce(ctx context.Context, broker *kgo.Broker, topic string, id [16]byte, partition int32, from int64) (*kmsg.FetchResponseTopicPartition, error) {
	req := kmsg.NewPtrFetchRequest()
	req.MaxWaitMillis = 0
	req.MinBytes = 1
	req.MaxBytes = 1 << 20
	req.IsolationLevel = 1 // read_committed
	rt := kmsg.NewFetchRequestTopic()
	rt.Topic = topic
	rt.TopicID = id
	rp := kmsg.NewFetchRequestTopicPartition()
	rp.Partition = partition
	rp.FetchOffset = from
	rp.PartitionMaxBytes = 1 << 20
	rt.Partitions = append(rt.Partitions, rp)
	req.Topics = append(req.Topics, rt)

	resp, err := req.RequestWith(ctx, broker)
	if err != nil {
		return nil, fmt.Errorf("probe fetch %s/%d: %w", topic, partition, err)
	}
	if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
		return nil, fmt.Errorf("probe fetch %s/%d: %w", topic, partition, err)
	}
	for i := range resp.Topics {
		for j := range resp.Topics[i].Partitions {
			p := &resp.Topics[i].Partitions[j]
			if p.Partition != partition {
				continue
			}
			if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
				return nil, fmt.Errorf("probe fetch %s/%d: %w", topic, partition, err)
			}
			return p, nil
		}
	}
	return nil, fmt.Errorf("probe fetch %s/%d: partition missing from the response", topic, partition)
}
