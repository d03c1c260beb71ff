package lake

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
)

var (
	testDSPs        = []string{"Spotify", "Apple Music", "Beat/port=../x%", "Deezer"}
	testTerritories = []string{"GB", "US", "DE"}
	testCurrencies  = map[string]string{"GB": "GBP", "US": "USD", "DE": "EUR"}
	testDay         = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
)

// genEvents returns n deterministic events numbered from start. Events
// spread over DSPs, territories, three ingest days and two periods; every
// seventh has no ISRC; revenues use all 15 fractional digits and some are
// negative.
func genEvents(start, n int) []avro.EnrichedUsageEvent {
	out := make([]avro.EnrichedUsageEvent, 0, n)
	for i := start; i < start+n; i++ {
		file := i / 25
		sha := fmt.Sprintf("%064x", 0xabc000+file)
		line := int64(i%25 + 1)
		terr := testTerritories[i%len(testTerritories)]
		rev := decimal.New(int64((i*7919)%100000)-20000, -6).Add(decimal.New(int64(i%10), -15))
		var isrc *string
		if i%7 != 3 {
			s := fmt.Sprintf("GBAAA%07d", i%40)
			isrc = &s
		}
		var cv *int64
		if i%2 == 0 {
			v := int64(i % 5)
			cv = &v
		}
		ev := avro.EnrichedUsageEvent{
			Event: avro.UsageEvent{
				EventID: fmt.Sprintf("%s:%d", sha, line),
				Source: avro.Source{
					DSP: testDSPs[i%len(testDSPs)], ReportID: fmt.Sprintf("rep-%d", file),
					FileName: fmt.Sprintf("report-%d.tsv", file), FileSHA256: sha, Line: line, Profile: "test",
				},
				PeriodStart:     time.Date(2024, time.Month(3+i%2), 1, 0, 0, 0, 0, time.UTC),
				PeriodEnd:       time.Date(2024, time.Month(3+i%2), 28, 0, 0, 0, 0, time.UTC),
				Territory:       terr,
				ISRC:            isrc,
				TrackTitle:      fmt.Sprintf("Track %d", i%40),
				Artists:         []string{"Artist A", fmt.Sprintf("Artist %d", i%3)},
				UseType:         "stream",
				UseTypeReported: "Stream",
				CommercialModel: "subscription",
				Units:           int64(i%13) - 2,
				Revenue:         rev,
				Currency:        testCurrencies[terr],
				Warnings:        []string{},
				IngestTime:      testDay.Add(time.Duration(i%3)*24*time.Hour + time.Duration(i)*time.Second),
			},
			CatalogVersion: cv,
			MatchedISRC:    isrc,
			Drift:          []string{},
		}
		out = append(out, ev)
	}
	return out
}

// totals is what a set of events adds up to.
type totals struct {
	ids     map[string]int
	units   int64
	revenue map[string]decimal.Decimal
}

func newTotals() *totals {
	return &totals{ids: map[string]int{}, revenue: map[string]decimal.Decimal{}}
}

func (t *totals) addEvent(e *avro.EnrichedUsageEvent) {
	t.add(e.Event.EventID, e.Event.Units, e.Event.Currency, e.Event.Revenue)
}

func (t *totals) add(id string, units int64, cur string, rev decimal.Decimal) {
	t.ids[id]++
	t.units += units
	t.revenue[cur] = t.revenue[cur].Add(rev)
}

// lakeTotals scans the lake with the package's own reader.
func lakeTotals(t *testing.T, root string) *totals {
	t.Helper()
	got := newTotals()
	err := Scan(context.Background(), root, func(r Row) error {
		got.add(r.EventID, r.Units, r.Currency, r.Revenue)
		return nil
	})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return got
}

