package objstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
	"github.com/ledgerline/ledgerline/connectors/lake/objstore/s3test"
)

// stores are the implementations every contract test runs against. The S3
// store needs a server (see s3test): without one its cases are skipped, or
// fail under CI=true.
var stores = []struct {
	name string
	open func(t *testing.T) objstore.Store
}{
	{"local", func(t *testing.T) objstore.Store {
		st, err := objstore.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return st
	}},
	{"s3", func(t *testing.T) objstore.Store { return newS3(t) }},
}

// newS3 returns an S3 store on a new, empty root for t (see s3test.Root).
func newS3(t *testing.T) *objstore.S3 {
	t.Helper()
	cfg, err := objstore.S3ConfigFromEnv(s3test.Root(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := objstore.NewS3(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// forEachStore runs fn as a subtest per store implementation.
func forEachStore(t *testing.T, fn func(t *testing.T, st objstore.Store)) {
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			fn(t, s.open(t))
		})
	}
}

// visible lists dir without the temporary files a store may keep there.
func visible(t *testing.T, st objstore.Store, dir string) []objstore.Entry {
	t.Helper()
	entries, err := st.List(context.Background(), dir)
	if err != nil {
		t.Fatalf("list %q: %v", dir, err)
	}
	var out []objstore.Entry
	for _, e := range entries {
		if !strings.HasPrefix(e.Name, objstore.TempPrefix) {
			out = append(out, e)
		}
	}
	return out
}

func names(entries []objstore.Entry) string {
	var b strings.Builder
	for i, e := range entries {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(e.Name)
		if e.Dir {
			b.WriteByte('/')
		}
	}
	return b.String()
}

func put(t *testing.T, st objstore.Store, name string, data []byte) {
	t.Helper()
	w, err := st.Create(context.Background(), name)
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatalf("write %s: %v", name, err)
	}
	if err := w.Commit(); err != nil {
		t.Fatalf("commit %s: %v", name, err)
	}
}

func read(t *testing.T, st objstore.Store, name string) []byte {
	t.Helper()
	data, err := objstore.ReadAll(context.Background(), st, name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return data
}

func TestContractCreateIsVisibleOnlyOnCommit(t *testing.T) {
	forEachStore(t, func(t *testing.T, st objstore.Store) {
		ctx := context.Background()
		w, err := st.Create(ctx, "a/b/c.bin")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("hel")); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("lo")); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Open(ctx, "a/b/c.bin"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("object visible before commit: %v", err)
		}
		if got := visible(t, st, "a/b"); len(got) != 0 {
			t.Fatalf("listed before commit: %s", names(got))
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		if got := read(t, st, "a/b/c.bin"); string(got) != "hello" {
			t.Fatalf("read back %q", got)
		}
		if err := w.Commit(); err == nil {
			t.Fatal("second commit succeeded")
		}
		if err := w.Abort(); err != nil {
			t.Fatalf("abort after commit: %v", err)
		}
		if got := read(t, st, "a/b/c.bin"); string(got) != "hello" {
			t.Fatalf("abort after commit changed the object: %q", got)
		}

		// Commit replaces an existing object.
		put(t, st, "a/b/c.bin", []byte("bye"))
		if got := read(t, st, "a/b/c.bin"); string(got) != "bye" {
			t.Fatalf("after replace %q", got)
		}

		// Abort leaves nothing.
		w, err = st.Create(ctx, "a/b/d.bin")
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("x"))
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
		entries, err := st.List(ctx, "a/b")
		if err != nil || names(entries) != "c.bin" {
			t.Fatalf("after abort: %s %v", names(entries), err)
		}
		if _, err := st.Open(ctx, "a/b/d.bin"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("aborted object: %v", err)
		}
	})
}

