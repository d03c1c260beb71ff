package state

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// step is one operation in a store semantics scenario.
type step struct {
	op      string // put, del, get, pending, commit, abort, iterate
	key     string
	val     string // put: value; get: expected value; iterate: expected "k=v,..."
	absent  bool   // get: expect absent
	offset  int64  // commit
	wantErr error
}

// TestStoreSemantics walks the write-set through Pending, Commit and Abort.
func TestStoreSemantics(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"read your writes", []step{
			{op: "put", key: "a", val: "1"},
			{op: "get", key: "a", val: "1"},
			{op: "put", key: "a", val: "2"},
			{op: "get", key: "a", val: "2"},
		}},
		{"delete pending and committed", []step{
			{op: "put", key: "a", val: "1"},
			{op: "pending", val: "a=1"},
			{op: "commit", offset: 0},
			{op: "del", key: "a"},
			{op: "get", key: "a", absent: true},
			{op: "put", key: "b", val: "1"},
			{op: "del", key: "b"},
			{op: "get", key: "b", absent: true},
			{op: "pending", val: "a=<del>,b=<del>"},
			{op: "commit", offset: 1},
			{op: "get", key: "a", absent: true},
		}},
		{"abort restores committed value", []step{
			{op: "put", key: "a", val: "1"},
			{op: "pending", val: "a=1"},
			{op: "commit", offset: 5},
			{op: "put", key: "a", val: "2"},
			{op: "del", key: "c"},
			{op: "pending", val: "a=2,c=<del>"},
			{op: "abort"},
			{op: "get", key: "a", val: "1"},
			{op: "put", key: "a", val: "3"}, // unsealed again
			{op: "get", key: "a", val: "3"},
		}},
		{"empty pending seals too", []step{
			{op: "pending", val: ""},
			{op: "put", key: "a", val: "1", wantErr: ErrSealed},
			{op: "commit", offset: -1},
			{op: "put", key: "a", val: "1"},
		}},
		{"abort without pending", []step{
			{op: "put", key: "a", val: "1"},
			{op: "abort"},
			{op: "get", key: "a", absent: true},
		}},
		{"sealed rejects writes", []step{
			{op: "put", key: "a", val: "1"},
			{op: "pending", val: "a=1"},
			{op: "put", key: "b", val: "1", wantErr: ErrSealed},
			{op: "del", key: "a", wantErr: ErrSealed},
			{op: "get", key: "a", val: "1"},
			{op: "pending", val: "a=1"},
			{op: "commit", offset: 3},
			{op: "put", key: "b", val: "1"},
		}},
		{"commit needs pending", []step{
			{op: "put", key: "a", val: "1"},
			{op: "commit", offset: 0, wantErr: ErrNotSealed},
			{op: "pending", val: "a=1"},
			{op: "commit", offset: -1, wantErr: ErrNoOffset},
			{op: "commit", offset: 0},
		}},
		{"offsets must advance", []step{
			{op: "put", key: "a", val: "1"},
			{op: "pending", val: "a=1"},
			{op: "commit", offset: 10},
			{op: "put", key: "a", val: "2"},
			{op: "pending", val: "a=2"},
			{op: "commit", offset: 10, wantErr: ErrOffsetRegression},
			{op: "commit", offset: 12},
			{op: "get", key: "a", val: "2"},
		}},
		{"empty commit is a no-op", []step{
			{op: "commit", offset: -1},
			{op: "pending", val: ""},
			{op: "commit", offset: -1},
		}},
		{"empty value is not a delete", []step{
			{op: "put", key: "a", val: ""},
			{op: "get", key: "a", val: ""},
			{op: "pending", val: "a="},
			{op: "commit", offset: 0},
			{op: "get", key: "a", val: ""},
		}},
		{"empty key", []step{
			{op: "put", key: "", val: "1", wantErr: ErrEmptyKey},
			{op: "del", key: "", wantErr: ErrEmptyKey},
		}},
		{"iterate merges pending over committed", []step{
			{op: "put", key: "p/1", val: "a"},
			{op: "put", key: "p/2", val: "b"},
			{op: "put", key: "p/3", val: "c"},
			{op: "put", key: "q/1", val: "x"},
			{op: "pending", val: "p/1=a,p/2=b,p/3=c,q/1=x"},
			{op: "commit", offset: 0},
			{op: "put", key: "p/0", val: "new"},
			{op: "put", key: "p/2", val: "B"},
			{op: "del", key: "p/3"},
			{op: "put", key: "p/4", val: "d"},
			{op: "iterate", key: "p/", val: "p/0=new,p/1=a,p/2=B,p/4=d"},
			{op: "iterate", key: "", val: "p/0=new,p/1=a,p/2=B,p/4=d,q/1=x"},
			{op: "iterate", key: "r", val: ""},
		}},
	}
	c := newFakeCluster(t)
	topic := c.topic(t, "changelog", 1)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t, c, t.TempDir(), topic, 0, nil)
			for i, st := range tc.steps {
				err := runStep(s, st)
				if !errors.Is(err, st.wantErr) {
					t.Fatalf("step %d %+v: err %v, want %v", i, st, err, st.wantErr)
				}
			}
		})
	}
}

