package state

import (
	"slices"
	"testing"

	"github.com/ledgerline/ledgerline/internal/kafkatest"
	"github.com/twmb/franz-go/pkg/kgo"
)

func TestChangelogTopic(t *testing.T) {
	if got := ChangelogTopic("ledgerline", "drift"); got != "ledgerline-drift-changelog" {
		t.Fatalf("ChangelogTopic = %q", got)
	}
	if v := ChangelogTopicConfigs()["cleanup.policy"]; v == nil || *v != "compact" {
		t.Fatalf("cleanup.policy = %v", v)
	}
}

// TestManagerMovesStoresWithPartitions opens stores for assigned
// partitions, closes them on revocation and restores them on reassignment.
func TestManagerMovesStoresWithPartitions(t *testing.T) {
	onBoth(t, func(t *testing.T, c *cluster) {
		app := kafkatest.TopicName(t, "app")
		stores := []string{"totals", "seen"}
		m, err := NewManager(ManagerConfig{App: app, Dir: t.TempDir(), Stores: stores, ClientOpts: c.opts})
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		topics := m.ChangelogTopics()
		if !slices.Equal(topics, []string{app + "-totals-changelog", app + "-seen-changelog"}) {
			t.Fatalf("changelog topics %v", topics)
		}
		for _, topic := range topics {
			kafkatest.CreateTopic(t, c.adm, topic, 2, ChangelogTopicConfigs())
		}
		producer := c.client(t,
			kgo.TransactionalID(kafkatest.TopicName(t, "txn")),
			kgo.RecordPartitioner(m.Partitioner(nil)),
		)

		ctx := testCtx(t)
		if err := m.Assign(ctx, []int32{0, 1}); err != nil {
			t.Fatal(err)
		}
		snap := m.Registry().Snapshot()
		if len(snap) != 4 || !m.Registry().Ready() {
			t.Fatalf("registry %+v", snap)
		}
		// One Kafka transaction covering both stores of partition 1.
		var all []*kgo.Record
		produced := make(map[*Store][]*kgo.Record)
		for name, s := range m.Partition(1) {
			put(t, s, "k", name)
			recs := s.Records(s.Pending())
			produced[s] = recs
			all = append(all, recs...)
		}
		inTxn(t, producer, true, all)
		for s, recs := range produced {
			if err := s.Commit(LastOffset(recs)); err != nil {
				t.Fatal(err)
			}
		}

		if err := m.Revoke([]int32{1}); err != nil {
			t.Fatal(err)
		}
		if _, ok := m.Store("totals", 1); ok {
			t.Fatal("revoked store still listed")
		}
		if len(m.Registry().Snapshot()) != 2 {
			t.Fatalf("registry after revoke %+v", m.Registry().Snapshot())
		}
		for s := range produced {
			if _, _, err := s.Get([]byte("k")); err != ErrClosed {
				t.Fatalf("revoked store answers: %v", err)
			}
		}

		// Reassigned (possibly on another instance): restored state.
		if err := m.Assign(ctx, []int32{1}); err != nil {
			t.Fatal(err)
		}
		for _, name := range stores {
			s, ok := m.Store(name, 1)
			if !ok {
				t.Fatalf("store %s/1 not open", name)
			}
			wantValue(t, s, "k", name)
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		if len(m.Registry().Snapshot()) != 0 {
			t.Fatal("stores listed after Close")
		}
	})
}

func TestManagerConfigErrors(t *testing.T) {
	for _, cfg := range []ManagerConfig{
		{Dir: "d", Stores: []string{"a"}},
		{App: "a", Stores: []string{"a"}},
		{App: "a", Dir: "d"},
		{App: "a", Dir: "d", Stores: []string{"a", "a"}},
		{App: "a", Dir: "d", Stores: []string{""}},
	} {
		if _, err := NewManager(cfg); err == nil {
			t.Errorf("NewManager(%+v) accepted", cfg)
		}
	}
}
