package topicread

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/internal/kafkatest"
)

// fixture is a topic with a transactional producer writing it.
type fixture struct {
	t      *testing.T
	ctx    context.Context
	opts   []kgo.Opt
	topic  string   // the producer's
	topics []string // all of them
	prod   *kgo.Client
}

// newFixture creates topics (partitions each) on a cluster of kind; the
// producer writes the first.
func newFixture(t *testing.T, kind string, partitions int32, bases ...string) *fixture {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	opts := []kgo.Opt{kgo.SeedBrokers(kafkatest.Cluster(t, kind)...)}
	topics := make([]string, len(bases))
	for i, b := range bases {
		topics[i] = kafkatest.TopicName(t, b)
	}
	admCl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer admCl.Close()
	if _, err := kadm.NewClient(admCl).CreateTopics(ctx, partitions, 1, nil, topics...); err != nil {
		t.Fatal(err)
	}
	prod, err := kgo.NewClient(append(opts, kgo.TransactionalID(topics[0]), kgo.DefaultProduceTopic(topics[0]))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(prod.Close)
	return &fixture{t: t, ctx: ctx, opts: opts, topic: topics[0], topics: topics, prod: prod}
}

func (f *fixture) begin(values ...string) {
	f.t.Helper()
	if err := f.prod.BeginTransaction(); err != nil {
		f.t.Fatal(err)
	}
	for _, v := range values {
		if err := f.prod.ProduceSync(f.ctx, &kgo.Record{Key: []byte(v), Value: []byte(v)}).FirstErr(); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *fixture) end(commit kgo.TransactionEndTry) {
	f.t.Helper()
	if err := f.prod.EndTransaction(f.ctx, commit); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) txn(commit kgo.TransactionEndTry, values ...string) {
	f.t.Helper()
	f.begin(values...)
	f.end(commit)
}

type reader func(context.Context, []kgo.Opt, []string, func(*kgo.Record) error) error

// read returns how many times read passed on each value of topics.
func (f *fixture) read(read reader, topics ...string) (map[string]int, error) {
	got := map[string]int{}
	err := read(f.ctx, f.opts, topics, func(r *kgo.Record) error {
		got[string(r.Value)]++
		return nil
	})
	return got, err
}

func TestAllReadsExactlyTheCommittedRecords(t *testing.T) {
	for _, kind := range []string{"kfake", "kafka"} {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, 3, "topicread", "topicread-empty")
			f.txn(kgo.TryCommit, "a", "b", "c", "d")
			f.txn(kgo.TryAbort, "x", "y")
			f.txn(kgo.TryCommit, "e")
			f.txn(kgo.TryAbort, "z") // every partition may end with a marker

			got, err := f.read(All, f.topics...)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 5 || got["a"] != 1 || got["e"] != 1 || got["x"] != 0 || got["z"] != 0 {
				t.Fatalf("read %v, want a..e once each", got)
			}
			if _, err := f.read(All, "no-such-topic-"+f.topic); err == nil {
				t.Fatal("a missing topic is not an error")
			}
		})
	}
}

// Settled passes on a transaction open at the call once it commits, where
// All leaves it out.
func TestSettledWaitsForTransactionsOpenAtTheCall(t *testing.T) {
	for _, kind := range []string{"kfake", "kafka"} {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, 2, "topicread-settled")
			f.txn(kgo.TryCommit, "a", "b")
			f.begin("p", "q", "r")

			now, err := f.read(All, f.topic)
			if err != nil {
				t.Fatal(err)
			}
			if len(now) != 2 || now["a"] != 1 || now["b"] != 1 {
				t.Fatalf("All with a transaction open read %v, want a and b", now)
			}

			type result struct {
				got map[string]int
				err error
			}
			settled := make(chan result, 1)
			go func() {
				got, err := f.read(Settled, f.topic)
				settled <- result{got, err}
			}()
			select {
			case r := <-settled:
				t.Fatalf("Settled returned %v, %v while the transaction was open", r.got, r.err)
			case <-time.After(2500 * time.Millisecond): // past two empty polls
			}
			f.end(kgo.TryCommit)
			f.txn(kgo.TryCommit, "late") // after the call: not read
			r := <-settled
			if r.err != nil {
				t.Fatal(r.err)
			}
			if len(r.got) != 5 || r.got["p"] != 1 || r.got["r"] != 1 || r.got["late"] != 0 {
				t.Fatalf("Settled read %v, want a, b, p, q and r once each", r.got)
			}
		})
	}
}
