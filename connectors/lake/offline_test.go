package lake

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
)

// writeOffline feeds events to a sink without Kafka, round-robin over
// partitions, and writes everything out.
func writeOffline(t testing.TB, opts Options, events []avro.EnrichedUsageEvent, partitions int32) Stats {
	t.Helper()
	s, err := newSinkCore(opts)
	if err != nil {
		t.Fatal(err)
	}
	recs := encodeRecords(t, s.opts.Topic, events, partitions)
	ctx := context.Background()
	for p := int32(0); p < partitions; p++ {
		s.parts[p] = &kpart{position: -1, epoch: -1, committed: -1}
	}
	now := time.Now()
	for _, r := range recs {
		if err := s.consume(ctx, r, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.flushAll(ctx, -1, now); err != nil {
		t.Fatal(err)
	}
	return s.stats
}

func encodeRecords(t testing.TB, topic string, events []avro.EnrichedUsageEvent, partitions int32) []*kgo.Record {
	t.Helper()
	codecs, err := avro.NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	next := make([]int64, partitions)
	out := make([]*kgo.Record, 0, len(events))
	for i := range events {
		v, err := codecs.Enriched.Encode(&events[i])
		if err != nil {
			t.Fatal(err)
		}
		p := int32(i) % partitions
		out = append(out, &kgo.Record{Topic: topic, Partition: p, Offset: next[p], Value: v, LeaderEpoch: 0})
		next[p]++
	}
	return out
}
