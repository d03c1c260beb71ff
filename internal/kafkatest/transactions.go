package kafkatest

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// OpenTransaction reports whether a transaction writing topic is open: a
// partition's last stable offset is below its high watermark.
func OpenTransaction(ctx context.Context, adm *kadm.Client, topic string) bool {
	hwm, err := adm.ListEndOffsets(ctx, topic)
	if err != nil {
		return false
	}
	lso, err := adm.ListCommittedOffsets(ctx, topic)
	if err != nil {
		return false
	}
	open := false
	hwm.Each(func(o kadm.ListedOffset) {
		if l, ok := lso.Lookup(topic, o.Partition); ok && l.Offset < o.Offset {
			open = true
		}
	})
	return open
}

// DataRecords counts the data records of topic that a read_uncommitted
// consumer sees (committed, aborted and open transactions alike), up to
// the high watermarks as of the call. clientOpts reach the cluster.
func DataRecords(t testing.TB, clientOpts []kgo.Opt, topic string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admCl, err := kgo.NewClient(clientOpts...)
	if err != nil {
		t.Fatal(err)
	}
	defer admCl.Close()
	hwm, err := kadm.NewClient(admCl).ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	ends := map[int32]int64{}
	hwm.Each(func(o kadm.ListedOffset) { ends[o.Partition] = o.Offset })
	cl, err := kgo.NewClient(append(append([]kgo.Opt{}, clientOpts...),
		kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadUncommitted()), kgo.KeepControlRecords(),
		kgo.FetchMaxWait(100*time.Millisecond))...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	pos := map[int32]int64{}
	n := 0
	for {
		done := true
		for p, end := range ends {
			if pos[p] < end {
				done = false
			}
		}
		if done {
			return n
		}
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("kafkatest: read %s uncommitted: at %v of %v", topic, pos, ends)
		}
		fs.EachRecord(func(r *kgo.Record) {
			pos[r.Partition] = max(pos[r.Partition], r.Offset+1)
			if !r.Attrs.IsControl() {
				n++
			}
		})
	}
}
