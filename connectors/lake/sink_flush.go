package lake

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// errFenced means the manifest already holds events at or after the first
// offset of a file being added: another writer (a previous owner of the
// Kafka partition that had not stopped yet) got there first.
var errFenced = errors.New("lake: offsets already in the lake")

// flush writes b as one file and adds it to its partition's manifest, then
// forgets b. The manifest update carries the replay fence: it only succeeds
// if the partition's high water for the Kafka partition is below the
// file's first offset, and it raises the high water to the file's last
// offset, in one atomic step. When the fence says part of the rows is
// already in the lake, those rows are dropped and the rest is written
// under a new name.
func (s *Sink) flush(ctx context.Context, b *buffer, now time.Time) error {
	rows := b.rows
	for len(rows) > 0 {
		first, last := offsetRange(rows)
		name := dataFileName(s.opts.Topic, b.key.partition, first, last)
		path := b.key.lake + "/" + name
		size, err := s.files.publish(ctx, s.store, path, rows)
		if err != nil {
			return err
		}
		fence := int64(-1)
		_, err = updateManifest(ctx, s.store, b.key.lake, func(m *Manifest) error {
			if hw := m.highWater(s.opts.Topic, b.key.partition); hw >= first {
				fence = hw
				return errFenced
			}
			m.Files = append(m.Files, FileEntry{Name: name, Size: size, Rows: int64(len(rows)), Created: now.UTC()})
			if m.HighWater == nil {
				m.HighWater = map[string]int64{}
			}
			m.HighWater[sourceKey(s.opts.Topic, b.key.partition)] = last
			m.LastAppend = now.UTC()
			if m.Values == nil {
				m.Values = b.values
			}
			return nil
		})
		if errors.Is(err, errFenced) {
			s.stats.Fenced++
			s.log.Warn("another writer already added part of a file's offsets; dropping those rows",
				"partition", b.key.lake, "kafka_partition", b.key.partition, "first", first, "high_water", fence)
			if err := s.discard(ctx, b.key.lake, name); err != nil {
				return err
			}
			s.fences[b.key] = fence
			rows = above(rows, fence)
			continue
		}
		if err != nil {
			return fmt.Errorf("lake: add %s: %w", path, err)
		}
		s.fences[b.key] = last
		s.stats.Files++
		s.stats.Rows += int64(len(rows))
		s.stats.Bytes += size
		s.log.Debug("file written", "path", path, "rows", len(rows), "bytes", size)
		break
	}
	s.buffered -= len(b.rows)
	delete(s.buffers, b.key)
	s.touch(b.key.lake)
	s.trimFences()
	return nil
}

// maxCachedFences bounds the replay-fence cache. Dropping an entry is
// always safe: the next event for it reads the manifest again.
const maxCachedFences = 1 << 16

// trimFences empties the cache of entries without a buffer once it is full.
func (s *Sink) trimFences() {
	if len(s.fences) <= maxCachedFences {
		return
	}
	for k := range s.fences {
		if s.buffers[k] == nil {
			delete(s.fences, k)
		}
	}
}

// discard deletes a published file that did not make it into the manifest,
// unless the manifest lists a file of the same name (which then has the
// same rows, written by the writer that won).
func (s *Sink) discard(ctx context.Context, partition, name string) error {
	m, _, err := loadManifest(ctx, s.store, partition)
	if err != nil {
		return err
	}
	if m.has(name) {
		return nil
	}
	if err := s.store.Delete(ctx, partition+"/"+name); err != nil {
		return fmt.Errorf("lake: remove unlisted %s/%s: %w", partition, name, err)
	}
	return nil
}

func offsetRange(rows []record) (first, last int64) {
	first, last = rows[0].KafkaOffset, rows[0].KafkaOffset
	for i := range rows {
		first = min(first, rows[i].KafkaOffset)
		last = max(last, rows[i].KafkaOffset)
	}
	return first, last
}

func above(rows []record, fence int64) []record {
	out := rows[:0:0]
	for i := range rows {
		if rows[i].KafkaOffset > fence {
			out = append(out, rows[i])
		}
	}
	return out
}
