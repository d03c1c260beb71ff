package avro

import (
	"fmt"
	"math/big"
	"time"

	"github.com/linkedin/goavro/v2"
	"github.com/shopspring/decimal"
)

// Helpers converting between Go values and goavro's native representation.
// Readers are lenient about absent fields: a field the writer schema did not
// have reads as the zero value, which equals the reader schema's default for
// every field that has one (null, "", false, []); Serde.Decode refuses a
// writer that lacks a field without default before these run.

func optString(p *string) any {
	if p == nil {
		return nil
	}
	return goavro.Union("string", *p)
}

func optLong(p *int64) any {
	if p == nil {
		return nil
	}
	return goavro.Union("long", *p)
}

func strings2any(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// daysSinceEpoch is the Avro date logical type's value for t's calendar day.
func dateValue(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

type fieldReader struct {
	m   map[string]any
	err error
}

func (r *fieldReader) fail(name string, v any, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("field %s: got %T, want %s", name, v, want)
	}
}

func (r *fieldReader) str(name string) string {
	v, ok := r.m[name]
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		r.fail(name, v, "string")
	}
	return s
}

// branch returns the value of the optional (union with null) field name
// in its branch typ; false when the field is null or absent, or not such
// a union (the reader's error then says so).
func (r *fieldReader) branch(name, typ string) (any, bool) {
	v, ok := r.m[name]
	if !ok || v == nil {
		return nil, false
	}
	u, ok := v.(map[string]any)
	if !ok {
		r.fail(name, v, "union")
		return nil, false
	}
	return u[typ], true
}

func (r *fieldReader) optStr(name string) *string {
	b, ok := r.branch(name, "string")
	if !ok {
		return nil
	}
	s, ok := b.(string)
	if !ok {
		r.fail(name, b, "string branch")
		return nil
	}
	return &s
}

func (r *fieldReader) long(name string) int64 {
	v, ok := r.m[name]
	if !ok || v == nil {
		return 0
	}
	n, ok := v.(int64)
	if !ok {
		r.fail(name, v, "long")
	}
	return n
}

func (r *fieldReader) optLong(name string) *int64 {
	b, ok := r.branch(name, "long")
	if !ok {
		return nil
	}
	n, ok := b.(int64)
	if !ok {
		r.fail(name, b, "long branch")
		return nil
	}
	return &n
}

func (r *fieldReader) boolean(name string) bool {
	v, ok := r.m[name]
	if !ok || v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		r.fail(name, v, "boolean")
	}
	return b
}

func (r *fieldReader) bytes(name string) []byte {
	v, ok := r.m[name]
	if !ok || v == nil {
		return nil
	}
	b, ok := v.([]byte)
	if !ok {
		r.fail(name, v, "bytes")
	}
	return b
}

func (r *fieldReader) strs(name string) []string {
	v, ok := r.m[name]
	if !ok || v == nil {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		r.fail(name, v, "array")
		return nil
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		s, ok := e.(string)
		if !ok {
			r.fail(name, e, "string item")
			return nil
		}
		out = append(out, s)
	}
	return out
}

func (r *fieldReader) records(name string) []map[string]any {
	v, ok := r.m[name]
	if !ok || v == nil {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		r.fail(name, v, "array")
		return nil
	}
	out := make([]map[string]any, 0, len(arr))
	for _, e := range arr {
		m, ok := e.(map[string]any)
		if !ok {
			r.fail(name, e, "record item")
			return nil
		}
		out = append(out, m)
	}
	return out
}

func (r *fieldReader) record(name string) map[string]any {
	v, ok := r.m[name]
	if !ok || v == nil {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		r.fail(name, v, "record")
	}
	return m
}

func (r *fieldReader) date(name string) time.Time {
	v, ok := r.m[name]
	if !ok || v == nil {
		return time.Time{}
	}
	t, ok := v.(time.Time)
	if !ok {
		r.fail(name, v, "date")
	}
	return t.UTC()
}

func (r *fieldReader) timestamp(name string) time.Time {
	return r.date(name)
}

func (r *fieldReader) decimal(name string) decimal.Decimal {
	v, ok := r.m[name]
	if !ok || v == nil {
		return decimal.Zero
	}
	rat, ok := v.(*big.Rat)
	if !ok {
		r.fail(name, v, "decimal")
		return decimal.Zero
	}
	return ratToDecimal(rat)
}
