package lake

import (
	"bytes"
	"encoding/binary"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// Statistics of byte-array columns at or above this length may have been
// truncated by a writer, so such a maximum does not bound the column.
const maxTrustedStatLen = 64

// chunkStats are the min/max statistics of one column chunk.
type chunkStats struct {
	min, max  []byte
	nulls     int64
	rows      int64
	available bool
}

func statsOf(md *format.RowGroup, col int) chunkStats {
	if col < 0 || col >= len(md.Columns) {
		return chunkStats{}
	}
	s := md.Columns[col].MetaData.Statistics
	cs := chunkStats{min: s.MinValue, max: s.MaxValue, nulls: s.NullCount, rows: md.NumRows}
	cs.available = s.MinValue != nil && s.MaxValue != nil
	return cs
}

// allNull reports whether the chunk holds only nulls.
func (c chunkStats) allNull() bool { return c.rows > 0 && c.nulls == c.rows }

// mayContainString reports whether any value of s can lie in the chunk.
func (c chunkStats) mayContainString(s set) bool {
	if s == nil {
		return true
	}
	if c.allNull() {
		return false
	}
	if !c.available {
		return true
	}
	for v := range s {
		if bytes.Compare([]byte(v), c.min) < 0 {
			continue
		}
		if len(c.max) < maxTrustedStatLen && bytes.Compare([]byte(v), c.max) > 0 {
			continue
		}
		return true
	}
	return false
}

// overlapsInt64 reports whether [lo, hi] overlaps the chunk's range of a
// little-endian INT64 column.
func (c chunkStats) overlapsInt64(lo, hi int64) bool {
	if !c.available || len(c.min) != 8 || len(c.max) != 8 {
		return true
	}
	mn := int64(binary.LittleEndian.Uint64(c.min))
	mx := int64(binary.LittleEndian.Uint64(c.max))
	return mx >= lo && mn <= hi
}

// overlapsInt32 is overlapsInt64 for an INT32 column.
func (c chunkStats) overlapsInt32(lo, hi int32) bool {
	if !c.available || len(c.min) != 4 || len(c.max) != 4 {
		return true
	}
	mn := int32(binary.LittleEndian.Uint32(c.min))
	mx := int32(binary.LittleEndian.Uint32(c.max))
	return mx >= lo && mn <= hi
}

// columns maps the column names pruning uses to leaf indexes of a file.
type columns struct {
	isrc, dsp, territory, period, ingest, sha int
}

func columnsOf(pf *parquet.File) columns {
	idx := func(name string) int {
		if leaf, ok := pf.Schema().Lookup(name); ok {
			return leaf.ColumnIndex
		}
		return -1
	}
	return columns{
		isrc: idx(colISRC), dsp: idx("dsp"), territory: idx("territory"),
		period: idx("period_start"), ingest: idx("ingest_time"), sha: idx(colFileSHA256),
	}
}

// rowGroupMayMatch decides from statistics and the ISRC bloom filter
// whether row group i of a file can hold rows that match f.
func rowGroupMayMatch(pf *parquet.File, cols columns, i int, f *filter) bool {
	md := &pf.Metadata().RowGroups[i]
	if !statsOf(md, cols.ingest).overlapsInt64(f.minIngestMs, f.maxIngestMs) {
		return false
	}
	if !statsOf(md, cols.period).overlapsInt32(f.minPeriodDay, f.maxPeriodDay) {
		return false
	}
	if !statsOf(md, cols.dsp).mayContainString(f.dsps) || !statsOf(md, cols.territory).mayContainString(f.territories) {
		return false
	}
	if f.isrcs == nil {
		return true
	}
	if !statsOf(md, cols.isrc).mayContainString(f.isrcs) {
		return false
	}
	return bloomMayContain(pf.RowGroups()[i], cols.isrc, f.isrcs)
}

// bloomMayContain checks the column's bloom filter, if it has one.
func bloomMayContain(rg parquet.RowGroup, col int, s set) bool {
	chunks := rg.ColumnChunks()
	if col < 0 || col >= len(chunks) {
		return true
	}
	bf := chunks[col].BloomFilter()
	if bf == nil {
		return true
	}
	for v := range s {
		ok, err := bf.Check(parquet.ValueOf(v))
		if err != nil || ok {
			return true
		}
	}
	return false
}
