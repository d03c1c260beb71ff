package state

import "github.com/twmb/franz-go/pkg/kgo"

// ChangelogTopic returns the changelog topic of store in application app:
// "<app>-<store>-changelog". The topic must have as many partitions as the
// store's source topics and the configs of ChangelogTopicConfigs.
func ChangelogTopic(app, store string) string {
	return app + "-" + store + "-changelog"
}

// ChangelogTopicConfigs returns the topic configs a changelog topic is
// created with: compaction, so the topic keeps the latest value of every key
// (and a tombstone for a while after a delete) forever.
func ChangelogTopicConfigs() map[string]*string {
	compact := "compact"
	return map[string]*string{"cleanup.policy": &compact}
}

// ChangelogPartitioner returns a partitioner that sends records of the given
// changelog topics to the partition set in Record.Partition (as
// ChangelogRecords does) and partitions records of every other topic with
// fallback (kgo's default partitioner when nil).
func ChangelogPartitioner(fallback kgo.Partitioner, changelogTopics ...string) kgo.Partitioner {
	if fallback == nil {
		fallback = kgo.UniformBytesPartitioner(64<<10, true, true, nil)
	}
	set := make(map[string]struct{}, len(changelogTopics))
	for _, t := range changelogTopics {
		set[t] = struct{}{}
	}
	return changelogPartitioner{changelogs: set, manual: kgo.ManualPartitioner(), fallback: fallback}
}

type changelogPartitioner struct {
	changelogs map[string]struct{}
	manual     kgo.Partitioner
	fallback   kgo.Partitioner
}

func (p changelogPartitioner) ForTopic(topic string) kgo.TopicPartitioner {
	if _, ok := p.changelogs[topic]; ok {
		return p.manual.ForTopic(topic)
	}
	return p.fallback.ForTopic(topic)
}
