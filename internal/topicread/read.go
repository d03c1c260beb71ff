package topicread

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/state"
)

// All calls fn for every committed record of topics, partition by
// partition in offset order, from the log start to the last stable offset
// as of the call. Control records are not passed to fn. A topic that does
// not exist is an error.
//
// A transaction its producer has just committed may still be above the
// last stable offset: the broker writes the commit markers after it
// answers the producer. All leaves such a transaction out; Settled waits
// for it.
func All(ctx context.Context, clientOpts []kgo.Opt, topics []string, fn func(*kgo.Record) error) error {
	return read(ctx, clientOpts, topics, fn, false)
}

// Settled is All up to the high watermark as of the call instead of the
// last stable offset: it waits until every transaction with records below
// it has ended, then passes on those that committed. It is what to read
// after a producer returned from its last commit, to count everything it
// wrote. An open transaction whose producer is gone holds it up until the
// broker aborts the transaction (its transaction timeout) or ctx ends.
func Settled(ctx context.Context, clientOpts []kgo.Opt, topics []string, fn func(*kgo.Record) error) error {
	return read(ctx, clientOpts, topics, fn, true)
}

func read(ctx context.Context, clientOpts []kgo.Opt, topics []string, fn func(*kgo.Record) error, settled bool) error {
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
	list := adm.ListCommittedOffsets
	if settled {
		list = adm.ListEndOffsets
	}
	ends, err := list(ctx, topics...)
	if err != nil {
		return fmt.Errorf("topicread: end offsets: %w", err)
	}
	for _, t := range topics {
		if _, ok := ends[t]; !ok {
			return fmt.Errorf("topicread: topic %s not found", t)
		}
	}
	want := map[string]map[int32]kgo.Offset{}
	left := map[string]map[int32]int64{} // end offset of partitions not done
	pos := map[string]map[int32]int64{}  // next offset to read
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
			want[o.Topic], left[o.Topic], pos[o.Topic] = map[int32]kgo.Offset{}, map[int32]int64{}, map[int32]int64{}
		}
		want[o.Topic][o.Partition] = kgo.NewOffset().At(s.Offset)
		left[o.Topic][o.Partition] = o.Offset
		pos[o.Topic][o.Partition] = s.Offset
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
			pos[r.Topic][r.Partition] = r.Offset + 1
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
			// Compaction can leave the tail below the end empty: no
			// record arrives although the position is short of the end.
			for t, parts := range left {
				for p, end := range parts {
					more, err := state.HasRecordsBefore(ctx, cl, t, p, pos[t][p], end)
					if err == nil && !more {
						delete(parts, p)
					}
				}
				if len(parts) == 0 {
					delete(left, t)
				}
			}
		}
	}
	return nil
}
