package topology

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/twmb/franz-go/pkg/kadm"
)

// EnsureReport says what Ensure did.
type EnsureReport struct {
	Created    []string
	Grown      []string // partitions added to follow their source topic
	Verified   []string
	Mismatches []string // existing topics whose config differs (not changed)
	Missing    []string // topics Check found missing (Ensure creates them)
}

// OK reports whether every topic exists as declared: nothing missing and
// no mismatch.
func (r EnsureReport) OK() bool { return len(r.Missing) == 0 && len(r.Mismatches) == 0 }

// Ensure creates missing topics, grows changelogs whose input topic gained
// partitions, and verifies the partition count and cleanup policy of the
// rest. replication is the replication factor for new topics (-1: broker
// default). A topic with fewer partitions than declared is a mismatch, not
// an error: partitions of a keyed topic are only ever added deliberately.
func (t Topology) Ensure(ctx context.Context, adm *kadm.Client, replication int16) (EnsureReport, error) {
	return t.ensure(ctx, adm, replication, true)
}

// Check is Ensure without changing anything, for clusters whose topics
// are managed elsewhere (infrastructure as code, restricted ACLs): missing
// topics are reported in Missing, and a changelog with fewer partitions
// than its input in Mismatches. It needs only describe rights.
func (t Topology) Check(ctx context.Context, adm *kadm.Client) (EnsureReport, error) {
	return t.ensure(ctx, adm, -1, false)
}

func (t Topology) ensure(ctx context.Context, adm *kadm.Client, replication int16, apply bool) (EnsureReport, error) {
	var rep EnsureReport
	if err := t.Validate(); err != nil {
		return rep, err
	}
	names := make([]string, 0, len(t.Topics))
	for _, tp := range t.Topics {
		names = append(names, tp.Name)
	}
	// List every topic: a metadata request naming topics can be answered
	// from a client cache that still says they do not exist.
	details, err := adm.ListTopics(ctx)
	if err != nil {
		return rep, fmt.Errorf("topology: list topics: %w", err)
	}
	actual := map[string]int32{}
	for _, tp := range t.Topics {
		d, ok := details[tp.Name]
		if ok && d.Err != nil && !errors.Is(d.Err, kerrUnknownTopic) {
			return rep, fmt.Errorf("topology: topic %s: %w", tp.Name, d.Err)
		}
		if (!ok || d.Err != nil) && !apply {
			rep.Missing = append(rep.Missing, tp.Name)
			continue
		}
		if !ok || d.Err != nil {
			resp, err := adm.CreateTopic(ctx, tp.Partitions, replication, tp.Configs(), tp.Name)
			if err != nil && !isTopicExists(err) {
				return rep, fmt.Errorf("topology: create %s: %w", tp.Name, err)
			}
			if resp.Err != nil && !isTopicExists(resp.Err) {
				return rep, fmt.Errorf("topology: create %s: %w", tp.Name, resp.Err)
			}
			rep.Created = append(rep.Created, tp.Name)
			actual[tp.Name] = tp.Partitions
			continue
		}
		actual[tp.Name] = int32(len(d.Partitions))
	}
	// Follow partition growth of source topics (changelogs must be
	// co-partitioned with the input they log).
	behind := map[string]bool{} // topics Check found behind their source
	for _, tp := range t.Topics {
		if tp.FollowsPartitionsOf == "" {
			continue
		}
		want := actual[tp.FollowsPartitionsOf]
		have, exists := actual[tp.Name]
		if exists && have < want && !apply {
			rep.Mismatches = append(rep.Mismatches, fmt.Sprintf("%s: %d partitions, but %s has %d (topology create grows it)", tp.Name, have, tp.FollowsPartitionsOf, want))
			behind[tp.Name] = true
			continue
		}
		if exists && have < want {
			if _, err := adm.UpdatePartitions(ctx, int(want), tp.Name); err != nil {
				return rep, fmt.Errorf("topology: grow %s to %d partitions: %w", tp.Name, want, err)
			}
			actual[tp.Name] = want
			rep.Grown = append(rep.Grown, fmt.Sprintf("%s %d->%d", tp.Name, have, want))
		}
	}
	if !apply {
		names = names[:0]
		for _, tp := range t.Topics {
			if _, exists := actual[tp.Name]; exists {
				names = append(names, tp.Name)
			}
		}
	}
	configs, err := adm.DescribeTopicConfigs(ctx, names...)
	if err != nil {
		return rep, fmt.Errorf("topology: describe configs: %w", err)
	}
	cleanup := map[string]string{}
	for _, rc := range configs {
		for _, c := range rc.Configs {
			if c.Key == "cleanup.policy" && c.Value != nil {
				cleanup[rc.Name] = *c.Value
			}
		}
	}
	for _, tp := range t.Topics {
		if _, exists := actual[tp.Name]; !exists || contains(rep.Created, tp.Name) {
			continue
		}
		ok := !behind[tp.Name]
		if actual[tp.Name] < tp.Partitions {
			rep.Mismatches = append(rep.Mismatches, fmt.Sprintf("%s: %d partitions, declared %d", tp.Name, actual[tp.Name], tp.Partitions))
			ok = false
		}
		if c, known := cleanup[tp.Name]; known && c != tp.Cleanup {
			rep.Mismatches = append(rep.Mismatches, fmt.Sprintf("%s: cleanup.policy %s, declared %s", tp.Name, c, tp.Cleanup))
			ok = false
		}
		if ok {
			rep.Verified = append(rep.Verified, tp.Name)
		}
	}
	sort.Strings(rep.Mismatches)
	return rep, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
