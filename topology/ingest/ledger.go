package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
)

// readLedger reads the ledger topic up to its last stable offset with a
// read_committed consumer and returns the latest entry per file; when only
// is non-empty, only that file's entry is kept. Control records are kept so
// that a commit marker at the end of a partition moves the position to the
// end.
func readLedger(ctx context.Context, clientOpts []kgo.Opt, topic string, codecs *avro.Codecs, only string) (map[string]avro.IngestLedgerEntry, error) {
	admCl, err := kgo.NewClient(clientOpts...)
	if err != nil {
		return nil, fmt.Errorf("ingest: ledger admin client: %w", err)
	}
	defer admCl.Close()
	adm := kadm.NewClient(admCl)
	starts, err := adm.ListStartOffsets(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("ingest: ledger start offsets: %w", err)
	}
	ends, err := adm.ListCommittedOffsets(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("ingest: ledger end offsets: %w", err)
	}
	want := map[int32]kgo.Offset{}
	end := map[int32]int64{}
	var lerr error
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err != nil && lerr == nil {
			lerr = fmt.Errorf("ingest: ledger %s/%d: %w", o.Topic, o.Partition, o.Err)
			return
		}
		s, _ := starts.Lookup(o.Topic, o.Partition)
		if o.Offset > s.Offset {
			want[o.Partition] = kgo.NewOffset().At(s.Offset)
			end[o.Partition] = o.Offset
		}
	})
	if lerr != nil {
		return nil, lerr
	}
	if len(ends) == 0 {
		return nil, fmt.Errorf("ingest: ledger topic %s not found: create the topology first", topic)
	}
	out := map[string]avro.IngestLedgerEntry{}
	if len(want) == 0 {
		return out, nil
	}
	cl, err := kgo.NewClient(append(append([]kgo.Opt{}, clientOpts...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: want}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(),
	)...)
	if err != nil {
		return nil, fmt.Errorf("ingest: ledger consumer: %w", err)
	}
	defer cl.Close()
	pos := map[int32]int64{}
	for p, o := range want {
		pos[p] = o.EpochOffset().Offset
	}
	idle := 0
	for !done(pos, end) {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		fs := cl.PollFetches(pctx)
		cancel()
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("ingest: reading ledger: %w", err)
		}
		var ferr error
		fs.EachError(func(t string, p int32, err error) {
			if ferr == nil && pctx.Err() == nil {
				ferr = fmt.Errorf("ingest: ledger fetch %s/%d: %w", t, p, err)
			}
		})
		if ferr != nil {
			return nil, ferr
		}
		n := 0
		fs.EachRecord(func(r *kgo.Record) {
			n++
			pos[r.Partition] = r.Offset + 1
			if r.Attrs.IsControl() || r.Value == nil {
				return
			}
			if only != "" && string(r.Key) != only {
				return
			}
			e, err := codecs.Ledger.Decode(r.Value)
			if err != nil {
				return // not ours to judge here; a newer writer, say
			}
			out[e.FileSHA256] = e
		})
		if n == 0 {
			// Nothing more arrives although a partition has not reached
			// its end: the tail of a compacted partition whose active
			// segment is empty is never delivered. Live transaction
			// markers sit in the active segment and always arrive, so a
			// partition that stays silent this long has nothing left.
			if idle++; idle >= 5 {
				return out, nil
			}
		} else {
			idle = 0
		}
	}
	return out, nil
}

func done(pos, end map[int32]int64) bool {
	for p, e := range end {
		if pos[p] < e {
			return false
		}
	}
	return true
}
