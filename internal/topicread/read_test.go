package topicread

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/internal/kafkatest"
)

func TestAllReadsExactlyTheCommittedRecords(t *testing.T) {
	for _, kind := range []string{"kfake", "kafka"} {
		t.Run(kind, func(t *testing.T) {
			var seeds []string
			if kind == "kafka" {
				seeds = kafkatest.Brokers(t)
			} else {
				c, err := kfake.NewCluster(kfake.NumBrokers(1))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(c.Close)
				seeds = c.ListenAddrs()
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			opts := []kgo.Opt{kgo.SeedBrokers(seeds...)}
			topic := kafkatest.TopicName(t, "topicread")
			empty := kafkatest.TopicName(t, "topicread-empty")
			admCl, err := kgo.NewClient(opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer admCl.Close()
			if _, err := kadm.NewClient(admCl).CreateTopics(ctx, 3, 1, nil, topic, empty); err != nil {
				t.Fatal(err)
			}
			prod, err := kgo.NewClient(append(opts, kgo.TransactionalID(topic), kgo.DefaultProduceTopic(topic))...)
			if err != nil {
				t.Fatal(err)
			}
			defer prod.Close()
			txn := func(commit kgo.TransactionEndTry, values ...string) {
				if err := prod.BeginTransaction(); err != nil {
					t.Fatal(err)
				}
				for _, v := range values {
					if err := prod.ProduceSync(ctx, &kgo.Record{Key: []byte(v), Value: []byte(v)}).FirstErr(); err != nil {
						t.Fatal(err)
					}
				}
				if err := prod.EndTransaction(ctx, commit); err != nil {
					t.Fatal(err)
				}
			}
			txn(kgo.TryCommit, "a", "b", "c", "d")
			txn(kgo.TryAbort, "x", "y")
			txn(kgo.TryCommit, "e")
			txn(kgo.TryAbort, "z") // every partition may end with a marker

			got := map[string]int{}
			err = All(ctx, opts, []string{topic, empty}, func(r *kgo.Record) error {
				got[string(r.Value)]++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 5 || got["a"] != 1 || got["e"] != 1 || got["x"] != 0 || got["z"] != 0 {
				t.Fatalf("read %v, want a..e once each", got)
			}
			if err := All(ctx, opts, []string{"no-such-topic-" + topic}, func(*kgo.Record) error { return nil }); err == nil {
				t.Fatal("a missing topic is not an error")
			}
		})
	}
}
