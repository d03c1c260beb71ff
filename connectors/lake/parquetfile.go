package lake

import (
	"cmp"
	"fmt"
	"io"
	"sort"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// bloomBitsPerValue sizes the split-block bloom filters: 10 bits per
// distinct value gives about a 1% false-positive rate.
const bloomBitsPerValue = 10

// sortingColumns is the order of rows within every lake file: by ISRC,
// rows without ISRC last. The writer sorts by Kafka lineage after that so
// that a file's bytes depend only on its rows.
func sortingColumns() []parquet.SortingColumn {
	return []parquet.SortingColumn{parquet.Ascending(colISRC)}
}

// fileWriter writes lake files. It keeps one zstd codec, whose encoders are
// pooled, for all the files it writes. It is safe for concurrent use.
type fileWriter struct {
	codec        *zstd.Codec
	rowGroupRows int64
}

func newFileWriter(rowGroupRows int) *fileWriter {
	return &fileWriter{codec: &zstd.Codec{Level: zstd.SpeedDefault}, rowGroupRows: int64(rowGroupRows)}
}

func (fw *fileWriter) options() []parquet.WriterOption {
	return []parquet.WriterOption{
		parquet.Compression(fw.codec),
		parquet.MaxRowsPerRowGroup(fw.rowGroupRows),
		parquet.DataPageStatistics(true),
		parquet.SkipPageBounds("revenue"),
		parquet.SkipPageStatistics("revenue"),
		parquet.BloomFilters(
			parquet.SplitBlockFilter(bloomBitsPerValue, colISRC),
			parquet.SplitBlockFilter(bloomBitsPerValue, colFileSHA256),
		),
		parquet.SortingWriterConfig(parquet.SortingColumns(sortingColumns()...)),
		parquet.CreatedBy("ledgerline lake", "1", ""),
	}
}

// compareRecords orders records as the lake stores them.
func compareRecords(a, b *record) int {
	switch {
	case a.ISRC == nil && b.ISRC != nil:
		return 1
	case a.ISRC != nil && b.ISRC == nil:
		return -1
	case a.ISRC != nil && b.ISRC != nil:
		if c := cmp.Compare(*a.ISRC, *b.ISRC); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(a.KafkaTopic, b.KafkaTopic); c != 0 {
		return c
	}
	if c := cmp.Compare(a.KafkaPartition, b.KafkaPartition); c != 0 {
		return c
	}
	return cmp.Compare(a.KafkaOffset, b.KafkaOffset)
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeRecords sorts rows in place and writes them as one Parquet file to
// w, returning the file size.
func (fw *fileWriter) writeRecords(w io.Writer, rows []record) (int64, error) {
	sort.Slice(rows, func(i, j int) bool { return compareRecords(&rows[i], &rows[j]) < 0 })
	cw := &countingWriter{w: w}
	pw := parquet.NewGenericWriter[record](cw, fw.options()...)
	for len(rows) > 0 {
		n, err := pw.Write(rows)
		if err != nil {
			return 0, fmt.Errorf("lake: write parquet rows: %w", err)
		}
		rows = rows[n:]
	}
	if err := pw.Close(); err != nil {
		return 0, fmt.Errorf("lake: close parquet writer: %w", err)
	}
	return cw.n, nil
}
