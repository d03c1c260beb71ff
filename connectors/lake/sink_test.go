package lake

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// feed passes records to an offline sink as one owner of partition 0.
func feed(t *testing.T, s *Sink, recs []*kgo.Record) {
	t.Helper()
	if s.parts[0] == nil {
		s.parts[0] = &kpart{position: -1, epoch: -1, committed: -1}
	}
	for _, r := range recs {
		if err := s.consume(context.Background(), r, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFenceStopsASecondOwner lets two sinks own the same Kafka partition,
// as when a member that lost its partitions has not noticed yet: the later
// writer must add only what the first did not.
func TestFenceStopsASecondOwner(t *testing.T) {
	root := t.TempDir()
	evs := genEvents(0, 60)
	o := testOptions(root, "usage-enriched", "g")
	o.PartitionKeys = []PartitionKey{KeyCurrency}
	o.RollRows = 1000
	o.MaxBufferedRows = 1000
	recs := encodeRecords(t, o.Topic, evs, 1)

	zombie, err := newSinkCore(o)
	if err != nil {
		t.Fatal(err)
	}
	owner, err := newSinkCore(o)
	if err != nil {
		t.Fatal(err)
	}
	feed(t, zombie, recs[:50]) // buffered, not yet written
	feed(t, owner, recs[:40])
	if err := owner.flushAll(context.Background(), -1, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := zombie.flushAll(context.Background(), -1, time.Now()); err != nil {
		t.Fatal(err)
	}
	feed(t, owner, recs[40:]) // the owner goes on; the fence drops what the zombie added
	if err := owner.flushAll(context.Background(), -1, time.Now()); err != nil {
		t.Fatal(err)
	}
	if zombie.stats.Fenced == 0 || zombie.stats.Rows != 10 {
		t.Fatalf("zombie %+v: want fenced, adding only offsets 40..49", zombie.stats)
	}
	if owner.stats.Fenced == 0 || owner.stats.Rows != 50 {
		t.Fatalf("owner %+v: want 50 rows written, offsets 40..49 fenced off", owner.stats)
	}
	assertExactly(t, root, totalsOf(evs))
	assertNoOrphansAfterMaintenance(t, root, totalsOf(evs))
}

func TestMemoryCapWritesLargestBuffer(t *testing.T) {
	root := t.TempDir()
	o := testOptions(root, "usage-enriched", "g")
	o.RollRows = 1000
	o.MaxBufferedRows = 25
	s, err := newSinkCore(o)
	if err != nil {
		t.Fatal(err)
	}
	evs := genEvents(0, 200)
	for _, r := range encodeRecords(t, o.Topic, evs, 1) {
		feed(t, s, []*kgo.Record{r})
		if s.buffered > o.MaxBufferedRows {
			t.Fatalf("%d rows buffered, cap %d", s.buffered, o.MaxBufferedRows)
		}
	}
	if s.stats.Files == 0 {
		t.Fatal("cap never forced a write")
	}
	if err := s.flushAll(context.Background(), -1, time.Now()); err != nil {
		t.Fatal(err)
	}
	assertExactly(t, root, totalsOf(evs))
}

func TestUndecodableRecords(t *testing.T) {
	o := testOptions(t.TempDir(), "usage-enriched", "g")
	bad := &kgo.Record{Topic: o.Topic, Partition: 0, Offset: 0, Value: []byte("not avro")}
	s, err := newSinkCore(o)
	if err != nil {
		t.Fatal(err)
	}
	s.parts[0] = &kpart{position: -1, epoch: -1, committed: -1}
	if err := s.consume(context.Background(), bad, time.Now()); err == nil {
		t.Fatal("undecodable record accepted by default")
	}
	o.OnUndecodable = func(*kgo.Record, error) error { return nil }
	s, err = newSinkCore(o)
	if err != nil {
		t.Fatal(err)
	}
	good := encodeRecords(t, o.Topic, genEvents(0, 1), 1)[0]
	good.Offset = 1
	feed(t, s, []*kgo.Record{bad, good})
	if s.stats.Undecodable != 1 || s.parts[0].position != 2 || s.buffered != 1 {
		t.Fatalf("skip: stats %+v position %d buffered %d", s.stats, s.parts[0].position, s.buffered)
	}
}

func TestLayoutCannotChange(t *testing.T) {
	root := t.TempDir()
	if _, err := newSinkCore(Options{Root: root}); err != nil {
		t.Fatal(err)
	}
	_, err := newSinkCore(Options{Root: root, PartitionKeys: []PartitionKey{KeyPeriod}})
	if !errors.Is(err, ErrLayoutMismatch) {
		t.Fatalf("changed layout: %v", err)
	}
}

// TestRunFlushesWhenTrafficStops checks that a running sink writes and
// commits buffered events after IdleTimeout without further traffic, and
// flushes and commits the rest when stopped.
func TestRunFlushesWhenTrafficStops(t *testing.T) {
	const topic = "usage-enriched"
	seeds := fakeCluster(t, topic, 2)
	evs := genEvents(0, 30)
	produceTxn(t, seeds, topic, evs, true)
	root := t.TempDir()
	o := testOptions(root, topic, "run")
	o.RollRows = 1000
	o.IdleTimeout = 200 * time.Millisecond
	s, err := NewSink(o, fastGroup(seeds)...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()

	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	deadline := time.Now().Add(20 * time.Second)
	for {
		offs, err := adm.FetchOffsets(context.Background(), "run")
		if err == nil {
			var committed int64
			offs.Each(func(o kadm.OffsetResponse) { committed += o.At })
			if committed >= int64(len(evs)) { // 30 records + 2 markers over 2 partitions
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("idle buffers were not written and committed while the sink ran")
		}
		time.Sleep(50 * time.Millisecond)
	}
	assertExactly(t, root, totalsOf(evs))
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}
