package runtime

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/processors"
)

// slowCloseStore is a Store whose Close waits before closing: the window in
// which a partition's next task could find its predecessor's store still
// open.
type slowCloseStore struct {
	Store
	delay   time.Duration
	closing chan<- int32 // told (without blocking) the partition whose store begins closing
	part    int32
}

func (s *slowCloseStore) Close() error {
	select {
	case s.closing <- s.part:
	default:
	}
	time.Sleep(s.delay)
	return s.Store.Close()
}

// TestReassignWaitsForStoreClose: a partition revoked and assigned again
// at once (the loop still closing the stopped task's stores) gets a task
// that opens its stores only once the previous ones are closed, instead of
// failing on the store's directory lock.
func TestReassignWaitsForStoreClose(t *testing.T) {
	tp := newTopics("relock")
	brokers := fakeCluster(t, 1, tp)
	first := keyedInputs(0, 200, 5, 0)
	produce(t, brokers, tp.in, first)
	dir := t.TempDir()

	closing := make(chan int32, 1)
	cfg := countConfig(t, brokers, tp, "relock", "relock-0", dir, &countProcessor{})
	cfg.OpenStore = func(ctx context.Context, spec StoreSpec) (Store, error) {
		s, err := openStateStore(ctx, spec)
		if err != nil {
			return nil, err
		}
		return &slowCloseStore{Store: s, delay: 500 * time.Millisecond, closing: closing, part: spec.Partition}, nil
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- r.Run(ctx) }()
	waitCommitted(t, brokers, r.cfg.Group, tp.in, 30*time.Second, ran)

	r.onRevoked(ctx, r.cl, map[string][]int32{tp.in: {0}})
	select {
	case <-closing:
	case err := <-ran:
		t.Fatalf("Run returned before the revoked task's store was closed: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the revoked task's store was not closed")
	}
	r.onAssigned(ctx, r.cl, map[string][]int32{tp.in: {0}})

	second := keyedInputs(200, 200, 5, 0)
	produce(t, brokers, tp.in, second)
	waitCommitted(t, brokers, r.cfg.Group, tp.in, 30*time.Second, ran)
	cancel()
	if err := <-ran; err != nil {
		t.Fatalf("Run: %v", err)
	}
	expectCounts(t, append(first, second...), readCommitted(t, brokers, tp.counts))
	expectStoreCounts(t, brokers, "relock", dir, 1, append(first, second...))
}

// timedProcessor notes when it first processes a record of each partition.
type timedProcessor struct {
	countProcessor
	mu    sync.Mutex
	first map[int32]time.Time
}

func (p *timedProcessor) Process(ctx processors.Context, rec processors.Record[string]) error {
	p.mu.Lock()
	if _, ok := p.first[rec.Partition]; !ok {
		p.first[rec.Partition] = time.Now()
	}
	p.mu.Unlock()
	return p.countProcessor.Process(ctx, rec)
}

func (p *timedProcessor) firstAt(partition int32) (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	at, ok := p.first[partition]
	return at, ok
}

// TestResumedPartitionFetchedPromptly: a partition whose stores finish
// restoring while a fetch of the member's other partitions is waiting on
// the broker is fetched without waiting out kgo's default 5s FetchMaxWait.
func TestResumedPartitionFetchedPromptly(t *testing.T) {
	tp := newTopics("resume")
	brokers := fakeCluster(t, 2, tp)
	ins := make([]input, 50)
	for i := range ins {
		ins[i] = input{partition: 0, key: "k", value: "v"}
	}
	produce(t, brokers, tp.in, ins) // partition 1 stays empty

	var mu sync.Mutex
	var restored time.Time
	proc := &timedProcessor{first: map[int32]time.Time{}}
	cfg := countConfig(t, brokers, tp, "resume", "resume-0", t.TempDir(), proc)
	cfg.GroupOpts = []kgo.Opt{ // the test pipeline's options without its FetchMaxWait
		kgo.SessionTimeout(6 * time.Second),
		kgo.HeartbeatInterval(500 * time.Millisecond),
		kgo.RebalanceTimeout(10 * time.Second),
	}
	cfg.OpenStore = func(ctx context.Context, spec StoreSpec) (Store, error) {
		if spec.Partition == 0 {
			// Partition 1 is restored and fetched (an empty
			// partition: the fetch waits on the broker) before
			// partition 0 is resumed.
			time.Sleep(time.Second)
		}
		s, err := openStateStore(ctx, spec)
		if spec.Partition == 0 {
			mu.Lock()
			restored = time.Now()
			mu.Unlock()
		}
		return s, err
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- r.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-ran; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()

	deadline := time.After(30 * time.Second)
	for {
		if at, ok := proc.firstAt(0); ok {
			mu.Lock()
			took := at.Sub(restored)
			mu.Unlock()
			if took > 2*time.Second {
				t.Fatalf("partition 0 was first processed %v after its store was restored, want well under the 5s default FetchMaxWait", took)
			}
			t.Logf("partition 0 first processed %v after its store was restored", took)
			return
		}
		select {
		case err := <-ran:
			ran <- err
			t.Fatalf("Run returned: %v", err)
		case <-deadline:
			t.Fatal("partition 0 was never processed")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// TestFetchMaxWaitDefaultsAndYieldsToGroupOpts: the group member fetches
// with the runtime's FetchMaxWait unless GroupOpts sets one.
func TestFetchMaxWaitDefaultsAndYieldsToGroupOpts(t *testing.T) {
	for _, c := range []struct {
		name string
		opts []kgo.Opt
		want time.Duration
	}{
		{"default", nil, defaultFetchMaxWait},
		{"GroupOpts", []kgo.Opt{kgo.FetchMaxWait(3 * time.Second)}, 3 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := countConfig(t, []string{"127.0.0.1:1"}, newTopics("wait"), "wait", "wait-0", t.TempDir(), &countProcessor{})
			cfg.GroupOpts = c.opts
			r, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			cl, err := kgo.NewClient(r.groupOpts()...)
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			if got := cl.OptValue(kgo.FetchMaxWait); got != c.want {
				t.Errorf("FetchMaxWait = %v, want %v", got, c.want)
			}
		})
	}
}
