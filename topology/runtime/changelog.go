package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/ledgerline/ledgerline/state"
)

// changelogVisibleWait is the interval between checks that created or grown
// changelog partitions are visible to clients.
const changelogVisibleWait = 100 * time.Millisecond

// changelogs keeps the changelog topics of the configured stores at least
// as wide as the input topic: created when missing (compacted, see
// state.ChangelogTopicConfigs), grown when the input gains partitions.
// Growing is idempotent, so several instances (or topology.Ensure) may race
// to do it.
type changelogs struct {
	adm         *kadm.Client
	topics      []string
	replication int16

	mu    sync.Mutex
	width int32 // every changelog is known to have at least this many partitions
}

func newChangelogs(adm *kadm.Client, app string, stores []string, replication int16) *changelogs {
	c := &changelogs{adm: adm, replication: replication}
	for _, s := range stores {
		c.topics = append(c.topics, state.ChangelogTopic(app, s))
	}
	return c
}

// ensure makes every changelog have at least want partitions and waits
// until they are visible.
func (c *changelogs) ensure(ctx context.Context, want int32) error {
	if len(c.topics) == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if want <= c.width {
		return nil
	}
	// List every topic: a metadata request naming topics may be answered
	// from a cache that does not know a topic created a moment ago.
	listed, err := c.adm.ListTopics(ctx)
	if err != nil {
		return fmt.Errorf("list topics: %w", err)
	}
	changed := false
	for _, topic := range c.topics {
		d, ok := listed[topic]
		switch {
		case !ok || errors.Is(d.Err, kerr.UnknownTopicOrPartition):
			if err := c.create(ctx, topic, want); err != nil {
				return err
			}
			changed = true
		case d.Err != nil:
			return fmt.Errorf("changelog %s: %w", topic, d.Err)
		case int32(len(d.Partitions)) < want:
			if err := c.grow(ctx, topic, want); err != nil {
				return err
			}
			changed = true
		}
	}
	if changed {
		if err := c.waitVisible(ctx, want); err != nil {
			return err
		}
	}
	c.width = want
	return nil
}

func (c *changelogs) create(ctx context.Context, topic string, partitions int32) error {
	resp, err := c.adm.CreateTopic(ctx, partitions, c.replication, state.ChangelogTopicConfigs(), topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
		return fmt.Errorf("create changelog %s: %w", topic, err)
	}
	return nil
}

func (c *changelogs) grow(ctx context.Context, topic string, partitions int32) error {
	resps, err := c.adm.UpdatePartitions(ctx, int(partitions), topic)
	if err != nil {
		return fmt.Errorf("grow changelog %s to %d partitions: %w", topic, partitions, err)
	}
	for _, r := range resps {
		// InvalidPartitions: someone else grew it first.
		if r.Err != nil && !errors.Is(r.Err, kerr.InvalidPartitions) {
			return fmt.Errorf("grow changelog %s to %d partitions: %w", topic, partitions, r.Err)
		}
	}
	return nil
}

// waitVisible waits until listing the end offsets of every changelog
// returns want partitions without errors, so that restore consumers find
// the partitions just made.
func (c *changelogs) waitVisible(ctx context.Context, want int32) error {
	for {
		ends, err := c.adm.ListEndOffsets(ctx, c.topics...)
		if err == nil && c.allVisible(ends, want) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for changelog partitions: %w", ctx.Err())
		case <-time.After(changelogVisibleWait):
		}
	}
}

func (c *changelogs) allVisible(ends kadm.ListedOffsets, want int32) bool {
	for _, topic := range c.topics {
		ps := ends[topic]
		for p := range want {
			if o, ok := ps[p]; !ok || o.Err != nil {
				return false
			}
		}
	}
	return true
}

// partitionLeader is the part of *kgo.Client that knows its cached
// metadata.
type partitionLeader interface {
	PartitionLeader(topic string, partition int32) (leader, leaderEpoch int32, err error)
	ForceMetadataRefresh()
}

// awaitProducer waits until the producing client's metadata has partition
// of every changelog it has loaded. kgo fails a record sent to a partition
// its cached metadata does not have, and learns of added partitions only
// at its next metadata refresh. A changelog the client has not loaded yet
// (partition 0 unknown) is loaded fresh by its first produce.
func (c *changelogs) awaitProducer(ctx context.Context, cl partitionLeader, partition int32) error {
	for {
		stale := false
		for _, topic := range c.topics {
			if l0, _, _ := cl.PartitionLeader(topic, 0); l0 < 0 {
				continue
			}
			if l, _, _ := cl.PartitionLeader(topic, partition); l < 0 {
				stale = true
			}
		}
		if !stale {
			return nil
		}
		cl.ForceMetadataRefresh()
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for the producer to see changelog partition %d: %w", partition, ctx.Err())
		case <-time.After(changelogVisibleWait):
		}
	}
}

// inputPartitions returns the partition count of topic.
func inputPartitions(ctx context.Context, adm *kadm.Client, topic string) (int32, error) {
	listed, err := adm.ListTopics(ctx)
	if err != nil {
		return 0, fmt.Errorf("list topics: %w", err)
	}
	d, ok := listed[topic]
	if !ok {
		return 0, fmt.Errorf("input topic %s does not exist", topic)
	}
	if d.Err != nil {
		return 0, fmt.Errorf("input topic %s: %w", topic, d.Err)
	}
	return int32(len(d.Partitions)), nil
}