// assertExactly fails unless the lake holds every wanted event exactly once
// and nothing else, with exact sums.
func assertExactly(t *testing.T, root string, want *totals) {
	t.Helper()
	got := lakeTotals(t, root)
	var missing, dup, extra []string
	for id := range want.ids {
		switch n := got.ids[id]; {
		case n == 0:
			missing = append(missing, id)
		case n > 1:
			dup = append(dup, fmt.Sprintf("%s x%d", id, n))
		}
	}
	for id := range got.ids {
		if want.ids[id] == 0 {
			extra = append(extra, id)
		}
	}
	sort.Strings(missing)
	sort.Strings(dup)
	sort.Strings(extra)
	if len(missing)+len(dup)+len(extra) > 0 {
		t.Fatalf("lake differs: %d missing %v, %d duplicated %v, %d unexpected %v",
			len(missing), head(missing), len(dup), head(dup), len(extra), head(extra))
	}
	if got.units != want.units {
		t.Fatalf("units: lake %d, want %d", got.units, want.units)
	}
	for cur, w := range want.revenue {
		if g := got.revenue[cur]; !g.Equal(w) {
			t.Fatalf("revenue %s: lake %s, want %s", cur, g, w)
		}
	}
	if len(got.revenue) != len(want.revenue) {
		t.Fatalf("currencies: lake %v, want %v", got.revenue, want.revenue)
	}
}

func head(s []string) []string {
	if len(s) > 5 {
		return s[:5]
	}
	return s
}

// fakeCluster starts an in-process Kafka with the topic.
func fakeCluster(t testing.TB, topic string, partitions int32) []string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(partitions, topic))
	if err != nil {
		t.Fatalf("kfake: %v", err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

// produceEvents writes genEvents(start, n) in one transaction, committed
// or aborted, adds the committed ones to want and returns the events.
func produceEvents(t testing.TB, seeds []string, topic string, want *totals, start, n int, commit bool) []avro.EnrichedUsageEvent {
	t.Helper()
	evs := genEvents(start, n)
	produceTxn(t, seeds, topic, evs, commit)
	if commit {
		for i := range evs {
			want.addEvent(&evs[i])
		}
	}
	return evs
}

// produceTxn writes events in one transaction, committed or aborted.
func produceTxn(t testing.TB, seeds []string, topic string, events []avro.EnrichedUsageEvent, commit bool, extra ...kgo.Opt) {
	t.Helper()
	codecs, err := avro.NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(seeds...),
		kgo.DefaultProduceTopic(topic),
		kgo.TransactionalID(fmt.Sprintf("lake-test-%d", time.Now().UnixNano())),
		kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)),
	}, extra...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	recs := make([]*kgo.Record, 0, len(events))
	for i := range events {
		v, err := codecs.Enriched.Encode(&events[i])
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, &kgo.Record{Key: []byte(events[i].Event.EventID), Value: v})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
	if err := cl.EndTransaction(ctx, kgo.TransactionEndTry(commit)); err != nil {
		t.Fatalf("end transaction: %v", err)
	}
}

// testOptions are small rolling limits that make many files.
func testOptions(root, topic, group string) Options {
	return Options{
		Root:            root,
		Topic:           topic,
		Group:           group,
		RollRows:        9,
		IdleTimeout:     50 * time.Millisecond,
		MaxBufferedRows: 40,
		RowGroupRows:    64,
		CompactInterval: -1,
		ShutdownTimeout: 20 * time.Second,
	}
}

func fastGroup(seeds []string) []kgo.Opt {
	return []kgo.Opt{
		kgo.SeedBrokers(seeds...),
		kgo.HeartbeatInterval(100 * time.Millisecond),
		kgo.SessionTimeout(6 * time.Second),
		kgo.FetchMaxWait(100 * time.Millisecond),
	}
}

func drain(t testing.TB, opts Options, kopts ...kgo.Opt) (Stats, error) {
	t.Helper()
	s, err := NewSink(opts, kopts...)
	if err != nil {
		t.Fatalf("new sink: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	return s.Drain(ctx)
}

// dataFiles lists the data files on disk under root, listed or not.
func dataFiles(t testing.TB, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (isDataFile(d.Name()) || strings.HasPrefix(d.Name(), ".tmp-")) {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func copyDir(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
