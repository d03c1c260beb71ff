package runtime

import (
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/processors"
)

// taskContext is the processors.Context of one task. The task reuses it for
// every record (it is only used under the task's procMu).
type taskContext[V any] struct {
	t      *task[V]
	offset int64 // the record's offset; -1 for broadcasts and flushes
}

var _ processors.Context = (*taskContext[int])(nil)

// Store returns the task's store name. A name not in Config.Stores yields a
// store whose every operation fails.
func (c *taskContext[V]) Store(name string) processors.KV {
	if s, ok := c.t.stores[name]; ok {
		return s
	}
	return missingStore{name: name}
}

// Emit encodes value with the output's encoder and produces it, keyed by
// key, in the open transaction.
func (c *taskContext[V]) Emit(out processors.Output, key []byte, value any) error {
	return c.t.r.emit(out, key, value)
}

// Partition returns the task's partition.
func (c *taskContext[V]) Partition() int32 { return c.t.partition }

// Offset returns the offset of the record being processed, or -1 outside
// a record (broadcasts, flushes).
func (c *taskContext[V]) Offset() int64 { return c.offset }

// Now returns Config.Now().
func (c *taskContext[V]) Now() time.Time { return c.t.r.cfg.Now() }

// emit encodes value for out and produces it in the open transaction. A
// produce failure surfaces when the transaction ends (it then aborts).
func (r *Runner[V]) emit(out processors.Output, key []byte, value any) error {
	spec, ok := r.cfg.Outputs[out]
	if !ok {
		return &Error{Op: OpProduce, Partition: -1, Offset: -1, Class: Fatal,
			Err: fmt.Errorf("emit to unknown output %q", out)}
	}
	b, err := spec.Encode(value)
	if err != nil {
		return &Error{Op: OpProduce, Topic: spec.Topic, Partition: -1, Offset: -1, Class: Fatal,
			Err: fmt.Errorf("encode %T for output %q: %w", value, out, err)}
	}
	rec := &kgo.Record{Topic: spec.Topic, Value: b}
	if key != nil {
		rec.Key = append(make([]byte, 0, len(key)), key...)
	}
	r.cl.Produce(r.prodCtx, rec, r.promise)
	return nil
}

// promise records the first failed produce of the transaction.
func (r *Runner[V]) promise(rec *kgo.Record, err error) {
	if err != nil {
		r.txnErr.set(&Error{Op: OpProduce, Topic: rec.Topic, Partition: rec.Partition, Offset: -1,
			Class: classifyKafka(err), Err: err})
	}
}