func TestContractLargeObject(t *testing.T) {
	forEachStore(t, func(t *testing.T, st objstore.Store) {
		ctx := context.Background()
		// Larger than the S3 store's memory buffer and than one part of a
		// multipart upload.
		data := make([]byte, 17<<20+12345)
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		w, err := st.Create(ctx, "big/obj")
		if err != nil {
			t.Fatal(err)
		}
		for off := 0; off < len(data); off += 100_003 {
			if _, err := w.Write(data[off:min(off+100_003, len(data))]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		r, err := st.Open(ctx, "big/obj")
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if r.Size() != int64(len(data)) {
			t.Fatalf("size %d, want %d", r.Size(), len(data))
		}
		// Random reads, some small (served by a read-ahead block), some
		// large, some crossing the end.
		for i := 0; i < 200; i++ {
			n := 1 + rng.IntN(1000)
			if i%10 == 0 {
				n = 1 + rng.IntN(1<<20)
			}
			off := rng.IntN(len(data))
			buf := make([]byte, n)
			got, err := r.ReadAt(buf, int64(off))
			want := min(n, len(data)-off)
			if got != want {
				t.Fatalf("ReadAt(%d bytes at %d) = %d, %v; want %d", n, off, got, err, want)
			}
			if want < n && err != io.EOF {
				t.Fatalf("ReadAt past the end: %v, want io.EOF", err)
			}
			if want == n && err != nil {
				t.Fatalf("ReadAt(%d bytes at %d): %v", n, off, err)
			}
			if !bytes.Equal(buf[:got], data[off:off+got]) {
				t.Fatalf("ReadAt(%d bytes at %d): wrong bytes", n, off)
			}
		}
		if n, err := r.ReadAt(make([]byte, 4), int64(len(data))); n != 0 || err != io.EOF {
			t.Fatalf("ReadAt at the end: %d, %v", n, err)
		}
		// Concurrent readers of one Reader.
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(g), 7))
				for i := 0; i < 30; i++ {
					off := rng.IntN(len(data) - 5000)
					buf := make([]byte, 1+rng.IntN(5000))
					if _, err := r.ReadAt(buf, int64(off)); err != nil || !bytes.Equal(buf, data[off:off+len(buf)]) {
						t.Errorf("concurrent ReadAt at %d: %v", off, err)
						return
					}
				}
			}(g)
		}
		wg.Wait()
		if got := read(t, st, "big/obj"); !bytes.Equal(got, data) {
			t.Fatal("ReadAll differs")
		}
	})
}

func TestContractPutIfAbsentHasOneWinner(t *testing.T) {
	forEachStore(t, func(t *testing.T, st objstore.Store) {
		ctx := context.Background()
		for round := 0; round < 4; round++ {
			name := fmt.Sprintf("p/_manifest/%020d.json", round)
			var wg sync.WaitGroup
			var mu sync.Mutex
			var winners []int
			start := make(chan struct{})
			for i := 0; i < 8; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-start
					err := st.PutIfAbsent(ctx, name, []byte(fmt.Sprintf("writer %d", i)))
					switch {
					case err == nil:
						mu.Lock()
						winners = append(winners, i)
						mu.Unlock()
					case !errors.Is(err, fs.ErrExist):
						t.Errorf("put: %v", err)
					}
				}(i)
			}
			close(start)
			wg.Wait()
			if len(winners) != 1 {
				t.Fatalf("round %d: writers %v won", round, winners)
			}
			if got := read(t, st, name); string(got) != fmt.Sprintf("writer %d", winners[0]) {
				t.Fatalf("round %d: object holds %q, the winner was writer %d", round, got, winners[0])
			}
		}
		// A later writer with the same bytes still loses.
		if err := st.PutIfAbsent(ctx, "p/x", []byte("same")); err != nil {
			t.Fatal(err)
		}
		if err := st.PutIfAbsent(ctx, "p/x", []byte("same")); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("second put of the same bytes: %v, want fs.ErrExist", err)
		}
		// An object published with Create also makes the name taken.
		put(t, st, "p/y", []byte("created"))
		if err := st.PutIfAbsent(ctx, "p/y", []byte("put")); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("put over a created object: %v, want fs.ErrExist", err)
		}
		if got := read(t, st, "p/y"); string(got) != "created" {
			t.Fatalf("losing put changed the object: %q", got)
		}
		if got := visible(t, st, "p"); names(got) != "_manifest/ x y" {
			t.Fatalf("list after puts: %s", names(got))
		}
	})
}