func runStep(s *Store, st step) error {
	switch st.op {
	case "put":
		return s.Put([]byte(st.key), []byte(st.val))
	case "del":
		return s.Delete([]byte(st.key))
	case "get":
		v, ok, err := s.Get([]byte(st.key))
		if err != nil {
			return err
		}
		if st.absent {
			if ok {
				return fmt.Errorf("got %q, want absent", v)
			}
			return nil
		}
		if !ok || string(v) != st.val || v == nil {
			return fmt.Errorf("got %q (ok %v), want %q", v, ok, st.val)
		}
	case "pending":
		if got := formatMutations(s.Pending()); got != st.val {
			return fmt.Errorf("pending %q, want %q", got, st.val)
		}
	case "commit":
		return s.Commit(st.offset)
	case "abort":
		s.Abort()
	case "iterate":
		var got []string
		err := s.Iterate([]byte(st.key), func(k, v []byte) error {
			got = append(got, string(k)+"="+string(v))
			return nil
		})
		if err != nil {
			return err
		}
		if g := strings.Join(got, ","); g != st.val {
			return fmt.Errorf("iterate %q: %q, want %q", st.key, g, st.val)
		}
	default:
		return fmt.Errorf("unknown op %q", st.op)
	}
	return nil
}

func formatMutations(muts []Mutation) string {
	parts := make([]string, len(muts))
	for i, m := range muts {
		v := string(m.Value)
		if m.IsDelete() {
			v = "<del>"
		}
		parts[i] = string(m.Key) + "=" + v
	}
	return strings.Join(parts, ",")
}

// TestIterateCallbackMayWriteAndStop checks that fn may write to the store
// (unseen by the running iteration) and that its error stops iteration.
func TestIterateCallbackMayWriteAndStop(t *testing.T) {
	c := newFakeCluster(t)
	s := openStore(t, c, t.TempDir(), c.topic(t, "changelog", 1), 0, nil)
	for _, k := range []string{"a", "b", "c"} {
		put(t, s, k, "1")
	}
	var seen []string
	err := s.Iterate(nil, func(k, _ []byte) error {
		seen = append(seen, string(k))
		return s.Put([]byte("z"+string(k)), []byte("2"))
	})
	if err != nil || !slices.Equal(seen, []string{"a", "b", "c"}) {
		t.Fatalf("iterate: %v, saw %v", err, seen)
	}
	wantValue(t, s, "za", "2")
	stop := errors.New("stop")
	n := 0
	err = s.Iterate(nil, func([]byte, []byte) error { n++; return stop })
	if err != stop || n != 1 {
		t.Fatalf("iterate stop: %v after %d calls", err, n)
	}
}

// TestClosedStore checks Close is idempotent and later calls fail cleanly.
func TestClosedStore(t *testing.T) {
	c := newFakeCluster(t)
	reg := NewRegistry()
	s := openStore(t, c, t.TempDir(), c.topic(t, "changelog", 1), 0, reg)
	if len(reg.Snapshot()) != 1 || !reg.Ready() {
		t.Fatalf("registry: %+v", reg.Snapshot())
	}
	put(t, s, "a", "1")
	closeStore(t, s)
	closeStore(t, s)
	if len(reg.Snapshot()) != 0 {
		t.Fatalf("closed store still registered: %+v", reg.Snapshot())
	}
	if s.Readiness().Phase != PhaseClosed {
		t.Fatalf("phase %v", s.Readiness().Phase)
	}
	if _, _, err := s.Get([]byte("a")); !errors.Is(err, ErrClosed) {
		t.Fatalf("get after close: %v", err)
	}
	if err := s.Put([]byte("a"), nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("put after close: %v", err)
	}
	if err := s.Commit(1); !errors.Is(err, ErrClosed) {
		t.Fatalf("commit after close: %v", err)
	}
}
