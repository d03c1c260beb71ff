package apipoll

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/internal/topicread"
	"github.com/ledgerline/ledgerline/topology"
)

// readCheckpoint reads the checkpoint topic up to its last stable offset
// and returns the latest checkpoint of the sync key; a tombstone forgets
// the sync.
func readCheckpoint(ctx context.Context, clientOpts []kgo.Opt, topic string, codecs *avro.Codecs, key string) (avro.SyncCheckpoint, bool, error) {
	var cp avro.SyncCheckpoint
	found := false
	err := topicread.All(ctx, clientOpts, []string{topic}, func(r *kgo.Record) error {
		if string(r.Key) != key {
			return nil
		}
		if r.Value == nil {
			cp, found = avro.SyncCheckpoint{}, false
			return nil
		}
		c, err := codecs.Checkpoint.Decode(r.Value)
		if err != nil {
			return fmt.Errorf("apipoll: checkpoint record %d/%d: %w", r.Partition, r.Offset, err)
		}
		cp, found = c, true
		return nil
	})
	if err != nil {
		return cp, false, fmt.Errorf("apipoll: read checkpoints: %w", err)
	}
	return cp, found, nil
}

// ReadCheckpoint returns the committed checkpoint of a sync, and whether
// there is one, from the sync-checkpoint topic with topicPrefix before its
// name (see topology.Options.TopicPrefix).
func ReadCheckpoint(ctx context.Context, clientOpts []kgo.Opt, topicPrefix, profile, account string) (avro.SyncCheckpoint, bool, error) {
	codecs, err := avro.NewCodecs()
	if err != nil {
		return avro.SyncCheckpoint{}, false, err
	}
	return readCheckpoint(ctx, clientOpts, topicPrefix+topology.TopicSyncCheckpoint, codecs, SyncKey(profile, account))
}
