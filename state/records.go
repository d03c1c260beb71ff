package state

import "github.com/twmb/franz-go/pkg/kgo"

// batch is the Badger form of a run of consecutive records of one partition.
type batch struct {
	writes  []write
	next    int64 // offset after the last record, control records included
	applied int64 // data records turned into writes
	skipped int64 // data records without a key, which cannot be stored
}

// batchOf converts records of one partition, in offset order, into writes.
// Control records (transaction markers, returned because the consumers here
// use kgo.KeepControlRecords) only advance next. A nil value deletes the key.
// next is -1 when recs is empty.
func batchOf(recs []*kgo.Record) batch {
	b := batch{next: -1, writes: make([]write, 0, len(recs))}
	for _, r := range recs {
		b.next = max(b.next, r.Offset+1)
		if r.Attrs.IsControl() {
			continue
		}
		if len(r.Key) == 0 {
			b.skipped++
			continue
		}
		w := write{key: dataKey(r.Key)}
		if r.Value == nil {
			w.del = true
		} else {
			w.val = r.Value
		}
		b.writes = append(b.writes, w)
		b.applied++
	}
	return b
}
