package kafkatest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Environment variables set by deploy/kafka/with-broker.sh.
const (
	// EnvBrokers holds the comma separated seed brokers (host:port).
	EnvBrokers = "LEDGERLINE_KAFKA_BROKERS"
	// EnvVersion holds the Apache Kafka version of the broker, e.g. "4.4.0".
	EnvVersion = "LEDGERLINE_KAFKA_VERSION"
)

// InCI reports whether the tests run in CI (env CI=true), where a missing
// broker is an error rather than a reason to skip.
func InCI() bool {
	switch strings.TrimSpace(os.Getenv("CI")) {
	case "true", "TRUE", "True", "1":
		return true
	}
	return false
}

// Brokers returns the seed brokers of the test Kafka from
// LEDGERLINE_KAFKA_BROKERS. When it is unset the test is skipped, or, under
// CI=true, failed.
func Brokers(t testing.TB) []string {
	t.Helper()
	var brokers []string
	for _, b := range strings.Split(os.Getenv(EnvBrokers), ",") {
		if b = strings.TrimSpace(b); b != "" {
			brokers = append(brokers, b)
		}
	}
	if len(brokers) > 0 {
		return brokers
	}
	if InCI() {
		t.Fatal(EnvBrokers + " not set and CI=true: CI must run the Kafka integration tests " +
			"against a real broker (run them via `make test` / deploy/kafka/with-broker.sh)")
	}
	t.Skip(EnvBrokers + " not set: run `make test` to start a real broker")
	return nil
}

// Cluster returns seed brokers by kind: "kafka" is the real test broker
// (see Brokers), anything else a fresh in-process kfake cluster closed
// when the test ends. Tests run over both kinds to stay fast on kfake
// and to prove themselves on the real broker.
func Cluster(t testing.TB, kind string) []string {
	t.Helper()
	if kind == "kafka" {
		return Brokers(t)
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

// Version returns the Apache Kafka version of the test broker as reported by
// the harness (LEDGERLINE_KAFKA_VERSION), or "" when unknown.
func Version() string {
	return strings.TrimSpace(os.Getenv(EnvVersion))
}

// TopicName returns a topic name unique to this test run: base, the
// sanitized test name and a random suffix, within Kafka's 249 character
// limit and using only [a-zA-Z0-9._-].
func TopicName(t testing.TB, base string) string {
	t.Helper()
	var suffix [4]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		t.Fatalf("kafkatest: random topic suffix: %v", err)
	}
	name := sanitize(t.Name())
	if len(name) > 160 {
		name = name[len(name)-160:]
	}
	parts := make([]string, 0, 3)
	if b := sanitize(base); b != "" {
		if len(b) > 60 {
			b = b[:60]
		}
		parts = append(parts, b)
	}
	if name != "" {
		parts = append(parts, name)
	}
	parts = append(parts, hex.EncodeToString(suffix[:]))
	return strings.Join(parts, ".")
}

// sanitize maps s to Kafka's legal topic characters. '.' is replaced too, so
// that the separators TopicName adds stay unambiguous (and because Kafka
// warns about topics that mix '.' and '_').
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

// NewClient returns a kgo client seeded with [Brokers] and opts (later opts
// win), closed when the test ends. It skips or fails like Brokers.
func NewClient(t testing.TB, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	all := append([]kgo.Opt{
		kgo.SeedBrokers(Brokers(t)...),
		kgo.RequestTimeoutOverhead(10 * time.Second),
	}, opts...)
	cl, err := kgo.NewClient(all...)
	if err != nil {
		t.Fatalf("kafkatest: new kafka client: %v", err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// NewAdmin returns an admin client for the test broker, closed when the test
// ends. It skips or fails like Brokers.
func NewAdmin(t testing.TB) *kadm.Client {
	t.Helper()
	return kadm.NewClient(NewClient(t))
}

// CreateTopic creates topic with the given number of partitions (replication
// factor 1) and deletes it when the test ends.
func CreateTopic(t testing.TB, adm *kadm.Client, topic string, partitions int32, configs map[string]*string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := adm.CreateTopic(ctx, partitions, 1, configs, topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil {
		t.Fatalf("kafkatest: create topic %q: %v", topic, err)
	}
	// Wait until the cluster serves every partition: a topic a moment old
	// can still be unknown to a broker's metadata.
	for {
		td, err := adm.ListTopics(ctx, topic)
		if err == nil {
			d := td[topic]
			ready := d.Err == nil && len(d.Partitions) == int(partitions)
			for _, p := range d.Partitions {
				ready = ready && p.Err == nil && p.Leader >= 0
			}
			if ready {
				break
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("kafkatest: topic %q not served within 30s", topic)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := adm.DeleteTopic(ctx, topic); err != nil {
			t.Logf("kafkatest: delete topic %q: %v", topic, err)
		}
	})
}
