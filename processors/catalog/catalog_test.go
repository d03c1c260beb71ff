package catalog

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
	"slices"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/processortest"
	"github.com/shopspring/decimal"
)

func newTestCatalog(t testing.TB, size int) (*Catalog, *processortest.KV) {
	t.Helper()
	codecs, err := avro.NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	kv := processortest.NewKV()
	return New(kv, codecs, Options{CacheSize: size}), kv
}

func record(isrc string, version int64, title string) avro.CatalogRecord {
	return avro.CatalogRecord{
		ISRC:      isrc,
		Version:   version,
		ValidFrom: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Title:     title,
		Artists:   []string{"Tøilette & Café"},
		UPC:       ptr("00602547000018"),
		ISWC:      ptr("T0345246801"),
		Splits: []avro.Split{
			{PartyID: "IPI:00052210040", Name: "A", Role: "composer", Share: decimal.RequireFromString("0.5")},
			{PartyID: "IPI:00052210041", Name: "B", Role: "lyricist", Share: decimal.RequireFromString("0.5")},
		},
	}
}

func mustApply(t *testing.T, c *Catalog, rec avro.CatalogRecord) Change {
	t.Helper()
	ch, err := c.Apply(rec)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func TestApplyAndVersions(t *testing.T) {
	c, _ := newTestCatalog(t, 10)
	ch := mustApply(t, c, record("USRC17607839", 1, "Hier, à l'aube"))
	if !ch.Applied || ch.Previous != nil {
		t.Fatalf("first apply: %+v", ch)
	}
	v2 := record("USRC17607839", 2, "Hier, à l'aube")
	v2.Splits[0].Share = decimal.RequireFromString("0.6")
	v2.Splits[1].Share = decimal.RequireFromString("0.4")
	v2.ISWC = ptr("T3452468003")
	ch = mustApply(t, c, v2)
	if !ch.Applied || ch.Previous == nil || ch.Previous.Version != 1 {
		t.Fatalf("second apply: %+v", ch)
	}
	if ch.Fields != FieldSplits|FieldISWC {
		t.Errorf("fields = %s, want iswc,splits", ch.Fields)
	}
	cur, ok, err := c.Current("USRC17607839")
	if err != nil || !ok || cur.Version != 2 {
		t.Fatalf("Current = %v %v %v", cur.Version, ok, err)
	}
	old, ok, err := c.Version("USRC17607839", 1)
	if err != nil || !ok || old.Version != 1 || *old.ISWC != "T0345246801" {
		t.Fatalf("Version 1 = %+v %v %v", old, ok, err)
	}
	if _, ok, _ := c.Version("USRC17607839", 3); ok {
		t.Error("Version 3 found")
	}
	if _, ok, _ := c.Current("GBAAA0000001"); ok {
		t.Error("unknown ISRC found")
	}
}

func TestApplyReplayIsIdempotent(t *testing.T) {
	c, kv := newTestCatalog(t, 10)
	recs := []avro.CatalogRecord{
		record("USRC17607839", 1, "Song"),
		record("USRC17607840", 1, "Other"),
		record("USRC17607839", 2, "Song (Remastered 2011)"),
	}
	for _, r := range recs {
		mustApply(t, c, r)
	}
	snapshot := map[string]string{}
	for _, k := range kv.Keys() {
		v, _, _ := kv.Get([]byte(k))
		snapshot[k] = string(v)
	}
	for _, r := range recs {
		if ch := mustApply(t, c, r); ch.Applied || ch.Fields != 0 {
			t.Errorf("replay of %s v%d applied: %+v", r.ISRC, r.Version, ch)
		}
	}
	if kv.Len() != len(snapshot) {
		t.Fatalf("replay changed key count: %d -> %d", len(snapshot), kv.Len())
	}
	for k, want := range snapshot {
		if v, _, _ := kv.Get([]byte(k)); string(v) != want {
			t.Errorf("replay changed %q", k)
		}
	}
	cur, _, _ := c.Current("USRC17607839")
	if cur.Version != 2 {
		t.Errorf("version = %d", cur.Version)
	}
}

func TestApplyInvalid(t *testing.T) {
	c, _ := newTestCatalog(t, 10)
	if _, err := c.Apply(avro.CatalogRecord{Version: 1}); !errors.Is(err, ErrInvalidRecord) {
		t.Errorf("empty ISRC: %v", err)
	}
	if _, err := c.Apply(avro.CatalogRecord{ISRC: "USRC17607839"}); !errors.Is(err, ErrInvalidRecord) {
		t.Errorf("version 0: %v", err)
	}
}

func TestMatchByUPCTitle(t *testing.T) {
	c, _ := newTestCatalog(t, 10)
	mustApply(t, c, record("USRC17607839", 1, "Tøilette & Café"))
	live := record("USRC17607840", 1, "Tøilette & Café")
	live.VersionTitle = ptr("Live")
	mustApply(t, c, live)
	mustApply(t, c, record("USRC17607841", 1, "Don’t Stop"))

	tests := []struct {
		upc, title string
		want       string
		ok         bool
	}{
		{"00602547000018", "Don't stop", "USRC17607841", true},
		{"00602547000018", "DONT STOP", "USRC17607841", true},
		{"00602547000018", "Toilette and Cafe", "USRC17607839", true},
		{"00602547000018", "Toilette & Cafe (Live)", "USRC17607840", true},
		{"00602547000018", "Toilette & Cafe (Radio Edit)", "", false},
		{"00602547000018", "Something else", "", false},
		{"00000000000000", "Don't stop", "", false},
	}
	for _, tt := range tests {
		got, ok, err := c.MatchByUPCTitle(tt.upc, tt.title)
		if err != nil || got != tt.want || ok != tt.ok {
			t.Errorf("MatchByUPCTitle(%s, %q) = %q %v %v, want %q %v", tt.upc, tt.title, got, ok, err, tt.want, tt.ok)
		}
	}

	// A new version moving the recording to another release and title
	// moves its index entries.
	moved := record("USRC17607841", 2, "Stop Now")
	moved.UPC = ptr("00602547000025")
	mustApply(t, c, moved)
	if _, ok, _ := c.MatchByUPCTitle("00602547000018", "Don't stop"); ok {
		t.Error("old index entry survived")
	}
	if got, ok, _ := c.MatchByUPCTitle("00602547000025", "stop now"); !ok || got != "USRC17607841" {
		t.Errorf("new index entry: %q %v", got, ok)
	}
	if got, _ := c.UPCRecordings("00602547000018"); !slices.Equal(got, []string{"USRC17607839", "USRC17607840"}) {
		t.Errorf("UPC index = %v", got)
	}
}

func TestCacheIsBoundedAndInvalidated(t *testing.T) {
	c, _ := newTestCatalog(t, 3)
	for i, isrc := range []string{"USRC17600001", "USRC17600002", "USRC17600003", "USRC17600004", "USRC17600005"} {
		mustApply(t, c, record(isrc, 1, "Title "+string(rune('A'+i))))
	}
	for range 3 {
		for _, isrc := range []string{"USRC17600001", "USRC17600002", "USRC17600003", "USRC17600004", "USRC17600005", "XXXXX0000000"} {
			if _, _, err := c.Lookup(isrc); err != nil {
				t.Fatal(err)
			}
		}
	}
	st := c.CacheStats()
	if st.Size > 3 || st.Capacity != 3 {
		t.Fatalf("cache not bounded: %+v", st)
	}
	if st.Evictions == 0 {
		t.Errorf("no evictions: %+v", st)
	}

	// A hit returns the cached entry without touching the store.
	e1, _, _ := c.Lookup("USRC17600001")
	e2, _, _ := c.Lookup("USRC17600001")
	if e1 != e2 {
		t.Error("second lookup did not hit the cache")
	}
	// Apply invalidates: the next lookup sees the new version.
	mustApply(t, c, record("USRC17600001", 2, "Renamed"))
	e3, _, _ := c.Lookup("USRC17600001")
	if e3 == e1 || e3.Record.Version != 2 || e3.Record.Title != "Renamed" || e3.Title().Base.Quiet != "renamed" {
		t.Errorf("stale entry after Apply: %+v", e3.Record)
	}
	// A cached absence is invalidated too.
	if _, ok, _ := c.Lookup("GBAAA2400001"); ok {
		t.Fatal("found before apply")
	}
	mustApply(t, c, record("GBAAA2400001", 1, "New"))
	if _, ok, _ := c.Lookup("GBAAA2400001"); !ok {
		t.Error("cached absence survived Apply")
	}
}

func TestCacheStaleInsertRejected(t *testing.T) {
	cc := newCache(4)
	_, found, epoch := cc.get("A")
	if found {
		t.Fatal("hit on empty cache")
	}
	cc.remove("A") // a concurrent Apply
	cc.put("A", &Entry{}, epoch)
	if _, found, _ := cc.get("A"); found {
		t.Error("insert after invalidation was accepted")
	}
}

func TestCacheLRUOrder(t *testing.T) {
	cc := newCache(2)
	put := func(k string) {
		_, _, ep := cc.get(k)
		cc.put(k, &Entry{}, ep)
	}
	put("a")
	put("b")
	cc.get("a") // a is now most recent
	put("c")    // evicts b
	if _, found, _ := cc.get("b"); found {
		t.Error("b not evicted")
	}
	if _, found, _ := cc.get("a"); !found {
		t.Error("a evicted")
	}
	long := "a key longer than fifteen bytes"
	put(long)
	if _, found, _ := cc.get(long); !found {
		t.Error("long key not cached")
	}
	cc.remove(long)
	cc.remove("a")
	put("d")
	put("e")
	put("f")
	if st := cc.stats(); st.Size != 2 {
		t.Errorf("size = %d", st.Size)
	}
}

func TestSplitsStringIgnoresOrderAndScale(t *testing.T) {
	a := []avro.Split{
		{PartyID: "IPI:2", Role: "lyricist", Share: decimal.RequireFromString("0.50000000")},
		{PartyID: "IPI:1", Role: "composer", Share: decimal.RequireFromString("0.5")},
	}
	b := []avro.Split{a[1], a[0]}
	b[1].Share = decimal.RequireFromString("0.5")
	if SplitsString(a) != SplitsString(b) {
		t.Errorf("%q != %q", SplitsString(a), SplitsString(b))
	}
}

func TestSplitsHash(t *testing.T) {
	a := []avro.Split{
		{PartyID: "IPI:2", Role: "lyricist", Share: decimal.RequireFromString("0.50000000")},
		{PartyID: "IPI:1", Role: "composer", Share: decimal.RequireFromString("0.5")},
	}
	b := []avro.Split{a[1], a[0]}
	b[1].Share = decimal.RequireFromString("0.5")
	if SplitsHash(a) != SplitsHash(b) {
		t.Error("equal splits in another order hash differently")
	}
	c := slices.Clone(b)
	c[0].Share = decimal.RequireFromString("0.4")
	if SplitsHash(c) == SplitsHash(b) {
		t.Error("different shares hash equally")
	}
	// The hash is stored by package drift: it must stay what the
	// documentation defines.
	fnv1a := func(parts ...[]byte) uint64 {
		h := fnv.New64a()
		for _, p := range parts {
			h.Write(p)
		}
		return h.Sum64()
	}
	split := func(party, role string, coef, exp int64) []byte {
		le := make([]byte, 8)
		binary.LittleEndian.PutUint64(le, fnv1a([]byte{byte(len(party))}, []byte(party), []byte{byte(len(role))}, []byte(role),
			[]byte{0}, binary.AppendVarint(nil, coef), binary.AppendVarint(nil, exp)))
		return le
	}
	s1, s2 := split("IPI:1", "composer", 5, -1), split("IPI:2", "lyricist", 5, -1)
	if binary.LittleEndian.Uint64(s1) > binary.LittleEndian.Uint64(s2) {
		s1, s2 = s2, s1
	}
	if got, want := SplitsHash(a), fnv1a([]byte{2}, s1, s2); got != want {
		t.Errorf("SplitsHash = %#x, want %#x", got, want)
	}
	if got, want := SplitsHash(nil), fnv1a([]byte{0}); got != want || SplitsHash([]avro.Split{}) != want {
		t.Errorf("SplitsHash(nil) = %#x, want %#x", got, want)
	}
	if n := testing.AllocsPerRun(100, func() { SplitsHash(a) }); n != 0 {
		t.Errorf("SplitsHash allocates %v times", n)
	}

	cat, _ := newTestCatalog(t, 10)
	rec := record("FRAAA2400001", 1, "Song")
	mustApply(t, cat, rec)
	e, ok, err := cat.Lookup(rec.ISRC)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	for range 2 { // computed, then cached
		if e.SplitsHash() != SplitsHash(rec.Splits) {
			t.Error("Entry.SplitsHash differs from SplitsHash of its record")
		}
	}
}

// TestSplitsHashAgreesWithSplitsString checks that two split lists hash
// equally exactly when their canonical forms are equal, over shares of
// every scale, large coefficients, signs and repeated parties.
func TestSplitsHashAgreesWithSplitsString(t *testing.T) {
	shares := []string{"0", "0.0", "0.5", "0.50", "0.500000000000000000000000", "5e-1", "0.05", "1", "1.000",
		"10", "1e1", "0.3333333333333333333333333333", "0.33333333333333333333333333330", "-0.5", "123456789012345678.9",
		"1234567890123456789", "12345678901234567890000", "1.234567890123456789e22"}
	parties := []string{"IPI:1", "IPI:2"}
	roles := []string{"composer", "lyricist"}
	var lists [][]avro.Split
	for _, sh := range shares {
		for _, p := range parties {
			for _, r := range roles {
				s := avro.Split{PartyID: p, Role: r, Share: decimal.RequireFromString(sh)}
				lists = append(lists, []avro.Split{s})
				lists = append(lists, []avro.Split{s, {PartyID: "IPI:1", Role: "composer", Share: decimal.RequireFromString("0.5")}})
				lists = append(lists, []avro.Split{{PartyID: "IPI:1", Role: "composer", Share: decimal.RequireFromString("0.50")}, s})
			}
		}
	}
	for _, x := range lists {
		for _, y := range lists {
			if eqS, eqH := SplitsString(x) == SplitsString(y), SplitsHash(x) == SplitsHash(y); eqS != eqH {
				t.Fatalf("%q vs %q: equal strings %v, equal hashes %v", SplitsString(x), SplitsString(y), eqS, eqH)
			}
		}
	}
}
