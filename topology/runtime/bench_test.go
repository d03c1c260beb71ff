package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/processors"
)

// benchRecords is how many input records each benchmark iteration drains.
const benchRecords = 50000

// BenchmarkRuntime measures records/s through the runtime on an in-process
// cluster (kfake): each iteration is a new group draining the whole input
// (join, transactions every CommitEvery records, shutdown). "passthrough"
// emits one output per record and has no store; "count" is the counting
// pipeline (one store read and write and one output per record).
//
//	go test ./topology/runtime/ -run '^$' -bench Runtime -benchtime 3x
func BenchmarkRuntime(b *testing.B) {
	tp := newTopics("bench")
	brokers := fakeCluster(b, 4, tp)
	produce(b, brokers, tp.in, keyedInputs(0, benchRecords, 1000, 0))

	passthrough := processors.ProcessorFunc[string](func(ctx processors.Context, rec processors.Record[string]) error {
		return ctx.Emit(outMarks, rec.Key, rec.Value)
	})
	for _, bc := range []struct {
		name   string
		proc   processors.Processor[string]
		stores []string
	}{
		{"passthrough", passthrough, nil},
		{"count", &countProcessor{}, []string{storeName}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var total time.Duration
			for i := range b.N {
				group := fmt.Sprintf("bench-%s-%d", bc.name, i)
				cfg := pipelineConfig(slog.New(slog.DiscardHandler), brokers, tp, group, group, b.TempDir(), bc.proc)
				cfg.Stores = bc.stores
				cfg.CommitEvery = 5000
				cfg.CommitInterval = time.Second
				cfg.QueueSize = 2000
				cfg.MaxPollRecords = 2000
				cfg.GroupOpts = append(cfg.GroupOpts, kgo.FetchMaxWait(20*time.Millisecond))
				r, err := New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				start := time.Now()
				err = r.Drain(ctx)
				total += time.Since(start)
				cancel()
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(benchRecords*b.N)/total.Seconds(), "records/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}
