package objstore

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLocalPublishIsAtomic(t *testing.T) {
	ctx := context.Background()
	st, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.Create(ctx, "a/b/c.bin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Open(ctx, "a/b/c.bin"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("object visible before commit: %v", err)
	}
	entries, _ := st.List(ctx, "a/b")
	if len(entries) != 1 || !strings.HasPrefix(entries[0].Name, TempPrefix) {
		t.Fatalf("want only a temporary file before commit, got %+v", entries)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadAll(ctx, st, "a/b/c.bin")
	if err != nil || string(got) != "hello" {
		t.Fatalf("read back %q, %v", got, err)
	}
	entries, _ = st.List(ctx, "a")
	if len(entries) != 1 || !entries[0].Dir || entries[0].Name != "b" {
		t.Fatalf("list a: %+v", entries)
	}
	// Abort leaves nothing.
	w, _ = st.Create(ctx, "a/b/d.bin")
	w.Write([]byte("x"))
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	entries, _ = st.List(ctx, "a/b")
	if len(entries) != 1 {
		t.Fatalf("abort left %+v", entries)
	}
	if err := st.Delete(ctx, "a/b/missing"); err != nil {
		t.Fatalf("deleting a missing object: %v", err)
	}
	if entries, err := st.List(ctx, "nope"); err != nil || len(entries) != 0 {
		t.Fatalf("list of a missing directory: %v %v", entries, err)
	}
}

func TestLocalPutIfAbsentHasOneWinner(t *testing.T) {
	ctx := context.Background()
	st, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	winners := 0
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			err := st.PutIfAbsent(ctx, "m/1.json", []byte{byte('a' + i)})
			switch {
			case err == nil:
				mu.Lock()
				winners++
				mu.Unlock()
			case !errors.Is(err, fs.ErrExist):
				t.Errorf("put: %v", err)
			}
		}(i)
	}
	wg.Wait()
	if winners != 1 {
		t.Fatalf("%d writers won", winners)
	}
	des, _ := os.ReadDir(filepath.Join(st.Root(), "m"))
	if len(des) != 1 {
		t.Fatalf("temporary files left: %v", des)
	}
}

func TestCheckName(t *testing.T) {
	for _, bad := range []string{"", "/abs", "a//b", "a/../b", "..", "a/./b", "a/\x00"} {
		if CheckName(bad) == nil {
			t.Errorf("CheckName(%q) accepted", bad)
		}
	}
	if err := CheckName("k=v/_manifest/1.json"); err != nil {
		t.Error(err)
	}
}

func TestFaultyStopsEverythingAfterTheCrash(t *testing.T) {
	ctx := context.Background()
	inner, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := NewFaulty(inner, 2)
	w, err := f.Create(ctx, "x") // step 1
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("data"))
	if err := w.Commit(); !errors.Is(err, ErrCrashed) { // step 2
		t.Fatalf("commit: %v", err)
	}
	if _, err := f.List(ctx, ""); !errors.Is(err, ErrCrashed) {
		t.Fatalf("list after crash: %v", err)
	}
	if err := w.Abort(); !errors.Is(err, ErrCrashed) {
		t.Fatalf("abort after crash: %v", err)
	}
	entries, _ := inner.List(ctx, "")
	if len(entries) != 1 || !strings.HasPrefix(entries[0].Name, TempPrefix) {
		t.Fatalf("a crash must leave the temporary file: %+v", entries)
	}
	if f.Steps() != 2 || !f.Crashed() {
		t.Fatalf("steps %d crashed %v", f.Steps(), f.Crashed())
	}
}
