package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/internal/topicread"
	"github.com/ledgerline/ledgerline/topology"
)

// TestTopicPrefix: with --topic-prefix (or LEDGERLINE_TOPIC_PREFIX),
// topology create makes every topic but the changelogs under the prefix,
// and ingest writes its lines and ledger there and nowhere else.
func TestTopicPrefix(t *testing.T) {
	c, vars, cl := kafkaCluster(t)

	if code, out, errOut := runCLI(t, vars, "topology", "create", "--topic-prefix", "acme."); code != 0 {
		t.Fatalf("topology create: exit %d\n%s%s", code, out, errOut)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	listed, err := kadm.NewClient(cl).ListTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := topology.New(topology.Options{TopicPrefix: "acme."})
	for _, tp := range want.Topics {
		if !listed.Has(tp.Name) {
			t.Errorf("topic %s was not created", tp.Name)
		}
	}
	for _, name := range listed.Names() {
		if !strings.HasPrefix(name, "acme.") && !strings.HasSuffix(name, "-changelog") && !strings.HasPrefix(name, "__") {
			t.Errorf("topic %s created outside the prefix", name)
		}
	}

	report := filepath.Join(t.TempDir(), "report.csv")
	if code, _, errOut := runCLI(t, nil, "generate", "report", "--rows", "200", "--bad", "0.05", "--out", report); code != 0 {
		t.Fatalf("generate: %s", errOut)
	}
	vars["LEDGERLINE_TOPIC_PREFIX"] = "acme."
	code, out, errOut := runCLI(t, vars, "ingest", "--format", "json", report)
	if code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	var sum struct{ Accepted, Rejected int64 }
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.Accepted == 0 || sum.Rejected == 0 {
		t.Fatalf("ingest summary %q: %v", out, err)
	}
	count := func(topic string) int64 {
		t.Helper()
		var n int64
		if err := topicread.Settled(ctx, []kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...)}, []string{topic}, func(*kgo.Record) error {
			n++
			return nil
		}); err != nil {
			t.Fatalf("read %s: %v", topic, err)
		}
		return n
	}
	if n := count("acme.usage"); n != sum.Accepted {
		t.Errorf("acme.usage holds %d records, want the %d accepted lines", n, sum.Accepted)
	}
	if n := count("acme.dead-letter"); n != sum.Rejected {
		t.Errorf("acme.dead-letter holds %d records, want the %d rejected lines", n, sum.Rejected)
	}
	if n := count("acme.ingest-ledger"); n == 0 {
		t.Error("acme.ingest-ledger is empty")
	}
	if listed, err := kadm.NewClient(cl).ListTopics(ctx); err != nil {
		t.Fatal(err)
	} else if listed.Has("usage") || listed.Has("ingest-ledger") {
		t.Errorf("ingest touched unprefixed topics: %v", listed.Names())
	}
}
