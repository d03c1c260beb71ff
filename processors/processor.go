package processors

import "time"

// Record is one input record with its metadata.
type Record[V any] struct {
	Key       []byte
	Value     V
	Topic     string
	Partition int32
	Offset    int64
	Timestamp time.Time
}

// KV is a key-value state store. Writes become durable only when the
// runtime commits the transaction the current record is processed in; a
// read sees the writes made before it in the same transaction.
type KV interface {
	Get(key []byte) (value []byte, ok bool, err error)
	Put(key, value []byte) error
	Delete(key []byte) error
}

// Output names a logical output of a processor. The topology maps outputs
// to topics, so a processor never names a topic.
type Output string

// Context is what a processor may touch while it processes one record.
type Context interface {
	// Store returns the named state store of the current partition.
	Store(name string) KV
	// Emit sends value, keyed by key, to output. Values are typed (for
	// example *avro.DriftAlert); the runtime encodes them. Emitted records
	// become visible downstream only when the transaction commits. Emit
	// reads key and value only during the call, so a processor may reuse
	// them once it returns (the strings and slices inside the value must
	// not change afterwards: a test context keeps a shallow copy).
	Emit(out Output, key []byte, value any) error
	// Partition and Offset locate the record being processed.
	Partition() int32
	Offset() int64
	// Now is the processing time, injectable for tests.
	Now() time.Time
}

// Processor handles records of one input type.
type Processor[V any] interface {
	// Process handles one record. An error is fatal for the task: the
	// runtime aborts the transaction and the record is retried after
	// restart. Bad data is never an error: route it to a dead-letter output.
	Process(ctx Context, rec Record[V]) error
}

// ProcessorFunc adapts a function to Processor.
type ProcessorFunc[V any] func(ctx Context, rec Record[V]) error

// Process implements Processor.
func (f ProcessorFunc[V]) Process(ctx Context, rec Record[V]) error { return f(ctx, rec) }

// Flusher is implemented by processors that buffer output across records
// (for example deduplicated alerts whose counts are updated). The runtime
// calls Flush on every task before it commits a transaction, so what is
// flushed commits atomically with the input offsets it accounts for.
type Flusher interface {
	Flush(ctx Context) error
}
