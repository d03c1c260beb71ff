package lagmetrics

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

func TestGaugesReflectProducedButUnconsumedRecords(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, "usage"), kfake.SeedTopics(1, "dead-letter"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	produce := func(topic string, partition int32, n int) {
		t.Helper()
		for range n {
			if err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Partition: partition, Value: []byte("x")}).FirstErr(); err != nil {
				t.Fatal(err)
			}
		}
	}
	produce("usage", 0, 10)
	produce("usage", 1, 5)
	produce("dead-letter", 0, 2)
	// The group has consumed four records of partition 0 and nothing of
	// the others.
	adm := kadm.NewClient(cl)
	offsets := kadm.Offsets{}
	offsets.Add(kadm.Offset{Topic: "usage", Partition: 0, At: 4, LeaderEpoch: -1})
	if err := adm.CommitAllOffsets(ctx, "app-drift", offsets); err != nil {
		t.Fatal(err)
	}

	reg := prometheus.NewRegistry()
	col, err := New(Config{
		ClientOpts: []kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...)},
		Groups:     []string{"app-drift", "app-lake-sink"}, // the second has never run
		Topics:     []string{"dead-letter"},
		Registerer: reg,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer col.Close()
	if err := col.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	assertGauges(t, reg, map[string]float64{
		`ledgerline_kafka_consumer_group_lag{group="app-drift",partition="0",topic="usage"}`:              6,
		`ledgerline_kafka_consumer_group_lag{group="app-drift",partition="1",topic="usage"}`:              5,
		`ledgerline_kafka_consumer_group_lag{group="app-drift",partition="2",topic="usage"}`:              0,
		`ledgerline_kafka_consumer_group_committed_offset{group="app-drift",partition="0",topic="usage"}`: 4,
		`ledgerline_kafka_topic_end_offset{partition="0",topic="dead-letter"}`:                            2,
	})

	// More records arrive and the group catches up on partition 0.
	produce("usage", 0, 3)
	offsets = kadm.Offsets{}
	offsets.Add(kadm.Offset{Topic: "usage", Partition: 0, At: 13, LeaderEpoch: -1})
	offsets.Add(kadm.Offset{Topic: "usage", Partition: 1, At: 1, LeaderEpoch: -1})
	if err := adm.CommitAllOffsets(ctx, "app-drift", offsets); err != nil {
		t.Fatal(err)
	}
	if err := col.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	assertGauges(t, reg, map[string]float64{
		`ledgerline_kafka_consumer_group_lag{group="app-drift",partition="0",topic="usage"}`:              0,
		`ledgerline_kafka_consumer_group_lag{group="app-drift",partition="1",topic="usage"}`:              4,
		`ledgerline_kafka_consumer_group_lag{group="app-drift",partition="2",topic="usage"}`:              0,
		`ledgerline_kafka_consumer_group_committed_offset{group="app-drift",partition="0",topic="usage"}`: 13,
		`ledgerline_kafka_consumer_group_committed_offset{group="app-drift",partition="1",topic="usage"}`: 1,
		`ledgerline_kafka_topic_end_offset{partition="0",topic="dead-letter"}`:                            2,
		`ledgerline_kafka_lag_polls_total{result="ok"}`:                                                   2,
		`ledgerline_kafka_lag_polls_total{result="error"}`:                                                0,
	})
}

func TestNewNeedsGroups(t *testing.T) {
	if _, err := New(Config{ClientOpts: []kgo.Opt{kgo.SeedBrokers("127.0.0.1:1")}}); err == nil {
		t.Fatal("no error without groups")
	}
}

// assertGauges checks that every series of the families named in want has
// exactly the wanted value, and that no other series of them exists.
func assertGauges(t *testing.T, reg *prometheus.Registry, want map[string]float64) {
	t.Helper()
	families := map[string]bool{}
	for k := range want {
		families[k[:strings.IndexByte(k, '{')]] = true
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		if !families[mf.GetName()] {
			continue
		}
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			sort.Strings(labels)
			v := m.GetGauge().GetValue()
			if m.GetCounter() != nil {
				v = m.GetCounter().GetValue()
			}
			got[mf.GetName()+"{"+strings.Join(labels, ",")+"}"] = v
		}
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected series %s = %v", k, g)
		}
	}
}
