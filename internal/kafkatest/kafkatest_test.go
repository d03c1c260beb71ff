package kafkatest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

func TestTopicName(t *testing.T) {
	valid := regexp.MustCompile(`^[a-zA-Z0-9._-]{1,249}$`)
	a := TopicName(t, "orders.v1")
	b := TopicName(t, "orders.v1")
	if a == b {
		t.Fatalf("TopicName not unique: %q twice", a)
	}
	for _, name := range []string{a, b, TopicName(t, ""), TopicName(t, strings.Repeat("x/", 300))} {
		if !valid.MatchString(name) {
			t.Errorf("TopicName gave illegal topic name %q", name)
		}
	}
	if !strings.HasPrefix(a, "orders-v1.TestTopicName.") {
		t.Errorf("TopicName = %q, want prefix %q", a, "orders-v1.TestTopicName.")
	}
}

// TestBrokerTransactions proves the harness: a real Kafka 4.x broker that
// runs transactions, and read_committed consumers that see only committed
// records.
func TestBrokerTransactions(t *testing.T) {
	brokers := Brokers(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	adm := NewAdmin(t)

	// The broker is Kafka 4.x, per the harness and per the broker itself.
	if v := Version(); v != "" && !strings.HasPrefix(v, "4.") {
		t.Errorf("%s = %q, want 4.x", EnvVersion, v)
	}
	apis, err := adm.ApiVersions(ctx)
	if err != nil {
		t.Fatalf("ApiVersions: %v", err)
	}
	if len(apis) == 0 {
		t.Fatal("ApiVersions: no broker answered")
	}
	for _, v := range apis.Sorted() {
		if v.Err != nil {
			t.Fatalf("ApiVersions from node %d: %v", v.NodeID, v.Err)
		}
		guess := v.VersionGuess()
		t.Logf("node %d at %v: %s says it is Kafka %q, looks like %s", v.NodeID, brokers, EnvVersion, Version(), guess)
		if !strings.Contains(guess, "v4.") {
			t.Errorf("node %d looks like Kafka %s, want v4.x", v.NodeID, guess)
		}
	}

	topic := TopicName(t, "txn")
	CreateTopic(t, adm, topic, 3, nil)

	produce := func(txnID string, n int, prefix string, commit bool) {
		t.Helper()
		cl := NewClient(t,
			kgo.TransactionalID(txnID),
			kgo.DefaultProduceTopic(topic),
			kgo.RecordPartitioner(kgo.RoundRobinPartitioner()),
		)
		if err := cl.BeginTransaction(); err != nil {
			t.Fatalf("BeginTransaction: %v", err)
		}
		for i := 0; i < n; i++ {
			r := &kgo.Record{Value: []byte(fmt.Sprintf("%s-%03d", prefix, i))}
			cl.Produce(ctx, r, func(r *kgo.Record, err error) {
				if err != nil {
					t.Errorf("produce %s: %v", r.Value, err)
				}
			})
		}
		if err := cl.Flush(ctx); err != nil {
			t.Fatalf("Flush: %v", err)
		}
		end := kgo.TryCommit
		if !commit {
			end = kgo.TryAbort
		}
		if err := cl.EndTransaction(ctx, end); err != nil {
			t.Fatalf("EndTransaction(commit=%v): %v", commit, err)
		}
	}
	produce(topic+"-committed", 100, "committed", true)
	produce(topic+"-aborted", 50, "aborted", false)

	// One more committed record after the aborted batch, so that the
	// consumer has to read past the aborted records (and their abort
	// markers) to reach the end.
	produce(topic+"-tail", 1, "tail", true)

	cons := NewClient(t,
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	)
	seen := map[string]int{}
	total := 0
	for total < 101 {
		fetches := cons.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("consumed %d of 101 committed records before timing out: %v", total, err)
		}
		fetches.EachError(func(topic string, p int32, err error) {
			t.Fatalf("fetch %s[%d]: %v", topic, p, err)
		})
		fetches.EachRecord(func(r *kgo.Record) {
			seen[string(r.Value)]++
			total++
		})
	}

	// Drain a little longer: nothing else may show up.
	drainCtx, drainCancel := context.WithTimeout(ctx, 2*time.Second)
	defer drainCancel()
	cons.PollFetches(drainCtx).EachRecord(func(r *kgo.Record) {
		seen[string(r.Value)]++
		total++
	})

	if total != 101 {
		t.Errorf("consumed %d records, want 100 committed + 1 tail", total)
	}
	for i := 0; i < 100; i++ {
		v := fmt.Sprintf("committed-%03d", i)
		if seen[v] != 1 {
			t.Errorf("committed record %q seen %d times, want once", v, seen[v])
		}
	}
	if seen["tail-000"] != 1 {
		t.Errorf("tail record seen %d times, want once", seen["tail-000"])
	}
	aborted := 0
	for v, n := range seen {
		if strings.HasPrefix(v, "aborted-") {
			aborted += n
		}
	}
	if aborted != 0 {
		t.Errorf("read_committed consumer saw %d aborted records", aborted)
	}
	if len(seen) != 101 {
		t.Errorf("saw %d distinct values, want 101", len(seen))
	}

	// Control: the aborted records really are in the log, a read_uncommitted
	// consumer sees them.
	raw := NewClient(t,
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadUncommitted()),
	)
	rawAborted, rawTotal := 0, 0
	for rawTotal < 151 {
		fetches := raw.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("read_uncommitted consumed %d of 151 records before timing out: %v", rawTotal, err)
		}
		fetches.EachError(func(topic string, p int32, err error) {
			t.Fatalf("fetch %s[%d]: %v", topic, p, err)
		})
		fetches.EachRecord(func(r *kgo.Record) {
			rawTotal++
			if strings.HasPrefix(string(r.Value), "aborted-") {
				rawAborted++
			}
		})
	}
	if rawAborted != 50 {
		t.Errorf("read_uncommitted consumer saw %d aborted records, want 50", rawAborted)
	}
}
