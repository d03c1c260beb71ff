package lake

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// BenchmarkSinkWrite measures the sink's write path without a broker:
// decode framed Avro, route, buffer, sort, encode Parquet (zstd, bloom
// filters, statistics), publish with fsync and update manifests.
//
//	go test -run '^$' -bench BenchmarkSinkWrite -benchtime 20000x ./connectors/lake/
func BenchmarkSinkWrite(b *testing.B) {
	const distinct = 5000
	recs := encodeRecords(b, "usage-enriched", genEvents(0, distinct), 1)
	var avroBytes int64
	for _, r := range recs {
		avroBytes += int64(len(r.Value))
	}
	o := testOptions(b.TempDir(), "usage-enriched", "g")
	o.RollRows = 50_000
	o.MaxBufferedRows = 200_000
	o.RowGroupRows = DefaultRowGroupRows
	s, err := newSinkCore(o)
	if err != nil {
		b.Fatal(err)
	}
	s.parts[0] = &kpart{position: -1, epoch: -1, committed: -1}
	ctx := context.Background()
	now := time.Now()
	b.SetBytes(avroBytes / distinct)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		src := recs[i%distinct]
		rec := kgo.Record{Topic: src.Topic, Partition: 0, Offset: int64(i), Value: src.Value}
		if err := s.consume(ctx, &rec, now); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.flushAll(ctx, -1, now); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start).Seconds()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed, "rows/s")
	b.ReportMetric(float64(s.stats.Bytes)/elapsed/1e6, "parquet_MB/s")
	b.ReportMetric(float64(s.stats.Bytes)/float64(b.N), "parquet_B/row")
}

// BenchmarkCompactDay writes a day of generated traffic the way a running
// sink would (files rolled every RollInterval of simulated time, idle
// flushes), compacts it, and reports the file count and size distribution
// before and after.
//
//	go test -run '^$' -bench BenchmarkCompactDay -benchtime 1x -v ./connectors/lake/
func BenchmarkCompactDay(b *testing.B) {
	const events = 24_000 // 1000 an hour
	for i := 0; i < b.N; i++ {
		root := b.TempDir()
		clock := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
		o := testOptions(root, "usage-enriched", "g")
		o.RollRows = 100_000
		o.RollInterval = 10 * time.Minute
		o.IdleTimeout = time.Minute
		o.MaxBufferedRows = 100_000
		o.RowGroupRows = DefaultRowGroupRows
		o.Now = func() time.Time { return clock }
		s, err := newSinkCore(o)
		if err != nil {
			b.Fatal(err)
		}
		evs := genEvents(0, events)
		for j := range evs {
			evs[j].Event.IngestTime = clock.Add(time.Duration(j) * 24 * time.Hour / events)
		}
		recs := encodeRecords(b, o.Topic, evs, 3)
		ctx := context.Background()
		for p := int32(0); p < 3; p++ {
			s.parts[p] = &kpart{position: -1, epoch: -1, committed: -1}
		}
		for j, r := range recs {
			clock = evs[j].Event.IngestTime
			if err := s.consume(ctx, r, clock); err != nil {
				b.Fatal(err)
			}
			if j%50 == 0 {
				if err := s.flushDue(ctx, clock); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := s.flushAll(ctx, -1, clock); err != nil {
			b.Fatal(err)
		}
		before := fileSizes(b, root)
		clock = clock.Add(2 * time.Hour)
		co := compactOptions(root, 8<<20)
		co.Now = o.Now
		co.RetainReplaced = time.Nanosecond
		st, err := Compact(ctx, co)
		if err != nil {
			b.Fatal(err)
		}
		after := fileSizes(b, root)
		b.Logf("day of %d events, %d partitions\nbefore compaction: %s\nafter compaction:  %s\n%+v",
			events, st.Partitions, distribution(before), distribution(after), st)
		b.ReportMetric(float64(len(before)), "files_before")
		b.ReportMetric(float64(len(after)), "files_after")
		b.ReportMetric(float64(percentile(after, 50))/1024, "p50_KiB_after")
	}
}

func fileSizes(b *testing.B, root string) []int64 {
	st, err := openRoot(root)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	l, err := readLayout(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	parts, err := listPartitions(ctx, st, l.PartitionKeys, nil)
	if err != nil {
		b.Fatal(err)
	}
	var sizes []int64
	for _, p := range parts {
		m, _, err := loadManifest(ctx, st, p)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range m.Files {
			sizes = append(sizes, f.Size)
		}
	}
	sort.Slice(sizes, func(i, j int) bool { return sizes[i] < sizes[j] })
	return sizes
}

func percentile(sorted []int64, p int) int64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[(len(sorted)-1)*p/100]
}

func distribution(sorted []int64) string {
	var total int64
	for _, s := range sorted {
		total += s
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d files, %.1f KiB total; min %.1f p50 %.1f p90 %.1f max %.1f KiB",
		len(sorted), float64(total)/1024, kib(percentile(sorted, 0)), kib(percentile(sorted, 50)),
		kib(percentile(sorted, 90)), kib(percentile(sorted, 100)))
	return b.String()
}

func kib(n int64) float64 { return float64(n) / 1024 }
