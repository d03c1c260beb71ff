package state

import "github.com/twmb/franz-go/pkg/kgo"

// Mutation is one pending change of a Store: Key is set to Value, or deleted
// when Value is nil. An empty non-nil Value is a value, not a delete.
type Mutation struct {
	Key   []byte
	Value []byte
}

// IsDelete reports whether m deletes its key.
func (m Mutation) IsDelete() bool { return m.Value == nil }

// ChangelogRecords turns mutations into records for partition of the
// changelog topic: key = Key, value = Value, and a nil Value becomes a
// tombstone (null value), which compaction eventually drops.
//
// The records name their partition explicitly; the producing client must use
// a partitioner that honours Record.Partition for changelog topics, such as
// the one returned by ChangelogPartitioner.
func ChangelogRecords(topic string, partition int32, muts []Mutation) []*kgo.Record {
	recs := make([]*kgo.Record, len(muts))
	for i, m := range muts {
		recs[i] = &kgo.Record{
			Topic:     topic,
			Partition: partition,
			Key:       m.Key,
			Value:     m.Value,
		}
	}
	return recs
}

// LastOffset returns the highest offset among produced records, or -1 for
// none. kgo fills Record.Offset when a produce succeeds, so after the
// records' produce promises (or ProduceSync) have returned without error this
// is the offset to pass to Store.Commit.
func LastOffset(recs []*kgo.Record) int64 {
	last := int64(-1)
	for _, r := range recs {
		if r.Offset > last {
			last = r.Offset
		}
	}
	return last
}
