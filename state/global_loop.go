package state

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// update is one record to apply, reported to OnUpdate before it is stored.
type update struct {
	key, old, new []byte
}

// run is the table's consuming goroutine: the only writer of its database.
// pos holds the next offset of every consumed partition.
func (t *GlobalTable) run(ctx context.Context, pos map[int32]int64) {
	defer close(t.done)

	targets, err := stableEnds(ctx, t.adm, t.topic, nil, stablePoll)
	if err != nil {
		if ctx.Err() == nil {
			t.fail(err)
		}
		return
	}
	for p, end := range targets {
		t.tr.target(p, pos[p], end)
	}
	t.discover(ctx, pos)
	lastDiscovery := time.Now()
	ready := t.checkReady(false, pos, targets)

	for {
		pollCtx, cancel := context.WithTimeout(ctx, idlePoll)
		fs := t.cl.PollFetches(pollCtx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err := fetchErr(fs); err != nil {
			t.log.Warn("state: global table fetch error", "err", err)
		}
		byPart := make(map[int32][]*kgo.Record)
		fs.EachPartition(func(p kgo.FetchTopicPartition) {
			if p.Topic == t.topic && len(p.Records) > 0 {
				byPart[p.Partition] = append(byPart[p.Partition], p.Records...)
			}
		})
		switch {
		case len(byPart) > 0:
			if err := t.applyFetch(byPart, pos); err != nil {
				t.fail(err)
				return
			}
		case !ready:
			if err := t.skipEmptyTails(ctx, pos, targets); err != nil {
				t.fail(err)
				return
			}
		}
		if time.Since(lastDiscovery) >= t.every {
			t.discover(ctx, pos)
			lastDiscovery = time.Now()
		}
		ready = t.checkReady(ready, pos, targets)
	}
}

// applyFetch reports the records of one poll to OnUpdate, then stores them
// with the new checkpoint of every partition in it and invalidates the cache.
func (t *GlobalTable) applyFetch(byPart map[int32][]*kgo.Record, pos map[int32]int64) error {
	var (
		data    []write
		meta    []write
		keys    [][]byte
		updates []update
		overlay = make(map[string][]byte) // value as of the previous record; nil if absent
		counts  = make(map[int32]int64)
	)
	for _, p := range slices.Sorted(maps.Keys(byPart)) {
		next := pos[p]
		for _, r := range byPart[p] {
			next = max(next, r.Offset+1)
			if r.Attrs.IsControl() || len(r.Key) == 0 {
				continue
			}
			if t.onUpdate != nil || t.derive != nil {
				var old []byte
				if o, ok := overlay[string(r.Key)]; ok {
					old = o
				} else {
					v, ok, err := t.d.get(r.Key)
					if err != nil {
						return err
					}
					if ok {
						old = v
					}
				}
				overlay[string(r.Key)] = r.Value
				updates = append(updates, update{key: r.Key, old: old, new: r.Value})
			}
			data = append(data, write{key: dataKey(r.Key), val: r.Value, del: r.Value == nil})
			keys = append(keys, r.Key)
			counts[p]++
		}
		pos[p] = next
		meta = append(meta, write{key: globalCheckpointKey(p), val: encodeOffset(next)})
	}
	// Report before storing: a crash in between repeats the same calls
	// on restart, since the checkpoint did not move (at-least-once).
	if t.onUpdate != nil {
		for _, u := range updates {
			t.onUpdate(u.key, u.old, u.new)
		}
	}
	if t.derive != nil {
		t.derived.begin()
		for _, u := range updates {
			if err := t.derive(t.derived, u.key, u.old, u.new); err != nil {
				t.derived.clear()
				return fmt.Errorf("state: derive from %s: %w", t.topic, err)
			}
		}
		data = append(data, t.derived.writes()...)
	}
	err := t.d.apply(data, meta)
	t.derived.clear()
	if err != nil {
		return err
	}
	t.cache.invalidate(keys)
	for _, p := range slices.Sorted(maps.Keys(byPart)) {
		t.tr.progress(p, pos[p], counts[p])
	}
	return nil
}

// skipEmptyTails moves partitions that are behind their target but have no
// record left below it (see HasRecordsBefore) to their target.
func (t *GlobalTable) skipEmptyTails(ctx context.Context, pos, targets map[int32]int64) error {
	for p, end := range targets {
		if pos[p] >= end {
			continue
		}
		more, err := HasRecordsBefore(ctx, t.cl, t.topic, p, pos[p], end)
		if err != nil {
			t.log.Debug("state: end probe failed, still consuming", "partition", p, "err", err)
			continue
		}
		if more {
			continue
		}
		if err := t.d.apply(nil, []write{{key: globalCheckpointKey(p), val: encodeOffset(end)}}); err != nil {
			return err
		}
		pos[p] = end
		t.tr.progress(p, end, 0)
	}
	return nil
}

// discover starts consuming partitions of the topic that appeared since it
// was last looked at, from their first offset.
func (t *GlobalTable) discover(ctx context.Context, pos map[int32]int64) {
	tds, err := t.adm.ListTopics(ctx, t.topic)
	if err != nil {
		t.log.Debug("state: partition discovery failed", "err", err)
		return
	}
	td, ok := tds[t.topic]
	if !ok || td.Err != nil {
		t.log.Debug("state: partition discovery failed", "err", td.Err)
		return
	}
	added := make(map[int32]kgo.Offset)
	for p := range td.Partitions {
		if _, known := pos[p]; !known {
			added[p] = kgo.NewOffset().AtStart()
			pos[p] = 0
			t.tr.progress(p, 0, 0)
		}
	}
	if len(added) > 0 {
		t.log.Info("state: consuming new partitions", "partitions", slices.Sorted(maps.Keys(added)))
		t.cl.AddConsumePartitions(map[string]map[int32]kgo.Offset{t.topic: added})
	}
}

// checkReady marks the table ready once every partition reached its target.
func (t *GlobalTable) checkReady(ready bool, pos, targets map[int32]int64) bool {
	if ready {
		return true
	}
	for p, end := range targets {
		if pos[p] < end {
			return false
		}
	}
	t.tr.setPhase(PhaseReady, nil)
	close(t.ready)
	return true
}
