package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/ledgerline/ledgerline/topology"
)

// TestTopologyCheck: `topology check` changes nothing and fails while a
// topic is missing or differs (a changelog behind its grown input);
// `topology create` repairs both, after which check passes.
func TestTopologyCheck(t *testing.T) {
	_, vars, cl := kafkaCluster(t)
	declared := len(topology.New(topology.Options{}).Topics)
	step := func(wantCode int, args ...string) string {
		t.Helper()
		code, out, errOut := runCLI(t, vars, args...)
		if code != wantCode {
			t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, wantCode, out, errOut)
		}
		return out
	}
	count := func(out, word string) int { return strings.Count(out, word+" ") }

	out := step(1, "topology", "check")
	if n := count(out, "MISSING"); n != declared {
		t.Errorf("check on an empty cluster: %d topics missing, want %d\n%s", n, declared, out)
	}
	adm := kadm.NewClient(cl)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if topics, err := adm.ListTopics(ctx); err != nil || len(topics) != 0 {
		t.Fatalf("check created topics: %v %v", topics.Names(), err)
	}

	out = step(0, "topology", "create")
	if n := count(out, "created"); n != declared {
		t.Errorf("create: %d topics created, want %d\n%s", n, declared, out)
	}
	if out = step(0, "topology", "check"); count(out, "verified") != declared {
		t.Errorf("check after create:\n%s", out)
	}

	// An SRE adds usage partitions; the changelogs are now behind.
	if _, err := adm.UpdatePartitions(ctx, 8, topology.TopicUsage); err != nil {
		t.Fatal(err)
	}
	drift, _ := topology.New(topology.Options{}).Stage(topology.StageDrift)
	out = step(1, "topology", "check")
	if n := count(out, "MISMATCH"); n != len(drift.Stores) || !strings.Contains(out, "but usage has 8 (topology create grows it)") {
		t.Errorf("check after usage grew:\n%s", out)
	}
	if out = step(0, "topology", "create"); count(out, "grown") == 0 {
		t.Errorf("create after usage grew grew nothing:\n%s", out)
	}
	if out = step(0, "topology", "check"); count(out, "verified") != declared {
		t.Errorf("check after create:\n%s", out)
	}
}
