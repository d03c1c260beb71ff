package topicread

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// idleLimit is how many consecutive empty polls of a second end the read
// of partitions that have not reached their end: the tail of a compacted
// partition whose active segment is empty is never delivered. Live
// transaction markers sit in the active segment and always arrive (control
// records are kept), so a partition silent this long has nothing left.
const idleLimit = 5

// All calls fn for every committed record of topics, partition by
// partition in offset order, from the log start to the last stable offset
// as of the call. Control records are not passed to fn. A topic that does
// not exist is an error.
func All(ctx context.Context, clientOpts []kgo.Opt, topics []string, fn func(*kgo.Record) error) error {
	admCl, err := kgo.NewClient(clientOpts...)
	if err != nil {
		return fmt.Errorf("topicread: client: %w", err)
	}
	defer admCl.Close()
	adm := kadm.NewClient(admCl)
	starts, err := adm.ListStartOffsets(ctx, topics...)
	if err != nil {
		return fmt.Errorf("topicread: start offsets: %w", err)
	}
	ends, err := adm.ListCommittedOffsets(ctx, topics...)
	if err != nil {
		return fmt.Errorf("topicread: end offsets: %w", err)
	}
	for _, t := range topics {
		if _, ok := ends[t]; !ok {
			return fmt.Errorf("topicread: topic %s not found", t)
		}
	}
	want := map[string]map[int32]kgo.Offset{}
	left := map[string]map[int32]int64{}
	var lerr error
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err != nil {
			if lerr == nil {
				lerr = fmt.Errorf("topicread: %s/%d: %w", o.Topic, o.Partition, o.Err)
			}
			return
		}
		s, _ := starts.Lookup(o.Topic, o.Partition)
		if o.Offset <= s.Offset {
			return
		}
		if want[o.Topic] == nil {
			want[o.Topic], left[o.Topic] = map[int32]kgo.Offset{}, map[int32]int64{}
		}
		want[o.Topic][o.Partition] = kgo.NewOffset().At(s.Offset)
		left[o.Topic][o.Partition] = o.Offset
	})
	if lerr != nil {
		return lerr
	}
	if len(want) == 0 {
		return nil
	}
	cl, err := kgo.NewClient(append(append([]kgo.Opt{}, clientOpts...),
		kgo.ConsumePartitions(want),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(),
	)...)
	if err != nil {
		return fmt.Errorf("topicread: consumer: %w", err)
	}
	defer cl.Close()
	idle := 0
	for len(left) > 0 {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		fs := cl.PollFetches(pctx)
		cancel()
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("topicread: %w", err)
		}
		var ferr error
		fs.EachError(func(t string, p int32, err error) {
			if ferr == nil && pctx.Err() == nil {
				ferr = fmt.Errorf("topicread: fetch %s/%d: %w", t, p, err)
			}
		})
		if ferr != nil {
			return ferr
		}
		n := 0
		fs.EachRecord(func(r *kgo.Record) {
			n++
			if end, ok := left[r.Topic][r.Partition]; ok && r.Offset >= end-1 {
				delete(left[r.Topic], r.Partition)
				if len(left[r.Topic]) == 0 {
					delete(left, r.Topic)
				}
			}
			if r.Attrs.IsControl() || ferr != nil {
				return
			}
			if end, ok := ends.Lookup(r.Topic, r.Partition); ok && r.Offset >= end.Offset {
				return // past the end as of the call
			}
			ferr = fn(r)
		})
		if ferr != nil {
			return ferr
		}
		if n == 0 {
			if idle++; idle >= idleLimit {
				return nil
			}
		} else {
			idle = 0
		}
	}
	return nil
}
