package state

import (
	"context"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/kafkatest"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// cluster is a Kafka cluster a test runs against: kfake in process, or the
// real broker of deploy/kafka.
type cluster struct {
	opts []kgo.Opt // how to reach it
	adm  *kadm.Client
}

// onBoth runs fn against kfake and, as subtest "kafka", against the real
// broker (skipped without LEDGERLINE_KAFKA_BROKERS, failed under CI=true,
// as kafkatest decides).
func onBoth(t *testing.T, fn func(t *testing.T, c *cluster)) {
	t.Run("kfake", func(t *testing.T) { fn(t, newFakeCluster(t)) })
	t.Run("kafka", func(t *testing.T) { fn(t, newRealCluster(t)) })
}

func newFakeCluster(t testing.TB) *cluster {
	t.Helper()
	fc, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatalf("kfake: %v", err)
	}
	t.Cleanup(fc.Close)
	return newCluster(t, kgo.SeedBrokers(fc.ListenAddrs()...))
}

func newRealCluster(t testing.TB) *cluster {
	t.Helper()
	return newCluster(t, kgo.SeedBrokers(kafkatest.Brokers(t)...), kgo.RequestTimeoutOverhead(10*time.Second))
}

func newCluster(t testing.TB, opts ...kgo.Opt) *cluster {
	t.Helper()
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatalf("kafka client: %v", err)
	}
	t.Cleanup(cl.Close)
	return &cluster{opts: opts, adm: kadm.NewClient(cl)}
}

// topic creates a fresh compacted topic with the given partitions.
func (c *cluster) topic(t testing.TB, base string, partitions int32) string {
	t.Helper()
	name := kafkatest.TopicName(t, base)
	kafkatest.CreateTopic(t, c.adm, name, partitions, ChangelogTopicConfigs())
	return name
}

// client returns a client with extra options, closed at the end of the test.
func (c *cluster) client(t testing.TB, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append(append([]kgo.Opt{}, c.opts...), opts...)...)
	if err != nil {
		t.Fatalf("kafka client: %v", err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// txnProducer returns a transactional producer that writes changelog
// records to the partitions they name.
func (c *cluster) txnProducer(t testing.TB, topics ...string) *kgo.Client {
	t.Helper()
	return c.client(t,
		kgo.TransactionalID(kafkatest.TopicName(t, "txn")),
		kgo.TransactionTimeout(10*time.Second),
		kgo.RecordPartitioner(ChangelogPartitioner(nil, topics...)),
	)
}

// inTxn produces recs in one transaction and commits it, or aborts it when
// commit is false. It returns the records, with their offsets set.
func inTxn(t testing.TB, cl *kgo.Client, commit bool, recs []*kgo.Record) []*kgo.Record {
	t.Helper()
	ctx := testCtx(t)
	if err := cl.BeginTransaction(); err != nil {
		t.Fatalf("begin transaction: %v", err)
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
	if err := cl.EndTransaction(ctx, kgo.TransactionEndTry(commit)); err != nil {
		t.Fatalf("end transaction: %v", err)
	}
	return recs
}

// produce produces recs without a transaction.
func produce(t testing.TB, cl *kgo.Client, recs ...*kgo.Record) {
	t.Helper()
	if err := cl.ProduceSync(testCtx(t), recs...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// openStore opens partition of the store backed by topic under dir.
func openStore(t testing.TB, c *cluster, dir, topic string, partition int32, reg *Registry) *Store {
	t.Helper()
	s, err := Open(testCtx(t), StoreConfig{
		Dir: dir, Name: "counts", Partition: partition, Topic: topic,
		ClientOpts: c.opts, Registry: reg,
	})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// commitThrough runs one full transaction cycle for s: take the write-set,
// produce it to the changelog in a Kafka transaction, then Commit (or Abort
// both when commit is false).
func commitThrough(t testing.TB, s *Store, producer *kgo.Client, commit bool) {
	t.Helper()
	muts := s.Pending()
	recs := inTxn(t, producer, commit, s.Records(muts))
	if !commit {
		s.Abort()
		return
	}
	if err := s.Commit(LastOffset(recs)); err != nil {
		t.Fatalf("commit: %v", err)
	}
}

func mustGet(t testing.TB, g interface {
	Get([]byte) ([]byte, bool, error)
}, key string) (string, bool) {
	t.Helper()
	v, ok, err := g.Get([]byte(key))
	if err != nil {
		t.Fatalf("get %q: %v", key, err)
	}
	return string(v), ok
}

func wantValue(t testing.TB, g interface {
	Get([]byte) ([]byte, bool, error)
}, key, want string) {
	t.Helper()
	got, ok := mustGet(t, g, key)
	if !ok || got != want {
		t.Fatalf("get %q = %q, %v; want %q", key, got, ok, want)
	}
}

func wantAbsent(t testing.TB, g interface {
	Get([]byte) ([]byte, bool, error)
}, key string) {
	t.Helper()
	if got, ok := mustGet(t, g, key); ok {
		t.Fatalf("get %q = %q, want absent", key, got)
	}
}

// eventually polls cond until it holds or 20s pass.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
