package processortest

import (
	"reflect"
	"sync"
	"time"

	"github.com/ledgerline/ledgerline/processors"
)

// Emitted is one record a processor emitted.
type Emitted struct {
	Out       processors.Output
	Key       []byte
	Value     any
	Committed bool // the transaction it was emitted in has committed
}

// Context is a processors.Context for tests. Its stores are TxKVs created
// on first use; emitted records are kept in emission order. Commit and
// Abort end the current transaction for stores and emitted records alike.
// It is safe for concurrent use, although a processor drives one context
// from one goroutine.
type Context struct {
	mu        sync.Mutex
	partition int32
	offset    int64
	now       time.Time
	stores    map[string]*TxKV
	emitted   []Emitted
}

var _ processors.Context = (*Context)(nil)

// NewContext returns a context for partition 0 at offset 0 whose clock
// reads the zero time until SetNow is called.
func NewContext() *Context { return &Context{stores: map[string]*TxKV{}} }

// SetPartition sets what Partition returns.
func (c *Context) SetPartition(p int32) { c.mu.Lock(); c.partition = p; c.mu.Unlock() }

// SetOffset sets what Offset returns.
func (c *Context) SetOffset(o int64) { c.mu.Lock(); c.offset = o; c.mu.Unlock() }

// SetNow sets what Now returns.
func (c *Context) SetNow(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// Store implements processors.Context.
func (c *Context) Store(name string) processors.KV { return c.TxStore(name) }

// TxStore returns the named store with its transaction controls.
func (c *Context) TxStore(name string) *TxKV {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.stores[name]
	if !ok {
		s = NewTxKV()
		c.stores[name] = s
	}
	return s
}

// Emit implements processors.Context. The key is copied, and so is the
// value when it points to a struct (a shallow copy, as the processor may
// reuse the struct once Emit returns); any other value is kept as given.
func (c *Context) Emit(out processors.Output, key []byte, value any) error {
	if v := reflect.ValueOf(value); v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
		cp := reflect.New(v.Elem().Type())
		cp.Elem().Set(v.Elem())
		value = cp.Interface()
	}
	c.mu.Lock()
	c.emitted = append(c.emitted, Emitted{Out: out, Key: clone(key), Value: value})
	c.mu.Unlock()
	return nil
}

// Partition implements processors.Context.
func (c *Context) Partition() int32 { c.mu.Lock(); defer c.mu.Unlock(); return c.partition }

// Offset implements processors.Context.
func (c *Context) Offset() int64 { c.mu.Lock(); defer c.mu.Unlock(); return c.offset }

// Now implements processors.Context.
func (c *Context) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// Commit commits every store and marks the records emitted so far as
// committed.
func (c *Context) Commit() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.stores {
		s.Commit()
	}
	for i := range c.emitted {
		c.emitted[i].Committed = true
	}
}

// Abort rolls every store back to its last commit and drops the records
// emitted since, as the broker does for an aborted transaction.
func (c *Context) Abort() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.stores {
		s.Abort()
	}
	kept := c.emitted[:0]
	for _, e := range c.emitted {
		if e.Committed {
			kept = append(kept, e)
		}
	}
	clear(c.emitted[len(kept):])
	c.emitted = kept
}

// All returns every record emitted and not aborted, in emission order.
func (c *Context) All() []Emitted {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Emitted(nil), c.emitted...)
}

// Records returns the records emitted to out and not aborted, in emission
// order.
func (c *Context) Records(out processors.Output) []Emitted {
	c.mu.Lock()
	defer c.mu.Unlock()
	var rs []Emitted
	for _, e := range c.emitted {
		if e.Out == out {
			rs = append(rs, e)
		}
	}
	return rs
}

// Reset forgets the emitted records; stores are kept.
func (c *Context) Reset() {
	c.mu.Lock()
	c.emitted = nil
	c.mu.Unlock()
}
