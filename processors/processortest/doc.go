// Package processortest runs processors without a broker.
//
// It provides in-memory implementations of what the runtime in package
// topology hands a processor:
//
//   - KV, a map-indexed processors.KV that is safe for concurrent use and
//     keeps its data out of the garbage collector's sight, so benchmarks
//     can hold millions of records in it;
//   - TxKV, a KV with a pending write set that Commit makes durable and
//     Abort throws away, mirroring the runtime's transactional stores;
//   - Context, a processors.Context that records what the processor emits,
//     per output, with settable partition, offset and processing time. Its
//     stores are TxKVs, and Context.Commit and Context.Abort commit or roll
//     back the stores and the emitted records together, so a test can
//     simulate a crash and a replay.
//
// A typical test:
//
//	ctx := processortest.NewContext()
//	ctx.SetNow(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
//	err := p.Process(ctx, processors.Record[avro.UsageEvent]{Value: ev})
//	...
//	err = p.Flush(ctx)
//	ctx.Commit()
//	alerts := ctx.Records("alerts")
package processortest