func TestContractListOpenDelete(t *testing.T) {
	forEachStore(t, func(t *testing.T, st objstore.Store) {
		ctx := context.Background()
		put(t, st, "k=2/f.parquet", []byte("22"))
		put(t, st, "k=1/f.parquet", []byte("1"))
		put(t, st, "k=1/sub/deep/x", []byte("deep"))
		put(t, st, "k=1/e", nil)
		put(t, st, "_lake.json", []byte("{}"))
		if got := names(visible(t, st, "")); got != "_lake.json k=1/ k=2/" {
			t.Fatalf("list root: %s", got)
		}
		entries := visible(t, st, "k=1")
		if got := names(entries); got != "e f.parquet sub/" {
			t.Fatalf("list k=1: %s", got)
		}
		if entries[0].Size != 0 || entries[1].Size != 1 || entries[1].ModTime.IsZero() {
			t.Fatalf("entries %+v", entries)
		}
		if got := visible(t, st, "nope"); len(got) != 0 {
			t.Fatalf("list of a missing directory: %s", names(got))
		}
		if got := read(t, st, "k=1/e"); len(got) != 0 {
			t.Fatalf("empty object read %q", got)
		}
		if _, err := st.Open(ctx, "k=3/f.parquet"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("open missing: %v", err)
		}
		if err := st.Delete(ctx, "k=2/f.parquet"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Open(ctx, "k=2/f.parquet"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("open deleted: %v", err)
		}
		if err := st.Delete(ctx, "k=2/f.parquet"); err != nil {
			t.Fatalf("deleting a missing object: %v", err)
		}
		if got := names(visible(t, st, "")); got != "_lake.json k=1/" && got != "_lake.json k=1/ k=2/" {
			t.Fatalf("list root after delete: %s", got)
		}
		for _, bad := range []string{"", "/abs", "a//b", "a/../b"} {
			if _, err := st.Create(ctx, bad); err == nil {
				t.Errorf("Create(%q) accepted", bad)
			}
			if err := st.PutIfAbsent(ctx, bad, nil); err == nil {
				t.Errorf("PutIfAbsent(%q) accepted", bad)
			}
			if _, err := st.Open(ctx, bad); err == nil || errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Open(%q): %v", bad, err)
			}
		}
	})
}

func TestContractCanceledContext(t *testing.T) {
	forEachStore(t, func(t *testing.T, st objstore.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := st.Create(ctx, "x"); !errors.Is(err, context.Canceled) {
			t.Errorf("Create: %v", err)
		}
		if err := st.PutIfAbsent(ctx, "x", nil); !errors.Is(err, context.Canceled) {
			t.Errorf("PutIfAbsent: %v", err)
		}
		if _, err := st.List(ctx, ""); !errors.Is(err, context.Canceled) {
			t.Errorf("List: %v", err)
		}
	})
}

func TestFaultyOverEveryStore(t *testing.T) {
	forEachStore(t, func(t *testing.T, st objstore.Store) {
		ctx := context.Background()
		f := objstore.NewFaulty(st, 2)
		w, err := f.Create(ctx, "x") // step 1
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("data"))
		if err := w.Commit(); !errors.Is(err, objstore.ErrCrashed) { // step 2
			t.Fatalf("commit: %v", err)
		}
		if _, err := st.Open(ctx, "x"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("a crash before commit published the object: %v", err)
		}
	})
}
