package topology

import (
	"strconv"
	"time"
)

// Cleanup policies of a topic.
const (
	CleanupDelete  = "delete"
	CleanupCompact = "compact"
)

// Topic is a Kafka topic and its contract.
type Topic struct {
	Name       string
	Partitions int32
	Cleanup    string
	Retention  time.Duration // -1: forever
	Key        string        // what the key holds
	Value      string        // Avro record full name of the value
	Doc        string
	// FollowsPartitionsOf names a topic whose partition count this topic
	// must match (changelogs follow their input topic).
	FollowsPartitionsOf string
}

// Configs returns the topic-level configs to create the topic with.
func (t Topic) Configs() map[string]*string {
	cleanup := t.Cleanup
	retention := "-1"
	if t.Retention >= 0 {
		retention = strconv.FormatInt(t.Retention.Milliseconds(), 10)
	}
	m := map[string]*string{
		"cleanup.policy": &cleanup,
		"retention.ms":   &retention,
	}
	if t.Cleanup == CleanupCompact {
		lag := "60000"
		m["min.compaction.lag.ms"] = &lag
	}
	return m
}

// RetentionText renders the retention for humans.
func (t Topic) RetentionText() string {
	if t.Retention < 0 {
		return "forever"
	}
	if t.Retention%(24*time.Hour) == 0 {
		return strconv.Itoa(int(t.Retention/(24*time.Hour))) + "d"
	}
	return t.Retention.String()
}
