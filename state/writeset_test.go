package state

import (
	"errors"
	"testing"
)

func TestWriteSet(t *testing.T) {
	w := newWriteSet()
	buf := []byte("v1")
	if err := w.put([]byte("b"), buf); err != nil {
		t.Fatal(err)
	}
	buf[0] = 'X' // the set keeps its own copy
	if err := w.put([]byte("a"), []byte{}); err != nil {
		t.Fatal(err)
	}
	if err := w.del([]byte("c")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key   string
		val   string
		found bool
		isDel bool
	}{
		{"a", "", true, false},
		{"b", "v1", true, false},
		{"c", "", true, true},
		{"d", "", false, false},
	} {
		v, found := w.get([]byte(tc.key))
		if found != tc.found || string(v) != tc.val || (found && (v == nil) != tc.isDel) {
			t.Errorf("get %q = %q, %v", tc.key, v, found)
		}
	}
	muts := w.seal()
	if got := formatMutations(muts); got != "a=,b=v1,c=<del>" {
		t.Fatalf("seal: %s", got)
	}
	if err := w.put([]byte("d"), []byte("x")); !errors.Is(err, ErrSealed) {
		t.Fatalf("put while sealed: %v", err)
	}
	if again := w.seal(); &again[0] != &muts[0] {
		t.Fatal("second seal returned different mutations")
	}
	if got := formatMutations(w.withPrefix([]byte("b"))); got != "b=v1" {
		t.Fatalf("withPrefix: %s", got)
	}
	w.reset()
	if w.len() != 0 || w.isSealed() {
		t.Fatal("reset did not empty and unseal")
	}
}
