package topology

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestDefaultTopologyIsValid(t *testing.T) {
	if err := New(Options{}).Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateFindsMistakes(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Topology)
		want   string
	}{
		{"undeclared topic", func(tp *Topology) { tp.Stages[2].Outputs = append(tp.Stages[2].Outputs, "nowhere") }, "undeclared topic nowhere"},
		{"duplicate topic", func(tp *Topology) { tp.Topics = append(tp.Topics, tp.Topics[0]) }, "declared twice"},
		{"changelog not co-partitioned", func(tp *Topology) {
			for i := range tp.Topics {
				if tp.Topics[i].FollowsPartitionsOf != "" {
					tp.Topics[i].Partitions = 2
				}
			}
		}, "must match usage"},
		{"cycle", func(tp *Topology) { tp.Stages[3].Outputs = []string{TopicUsage} }, "cycle"},
		{"bad cleanup", func(tp *Topology) { tp.Topics[0].Cleanup = "compact,delete " }, "cleanup policy"},
		{"bad topic name", func(tp *Topology) { *tp = New(Options{TopicPrefix: "royalties/"}) }, `topic name "royalties/usage"`},
		{"long topic name", func(tp *Topology) { *tp = New(Options{TopicPrefix: strings.Repeat("x", 245)}) }, "1 to 249 characters"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tp := New(Options{})
			tc.mutate(&tp)
			err := tp.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestTopicPrefix: every topic but the changelogs, and every reference to
// one, carries the prefix; the result is still a valid topology.
func TestTopicPrefix(t *testing.T) {
	plain, prefixed := New(Options{}), New(Options{TopicPrefix: "royalties."})
	if err := prefixed.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(plain.Topics) != len(prefixed.Topics) {
		t.Fatalf("%d topics with a prefix, %d without", len(prefixed.Topics), len(plain.Topics))
	}
	for i, tp := range prefixed.Topics {
		want := "royalties." + plain.Topics[i].Name
		if strings.HasSuffix(tp.Name, "-changelog") {
			want = plain.Topics[i].Name
			if tp.FollowsPartitionsOf != "royalties."+TopicUsage {
				t.Errorf("changelog %s follows %q", tp.Name, tp.FollowsPartitionsOf)
			}
		}
		if tp.Name != want {
			t.Errorf("topic %d is %q, want %q", i, tp.Name, want)
		}
	}
	drift, _ := prefixed.Stage(StageDrift)
	if got := strings.Join(drift.Inputs, ","); got != "royalties.usage" {
		t.Errorf("drift reads %s", got)
	}
	if got := strings.Join(drift.Global, ","); got != "royalties.catalog" {
		t.Errorf("drift's global table is %s", got)
	}
	if got := (Options{TopicPrefix: "a."}).Topic(TopicUsage); got != "a.usage" {
		t.Errorf("Options.Topic = %q", got)
	}
}

func TestDescribeGolden(t *testing.T) {
	tp := New(Options{})
	for _, tc := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"describe.txt", func(b *bytes.Buffer) error { return tp.Describe(b) }},
		{"describe.dot", func(b *bytes.Buffer) error { return tp.DescribeDOT(b) }},
	} {
		var b bytes.Buffer
		if err := tc.write(&b); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", tc.file)
		if *update {
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from golden:\n%s", tc.file, b.String())
		}
	}
}

func TestEnsureCreatesThenVerifiesAndGrowsChangelogs(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	// A fresh client per step, as separate runs of the binary would have:
	// a client caches metadata for a while.
	admin := func() *kadm.Client {
		cl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cl.Close)
		return kadm.NewClient(cl)
	}
	ctx := context.Background()
	tp := New(Options{UsagePartitions: 2})

	rep, err := tp.Ensure(ctx, admin(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Created) != len(tp.Topics) {
		t.Fatalf("created %v, want all %d topics", rep.Created, len(tp.Topics))
	}
	rep, err = tp.Ensure(ctx, admin(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Created) != 0 || len(rep.Verified) != len(tp.Topics) {
		t.Fatalf("second ensure: %+v", rep)
	}
	// An SRE adds usage partitions during a peak: changelogs follow.
	if _, err := admin().UpdatePartitions(ctx, 4, TopicUsage); err != nil {
		t.Fatal(err)
	}
	rep, err = tp.Ensure(ctx, admin(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Grown) != 3 {
		t.Fatalf("grown %v, want the 3 drift changelogs", rep.Grown)
	}
	details, err := admin().ListTopics(ctx, ChangelogTopic("ledgerline", StageDrift, StorePeriods))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range details {
		if len(d.Partitions) != 4 {
			t.Fatalf("%s has %d partitions, want 4", d.Topic, len(d.Partitions))
		}
	}
}
