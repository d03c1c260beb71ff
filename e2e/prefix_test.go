package e2e

import (
	"testing"
	"time"
)

// TestTopicPrefixKeepsDeploymentsApart runs two deployments on the same
// broker, each under its own --topic-prefix (a flag to the commands,
// LEDGERLINE_TOPIC_PREFIX to the instances, as a Kubernetes ConfigMap sets
// it): each one's usage, dead letters, ledger and lake hold exactly its
// own report, none of the other's, and `lake reconcile` finds each lake
// equal to its own ledger, with no difference at all (exit 0).
func TestTopicPrefixKeepsDeploymentsApart(t *testing.T) {
	w := newWorld(t, "prefix")
	seed := time.Now().UnixNano() % 1_000_000_000
	w.logf("input", "generator seed %d", seed)
	type side struct {
		d  *deployment
		in *input
		x  *instance
	}
	var sides []side
	for i, label := range []string{"east", "west"} {
		d := w.deployment(label)
		d.prefix = d.app + "."
		d.createTopics()
		in := w.generate(label, 1500+700*i, seed+int64(i), 0.02)
		w.prepare(in)
		sides = append(sides, side{d: d, in: in, x: d.start("x", "x", d.stateDir("x"))})
	}
	for _, s := range sides {
		s.x.waitReady()
		s.d.ingestFresh(s.in)
	}
	for n, s := range sides {
		other := sides[1-n].in
		s.d.drain(s.x)
		s.d.checkExactlyOnce([]*input{s.in})
		if got := s.d.usageLines(shas([]*input{other})); len(got) != 0 {
			t.Errorf("%s: usage under prefix %s holds lines of the other deployment's report", s.d.app, s.d.prefix)
		}
		if got := s.d.ledger(shas([]*input{other})); len(got) != 0 {
			t.Errorf("%s: the ledger under prefix %s lists the other deployment's report", s.d.app, s.d.prefix)
		}
		rows := s.d.lakeRows()
		if rows != s.in.ref.Accepted {
			t.Errorf("%s: the lake holds %d rows, want the %d accepted lines of its own report", s.d.app, rows, s.in.ref.Accepted)
		}
		if _, stderr, err := w.cliResult("lake", "reconcile", "--lake", s.d.lake, "--topic-prefix", s.d.prefix); err != nil {
			t.Errorf("%s: lake reconcile: %v\n%s", s.d.app, err, stderr)
		}
		w.logf("count", "%s (prefix %s): %d lake rows = %d accepted lines, its own report only; lake reconcile finds no difference",
			s.d.app, s.d.prefix, rows, s.in.ref.Accepted)
	}
}
