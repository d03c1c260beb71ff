package processortest

import (
	"testing"
	"time"
)

func TestKV(t *testing.T) {
	kv := NewKV()
	val := []byte("v1")
	if err := kv.Put([]byte("k"), val); err != nil {
		t.Fatal(err)
	}
	val[0] = 'x' // the store keeps its own copy
	got, ok, err := kv.Get([]byte("k"))
	if err != nil || !ok || string(got) != "v1" {
		t.Fatalf("Get = %q %v %v", got, ok, err)
	}
	got[0] = 'y' // and hands out copies
	if again, _, _ := kv.Get([]byte("k")); string(again) != "v1" {
		t.Errorf("Get result aliases the store: %q", again)
	}
	if err := kv.Put([]byte("empty"), nil); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := kv.Get([]byte("empty")); !ok {
		t.Error("empty value reads as absent")
	}
	if err := kv.Delete([]byte("k")); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := kv.Get([]byte("k")); ok {
		t.Error("deleted key present")
	}
	if keys := kv.Keys(); len(keys) != 1 || keys[0] != "empty" || kv.Len() != 1 {
		t.Errorf("Keys = %v", keys)
	}
}

func TestTxKV(t *testing.T) {
	kv := NewTxKV()
	_ = kv.Put([]byte("a"), []byte("1"))
	if v, ok, _ := kv.Get([]byte("a")); !ok || string(v) != "1" {
		t.Fatal("pending write not visible")
	}
	kv.Commit()
	_ = kv.Put([]byte("a"), []byte("2"))
	_ = kv.Put([]byte("b"), []byte("3"))
	_ = kv.Delete([]byte("a"))
	if _, ok, _ := kv.Get([]byte("a")); ok {
		t.Error("pending delete not visible")
	}
	if kv.Pending() != 2 {
		t.Errorf("pending = %d", kv.Pending())
	}
	kv.Abort()
	if v, ok, _ := kv.Get([]byte("a")); !ok || string(v) != "1" {
		t.Errorf("abort did not restore a: %q %v", v, ok)
	}
	if _, ok, _ := kv.Get([]byte("b")); ok {
		t.Error("aborted write survived")
	}
	_ = kv.Delete([]byte("a"))
	kv.Commit()
	if kv.Committed().Len() != 0 {
		t.Error("committed delete not applied")
	}
}

func TestContext(t *testing.T) {
	ctx := NewContext()
	now := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	ctx.SetNow(now)
	ctx.SetPartition(3)
	ctx.SetOffset(42)
	if !ctx.Now().Equal(now) || ctx.Partition() != 3 || ctx.Offset() != 42 {
		t.Fatal("settable fields not returned")
	}
	if ctx.Store("s") != ctx.Store("s") {
		t.Fatal("Store returns a new store each call")
	}
	_ = ctx.Store("s").Put([]byte("k"), []byte("v"))
	_ = ctx.Emit("a", []byte("k1"), 1)
	ctx.Commit()
	_ = ctx.Emit("a", []byte("k2"), 2)
	_ = ctx.Emit("b", []byte("k3"), 3)
	_ = ctx.Store("s").Put([]byte("k"), []byte("w"))
	if len(ctx.Records("a")) != 2 || len(ctx.All()) != 3 {
		t.Fatalf("records: %+v", ctx.All())
	}
	ctx.Abort()
	all := ctx.All()
	if len(all) != 1 || string(all[0].Key) != "k1" || !all[0].Committed || all[0].Value != 1 {
		t.Errorf("after abort: %+v", all)
	}
	if v, _, _ := ctx.Store("s").Get([]byte("k")); string(v) != "v" {
		t.Errorf("store after abort: %q", v)
	}
	ctx.Reset()
	if len(ctx.All()) != 0 {
		t.Error("Reset kept records")
	}
}

// TestKVChains forces every key into one hash chain to exercise
// overwrite and delete in the middle of a chain.
func TestKVChains(t *testing.T) {
	kv := NewKV()
	model := map[string]string{}
	const h = 42
	put := func(k, v string) {
		// Insert into the chain of a fixed hash, as a collision would.
		if !kv.unlink(h, []byte(k)) {
			kv.n++
		}
		kv.index.set(h, kv.append(kv.index.get(h), []byte(k), []byte(v)))
		model[k] = v
	}
	get := func(k string) (string, bool) {
		for ref := kv.index.get(h); ref != 0; {
			next, key, v := kv.record(ref)
			if string(key) == k {
				return string(v), true
			}
			ref = next
		}
		return "", false
	}
	for i := range 50 {
		put(string(rune('a'+i%26))+string(rune('a'+i/26)), string(rune('0'+i%10)))
	}
	put("ca", "updated")
	for _, k := range []string{"ba", "aa", "xb"} {
		if kv.unlink(h, []byte(k)) {
			kv.n--
		}
		delete(model, k)
	}
	for k, v := range model {
		if got, ok := get(k); !ok || got != v {
			t.Errorf("%s = %q %v, want %q", k, got, ok, v)
		}
	}
	for _, k := range []string{"ba", "aa", "xb"} {
		if _, ok := get(k); ok {
			t.Errorf("%s survived delete", k)
		}
	}
	if kv.Len() != len(model) || len(kv.Keys()) != len(model) {
		t.Errorf("len %d keys %d, want %d", kv.Len(), len(kv.Keys()), len(model))
	}
}

func TestKVLarge(t *testing.T) {
	kv := NewKV()
	big := make([]byte, chunkSize+10) // larger than a chunk
	for i := range 3000 {
		_ = kv.Put([]byte{byte(i), byte(i >> 8)}, []byte{byte(i)})
	}
	_ = kv.Put([]byte("big"), big)
	for i := range 3000 {
		v, ok, _ := kv.Get([]byte{byte(i), byte(i >> 8)})
		if !ok || len(v) != 1 || v[0] != byte(i) {
			t.Fatalf("key %d: %v %v", i, v, ok)
		}
	}
	if v, ok, _ := kv.Get([]byte("big")); !ok || len(v) != len(big) {
		t.Fatal("big value lost")
	}
	if kv.Len() != 3001 {
		t.Errorf("len = %d", kv.Len())
	}
}

// TestContextCopiesEmittedStructs: a processor may reuse the struct it
// emitted once Emit returns, so the context keeps a copy of it.
func TestContextCopiesEmittedStructs(t *testing.T) {
	type value struct{ N int }
	ctx := NewContext()
	v := &value{N: 1}
	_ = ctx.Emit("a", []byte("k"), v)
	v.N = 2
	_ = ctx.Emit("a", []byte("k"), v)
	got := ctx.Records("a")
	if len(got) != 2 || got[0].Value.(*value).N != 1 || got[1].Value.(*value).N != 2 {
		t.Errorf("emitted values %+v %+v, want N=1 then N=2", got[0].Value, got[1].Value)
	}
}
