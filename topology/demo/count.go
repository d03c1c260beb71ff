package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/lake"
	"github.com/ledgerline/ledgerline/topology"
)

// countAlerts reads drift-alerts and drift-review to their end
// (read_committed) and counts distinct alerts: an alert's later records
// update its count, they are not new alerts.
func countAlerts(ctx context.Context, clientOpts []kgo.Opt, sum *Summary) error {
	codecs, err := avro.NewCodecs()
	if err != nil {
		return err
	}
	kinds := map[string]string{}
	review := map[string]bool{}
	err = readAll(ctx, clientOpts, []string{topology.TopicDriftAlerts, topology.TopicDriftReview}, func(r *kgo.Record) error {
		a, err := codecs.Alert.Decode(r.Value)
		if err != nil {
			return err
		}
		if r.Topic == topology.TopicDriftReview {
			review[a.AlertID] = true
		} else {
			kinds[a.AlertID] = a.Kind
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo: read alerts: %w", err)
	}
	for _, k := range kinds {
		sum.DriftAlerts++
		sum.DriftAlertsByKind[k]++
	}
	sum.ReviewQueue = int64(len(review))
	return nil
}

// readAll calls fn for every committed record of topics, up to their last
// stable offsets.
func readAll(ctx context.Context, clientOpts []kgo.Opt, topics []string, fn func(*kgo.Record) error) error {
	cl, err := kgo.NewClient(append(append([]kgo.Opt{}, clientOpts...),
		kgo.ConsumeTopics(topics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords())...)
	if err != nil {
		return err
	}
	defer cl.Close()
	ends, err := kadm.NewClient(cl).ListCommittedOffsets(ctx, topics...)
	if err != nil {
		return err
	}
	left := map[string]map[int32]int64{}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Offset > 0 {
			if left[o.Topic] == nil {
				left[o.Topic] = map[int32]int64{}
			}
			left[o.Topic][o.Partition] = o.Offset
		}
	})
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for len(left) > 0 {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return err
		}
		var ferr error
		fs.EachRecord(func(r *kgo.Record) {
			if end, ok := left[r.Topic][r.Partition]; ok && r.Offset >= end-1 {
				delete(left[r.Topic], r.Partition)
				if len(left[r.Topic]) == 0 {
					delete(left, r.Topic)
				}
			}
			if r.Attrs.IsControl() || ferr != nil {
				return
			}
			ferr = fn(r)
		})
		if ferr != nil {
			return ferr
		}
	}
	return nil
}

// countLake counts the live files and rows of the lake, as a reader
// following the manifests sees them: an unfiltered query reads them all.
func countLake(ctx context.Context, root string, sum *Summary) error {
	res, err := lake.Query(ctx, root, lake.QuerySpec{})
	if err != nil {
		return fmt.Errorf("demo: read lake: %w", err)
	}
	for _, t := range res.Totals {
		sum.LakeRows += t.Rows
	}
	sum.LakeFiles = int64(res.Stats.Files)
	return nil
}
