package lake

import (
	"context"
	"sort"
	"time"
)

// startCompactor maintains the partitions this sink appended to, every
// CompactInterval, until the returned stop is called. A partition leaves
// the set once it was found closed (and so compacted); appending to it
// again brings it back.
func (s *Sink) startCompactor(ctx context.Context) (stop func()) {
	if s.opts.CompactInterval < 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(s.opts.CompactInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.compactTouched(ctx)
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

func (s *Sink) compactTouched(ctx context.Context) {
	s.touchedMu.Lock()
	seen := make(map[string]int64, len(s.touched))
	parts := make([]string, 0, len(s.touched))
	for p, n := range s.touched {
		seen[p] = n
		parts = append(parts, p)
	}
	s.touchedMu.Unlock()
	sort.Strings(parts)
	for _, p := range parts {
		stats, closed, err := maintainPartition(ctx, s.store, p, s.opts)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("compaction failed; will retry", "partition", p, "err", err)
			}
			return
		}
		if stats.Compacted > 0 {
			s.log.Info("compacted", "partition", p, "files_in", stats.FilesIn, "files_out", stats.FilesOut, "bytes_out", stats.BytesOut)
		}
		if closed {
			s.touchedMu.Lock()
			if s.touched[p] == seen[p] { // no append since the snapshot
				delete(s.touched, p)
			}
			s.touchedMu.Unlock()
		}
	}
}
