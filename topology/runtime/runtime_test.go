package runtime

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/state"
)

// fakeCluster starts an in-process Kafka with the pipeline's topics.
func fakeCluster(t testing.TB, partitions int32, tp topics) []string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(partitions, tp.all()...))
	if err != nil {
		t.Fatalf("kfake: %v", err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

func drain(t testing.TB, cfg Config[string]) {
	t.Helper()
	r, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := r.Drain(ctx); err != nil {
		t.Fatalf("Drain: %v", err)
	}
}

func TestCountsExactlyOnce(t *testing.T) {
	tp := newTopics("exact")
	brokers := fakeCluster(t, 4, tp)
	ins := keyedInputs(0, 3000, 25, 97)
	produce(t, brokers, tp.in, ins)

	reg := prometheus.NewRegistry()
	cfg := countConfig(t, brokers, tp, "exact", "exact-0", t.TempDir(), &countProcessor{})
	cfg.Registerer = reg
	drain(t, cfg)

	expectCounts(t, ins, readCommitted(t, brokers, tp.counts))
	expectDead(t, ins, readCommitted(t, brokers, tp.dead))

	m := metricValues(t, reg)
	if got, want := m[`ledgerline_runtime_records_total{group="exact",result="processed"}`], float64(3000-3000/97); got != want {
		t.Errorf("processed records metric %v, want %v", got, want)
	}
	if got := m[`ledgerline_runtime_records_total{group="exact",result="dead_letter"}`]; got != float64(3000/97) {
		t.Errorf("dead letter metric %v, want %d", got, 3000/97)
	}
	if got := m[`ledgerline_runtime_transactions_total{group="exact",result="committed"}`]; got < 1 {
		t.Errorf("committed transactions metric %v, want >= 1", got)
	}
}

func TestStateRestoredFromChangelog(t *testing.T) {
	tp := newTopics("restore")
	brokers := fakeCluster(t, 3, tp)
	first := keyedInputs(0, 900, 10, 0)
	produce(t, brokers, tp.in, first)
	drain(t, countConfig(t, brokers, tp, "restore", "restore-a", t.TempDir(), &countProcessor{}))

	// A new instance with an empty state directory: the counts continue
	// from the changelog.
	second := keyedInputs(900, 600, 10, 0)
	produce(t, brokers, tp.in, second)
	drain(t, countConfig(t, brokers, tp, "restore", "restore-b", t.TempDir(), &countProcessor{}))

	expectCounts(t, append(first, second...), readCommitted(t, brokers, tp.counts))
}

func TestLocalStateReused(t *testing.T) {
	tp := newTopics("reuse")
	brokers := fakeCluster(t, 2, tp)
	dir := t.TempDir()
	first := keyedInputs(0, 400, 8, 0)
	produce(t, brokers, tp.in, first)
	drain(t, countConfig(t, brokers, tp, "reuse", "reuse-0", dir, &countProcessor{}))
	second := keyedInputs(400, 400, 8, 0)
	produce(t, brokers, tp.in, second)
	drain(t, countConfig(t, brokers, tp, "reuse", "reuse-0", dir, &countProcessor{}))
	expectCounts(t, append(first, second...), readCommitted(t, brokers, tp.counts))
	expectStoreCounts(t, brokers, "reuse", dir, 2, append(first, second...))
}

// TestProcessorErrorAborts: a processor error aborts the transaction (its
// outputs and store writes leave no trace) and stops the runner with a
// retryable error; the next run processes the record again.
func TestProcessorErrorAborts(t *testing.T) {
	tp := newTopics("abort")
	brokers := fakeCluster(t, 2, tp)
	ins := keyedInputs(0, 1200, 6, 0)
	produce(t, brokers, tp.in, ins)
	dir := t.TempDir()

	var failed atomic.Bool
	boom := errors.New("boom")
	proc := &countProcessor{fail: func(rec processors.Record[string]) error {
		if rec.Value == "v700" && failed.CompareAndSwap(false, true) {
			return boom
		}
		return nil
	}}
	cfg := countConfig(t, brokers, tp, "abort", "abort-0", dir, proc)
	cfg.CommitEvery = 100000
	cfg.CommitInterval = 2 * time.Second // everything before the failure is one transaction
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err = r.Run(ctx)
	if !errors.Is(err, boom) || !IsRetryable(err) {
		t.Fatalf("Run = %v, want a retryable error wrapping boom", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != OpProcess || e.Offset < 0 {
		t.Fatalf("Run error %#v does not locate the record", e)
	}
	if got := readCommitted(t, brokers, tp.counts); len(got) != 0 {
		t.Fatalf("aborted transaction left %d committed outputs", len(got))
	}
	expectStoreCounts(t, brokers, "abort", dir, 2, nil)

	drain(t, countConfig(t, brokers, tp, "abort", "abort-0", dir, proc))
	expectCounts(t, ins, readCommitted(t, brokers, tp.counts))
	expectStoreCounts(t, brokers, "abort", dir, 2, ins)
}

// expectStoreCounts opens the local stores of every partition and checks
// they hold exactly the counts of ins.
func expectStoreCounts(t testing.TB, brokers []string, app, dir string, partitions int32, ins []input) {
	t.Helper()
	want := map[string]uint64{}
	for _, in := range ins {
		want[in.key]++
	}
	got := map[string]uint64{}
	for p := range partitions {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		s, err := openStateStore(ctx, StoreSpec{
			Name: storeName, Partition: p, Changelog: state.ChangelogTopic(app, storeName),
			Dir: dir, ClientOpts: seeds(brokers),
		})
		cancel()
		if err != nil {
			t.Fatalf("open store %d: %v", p, err)
		}
		for key := range want {
			n, err := readCount(s, []byte(key))
			if err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				got[key] += n
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	for key, n := range want {
		if got[key] != n {
			t.Errorf("store count of %s = %d, want %d", key, got[key], n)
		}
	}
	for key, n := range got {
		if _, ok := want[key]; !ok {
			t.Errorf("store holds %s = %d, want nothing", key, n)
		}
	}
}

func TestBroadcastRunsOncePerTaskInATransaction(t *testing.T) {
	tp := newTopics("bcast")
	brokers := fakeCluster(t, 3, tp)
	ins := keyedInputs(0, 300, 9, 0)
	produce(t, brokers, tp.in, ins)
	cfg := countConfig(t, brokers, tp, "bcast", "bcast-0", t.TempDir(), &countProcessor{})
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Broadcast(context.Background(), func(processors.Context) error { return nil }); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Broadcast before Run = %v, want ErrNotRunning", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- r.Run(ctx) }()
	waitReady(t, r, 3)

	var mu sync.Mutex
	seen := map[int32]int{}
	bctx, bcancel := context.WithTimeout(ctx, 30*time.Second)
	defer bcancel()
	err = r.Broadcast(bctx, func(c processors.Context) error {
		mu.Lock()
		seen[c.Partition()]++
		mu.Unlock()
		if c.Offset() != -1 {
			return fmt.Errorf("broadcast offset %d, want -1", c.Offset())
		}
		return c.Emit(outMarks, []byte(fmt.Sprintf("p%d", c.Partition())), "mark")
	})
	if err != nil {
		t.Fatalf("Broadcast: %v", err)
	}
	// Many queued at once run in call order, batched into few transactions.
	var results []<-chan error
	for i := range 20 {
		results = append(results, r.BroadcastAsync(func(c processors.Context) error {
			return c.Emit(outMarks, []byte(fmt.Sprintf("p%d", c.Partition())), fmt.Sprint(i))
		}))
	}
	for i, res := range results {
		select {
		case err := <-res:
			if err != nil {
				t.Fatalf("BroadcastAsync %d: %v", i, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("BroadcastAsync %d did not finish", i)
		}
	}
	cancel()
	if err := <-ran; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if err := <-r.BroadcastAsync(func(processors.Context) error { return nil }); !errors.Is(err, ErrNotRunning) {
		t.Errorf("BroadcastAsync after Run = %v, want ErrNotRunning", err)
	}
	marks := readCommitted(t, brokers, tp.marks)
	got := map[string][]string{}
	for _, m := range marks {
		got[m.key] = append(got[m.key], m.value)
	}
	want := []string{"mark"}
	for i := range 20 {
		want = append(want, fmt.Sprint(i))
	}
	for p := range int32(3) {
		key := fmt.Sprintf("p%d", p)
		if fmt.Sprint(got[key]) != fmt.Sprint(want) {
			t.Errorf("partition %d: committed marks %v, want %v", p, got[key], want)
		}
	}
	if len(marks) != 3*len(want) {
		t.Errorf("%d marks, want %d", len(marks), 3*len(want))
	}
}

// waitReady waits until r is ready with n tasks (n < 0: at least one).
func waitReady(t testing.TB, r *Runner[string], n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		tasks := len(r.tasks)
		r.mu.Unlock()
		if r.Ready() && (tasks == n || n < 0 && tasks > 0) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("runner not ready with %d tasks in time; stores: %+v", n, r.StoreReadiness())
}

func TestReadiness(t *testing.T) {
	tp := newTopics("ready")
	brokers := fakeCluster(t, 2, tp)
	r, err := New(countConfig(t, brokers, tp, "ready", "ready-0", t.TempDir(), &countProcessor{}))
	if err != nil {
		t.Fatal(err)
	}
	if r.Ready() {
		t.Fatal("ready before Run")
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- r.Run(ctx) }()
	waitReady(t, r, 2)
	rs := r.StoreReadiness()
	if len(rs) != 2 {
		t.Fatalf("StoreReadiness = %+v, want 2 stores", rs)
	}
	for _, s := range rs {
		if s.Name != storeName || s.Phase != state.PhaseReady {
			t.Errorf("store %+v not ready", s)
		}
	}
	cancel()
	if err := <-ran; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if r.Ready() {
		t.Error("ready after Run returned")
	}
	if len(r.StoreReadiness()) != 0 {
		t.Errorf("stores still open after Run: %+v", r.StoreReadiness())
	}
	if err := r.Run(context.Background()); !errors.Is(err, ErrAlreadyStarted) {
		t.Errorf("second Run = %v, want ErrAlreadyStarted", err)
	}
}

// TestBackpressurePausesAndLosesNothing: with a tiny queue and a slow
// processor, partitions are paused and resumed, and the output stays exact.
func TestBackpressurePausesAndLosesNothing(t *testing.T) {
	tp := newTopics("pressure")
	brokers := fakeCluster(t, 2, tp)
	ins := keyedInputs(0, 600, 4, 0)
	produce(t, brokers, tp.in, ins)
	cfg := countConfig(t, brokers, tp, "pressure", "pressure-0", t.TempDir(), &countProcessor{slow: 200 * time.Microsecond})
	cfg.QueueSize = 4
	cfg.MaxPollRecords = 16
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var maxPaused atomic.Int64
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
			if v := int64(gaugeValue(t, r.met.paused)); v > maxPaused.Load() {
				maxPaused.Store(v)
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := r.Drain(ctx); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	close(stop)
	<-watched
	if maxPaused.Load() == 0 {
		t.Error("no partition was ever paused")
	}
	if v := gaugeValue(t, r.met.paused); v != 0 {
		t.Errorf("paused partitions gauge %v after shutdown, want 0", v)
	}
	expectCounts(t, ins, readCommitted(t, brokers, tp.counts))
}

// bufferingProcessor keeps the latest count per key in memory and emits it
// only on Flush: what it emits must commit with the records it accounts for.
type bufferingProcessor struct {
	latest  map[string]uint64
	flushes int
}

func (p *bufferingProcessor) Process(ctx processors.Context, rec processors.Record[string]) error {
	n, err := readCount(ctx.Store(storeName), rec.Key)
	if err != nil {
		return err
	}
	n++
	p.latest[string(rec.Key)] = n
	return ctx.Store(storeName).Put(rec.Key, encodeCount(n))
}

func (p *bufferingProcessor) Flush(ctx processors.Context) error {
	p.flushes++
	for k, n := range p.latest {
		if err := ctx.Emit(outCounts, []byte(k), n); err != nil {
			return err
		}
	}
	clear(p.latest)
	return nil
}

func TestFlusherFlushedBeforeEveryCommit(t *testing.T) {
	tp := newTopics("flush")
	brokers := fakeCluster(t, 2, tp)
	ins := keyedInputs(0, 1000, 7, 0)
	produce(t, brokers, tp.in, ins)
	var mu sync.Mutex
	procs := map[int32]*bufferingProcessor{}
	cfg := countConfig(t, brokers, tp, "flush", "flush-0", t.TempDir(), nil)
	cfg.Processor = nil
	cfg.NewProcessor = func(p int32) processors.Processor[string] {
		mu.Lock()
		defer mu.Unlock()
		bp := &bufferingProcessor{latest: map[string]uint64{}}
		procs[p] = bp
		return bp
	}
	drain(t, cfg)

	// The last value emitted per key is its final count.
	last := map[string]string{}
	for _, o := range readCommitted(t, brokers, tp.counts) {
		last[o.key] = o.value
	}
	want := map[string]int{}
	for _, in := range ins {
		want[in.key]++
	}
	for k, n := range want {
		if last[k] != fmt.Sprint(n) {
			t.Errorf("key %s: last flushed count %s, want %d", k, last[k], n)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(procs) != 2 {
		t.Fatalf("%d processors created, want one per partition", len(procs))
	}
	for p, bp := range procs {
		if bp.flushes == 0 {
			t.Errorf("partition %d never flushed", p)
		}
	}
}

func TestConfigValidation(t *testing.T) {
	base := countConfig(t, []string{"127.0.0.1:1"}, newTopics("cfg"), "g", "tx", t.TempDir(), &countProcessor{})
	if _, err := base.withDefaults(); err != nil {
		t.Fatalf("valid config rejected: %v", err)
	}
	cases := map[string]func(c *Config[string]){
		"no brokers":       func(c *Config[string]) { c.Brokers = nil },
		"no group":         func(c *Config[string]) { c.Group = "" },
		"no input":         func(c *Config[string]) { c.InputTopic = "" },
		"no decode":        func(c *Config[string]) { c.Decode = nil },
		"no dead letter":   func(c *Config[string]) { c.DeadLetter = nil },
		"no processor":     func(c *Config[string]) { c.Processor = nil },
		"two processors":   func(c *Config[string]) { c.NewProcessor = func(int32) processors.Processor[string] { return nil } },
		"no txn id":        func(c *Config[string]) { c.TransactionalID = "" },
		"no state dir":     func(c *Config[string]) { c.StateDir = "" },
		"duplicate store":  func(c *Config[string]) { c.Stores = []string{"a", "a"} },
		"empty store":      func(c *Config[string]) { c.Stores = []string{""} },
		"output no topic":  func(c *Config[string]) { c.Outputs = map[processors.Output]OutputSpec{"x": {Encode: encodeBytes}} },
		"output no encode": func(c *Config[string]) { c.Outputs = map[processors.Output]OutputSpec{"x": {Topic: "t"}} },
		"output is input": func(c *Config[string]) {
			c.Outputs = map[processors.Output]OutputSpec{"x": {Topic: c.InputTopic, Encode: encodeBytes}}
		},
		"commit interval vs txn timeout": func(c *Config[string]) { c.CommitInterval = c.TransactionTimeout },
		"negative queue":                 func(c *Config[string]) { c.QueueSize = -1 },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			c := base
			mutate(&c)
			_, err := New(c)
			if !IsFatal(err) {
				t.Fatalf("New = %v, want a fatal config error", err)
			}
			var e *Error
			if !errors.As(err, &e) || e.Op != OpConfig {
				t.Fatalf("New = %v, want Op %q", err, OpConfig)
			}
		})
	}
}

func TestMetricsRegistration(t *testing.T) {
	reg := prometheus.NewRegistry()
	cfg := countConfig(t, []string{"127.0.0.1:1"}, newTopics("m"), "g", "tx", t.TempDir(), &countProcessor{})
	cfg.Registerer = reg
	if _, err := New(cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := New(cfg); !IsFatal(err) {
		t.Fatalf("second runner of the same group on one registry = %v, want fatal", err)
	}
	cfg.Group = "other"
	if _, err := New(cfg); err != nil {
		t.Fatalf("runner of another group: %v", err)
	}
	cfg.Registerer = nil
	if _, err := New(cfg); err != nil {
		t.Fatalf("nil Registerer: %v", err)
	}
}

// gaugeValue reads a gauge.
func gaugeValue(t testing.TB, g prometheus.Gauge) float64 {
	var m dto.Metric
	if err := g.Write(&m); err != nil {
		t.Error(err)
	}
	return m.GetGauge().GetValue()
}

func seeds(brokers []string) []kgo.Opt { return []kgo.Opt{kgo.SeedBrokers(brokers...)} }

// metricValues gathers reg into "name{labels}" -> value (counters and
// gauges).
func metricValues(t testing.TB, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			name := mf.GetName() + "{"
			for i, l := range m.GetLabel() {
				if i > 0 {
					name += ","
				}
				name += l.GetName() + `="` + l.GetValue() + `"`
			}
			name += "}"
			switch {
			case m.GetCounter() != nil:
				out[name] = m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				out[name] = m.GetGauge().GetValue()
			}
		}
	}
	return out
}

// TestEmitToUnknownOutputIsFatal: a processor emitting to an output that is
// not configured stops the runner with a fatal error, committing nothing.
func TestEmitToUnknownOutputIsFatal(t *testing.T) {
	tp := newTopics("unknown")
	brokers := fakeCluster(t, 1, tp)
	produce(t, brokers, tp.in, keyedInputs(0, 10, 2, 0))
	proc := processors.ProcessorFunc[string](func(ctx processors.Context, rec processors.Record[string]) error {
		return ctx.Emit("nowhere", rec.Key, rec.Value)
	})
	r, err := New(countConfig(t, brokers, tp, "unknown", "unknown-0", t.TempDir(), proc))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = r.Run(ctx)
	if !IsFatal(err) {
		t.Fatalf("Run = %v, want a fatal error", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != OpProcess || e.Offset != 0 {
		t.Fatalf("Run = %v, want the record located", err)
	}
}

// TestDrainPastTransactionMarkers: input written by transactional
// producers ends in commit and abort markers (and aborted records) that the
// group's committed offsets never reach; Drain still finishes.
func TestDrainPastTransactionMarkers(t *testing.T) {
	tp := newTopics("markers")
	brokers := fakeCluster(t, 2, tp)
	committed := keyedInputs(0, 200, 5, 0)
	produceTxn(t, brokers, tp.in, committed, true)
	produceTxn(t, brokers, tp.in, keyedInputs(200, 50, 5, 0), false)
	drain(t, countConfig(t, brokers, tp, "markers", "markers-0", t.TempDir(), &countProcessor{}))
	expectCounts(t, committed, readCommitted(t, brokers, tp.counts))
}

// produceTxn writes inputs in one transaction, committed or aborted.
func produceTxn(t testing.TB, brokers []string, topic string, ins []input, commit bool) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.TransactionalID(topic+"-producer"))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		cl.Produce(ctx, &kgo.Record{Topic: topic, Key: []byte(in.key), Value: []byte(in.value)}, func(_ *kgo.Record, err error) {
			if err != nil {
				t.Errorf("produce: %v", err)
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := cl.EndTransaction(ctx, kgo.TransactionEndTry(commit)); err != nil {
		t.Fatal(err)
	}
}

// revokingProcessor counts and records Revoke calls.
type revokingProcessor struct {
	countProcessor
	mu      sync.Mutex
	revoked map[int32]int
}

func (p *revokingProcessor) Revoke(partition int32) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.revoked[partition]++
}

func (p *revokingProcessor) revokes() map[int32]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.revoked)
}

// TestRevokerCalledOnAbortAndStop: a processor keeping per-partition memory
// is told to drop it when a transaction aborts and when a task stops.
func TestRevokerCalledOnAbortAndStop(t *testing.T) {
	tp := newTopics("revoke")
	brokers := fakeCluster(t, 2, tp)
	produce(t, brokers, tp.in, keyedInputs(0, 200, 4, 0))
	var failed atomic.Bool
	proc := &revokingProcessor{revoked: map[int32]int{}}
	proc.fail = func(rec processors.Record[string]) error {
		if rec.Value == "v150" && failed.CompareAndSwap(false, true) {
			return errors.New("boom")
		}
		return nil
	}
	r, err := New(countConfig(t, brokers, tp, "revoke", "revoke-0", t.TempDir(), proc))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = r.Run(ctx)
	var e *Error
	if !errors.As(err, &e) || e.Op != OpProcess {
		t.Fatalf("Run = %v, want the processor error", err)
	}
	// The failed partition: once for the aborted transaction, once when
	// its task stopped. The other partition took part in the transaction
	// too unless it was still restoring, so once or twice.
	after := proc.revokes()
	if got := after[e.Partition]; got != 2 {
		t.Errorf("Revoke calls of the failed partition %d = %d, want 2 (all %v)", e.Partition, got, after)
	}
	if got := after[1-e.Partition]; got < 1 || got > 2 {
		t.Errorf("Revoke calls of partition %d = %d, want 1 or 2 (all %v)", 1-e.Partition, got, after)
	}
	drain(t, countConfig(t, brokers, tp, "revoke", "revoke-0", t.TempDir(), proc))
	final := proc.revokes()
	for p := range int32(2) {
		if final[p] != after[p]+1 {
			t.Errorf("partition %d: %d Revoke calls after a clean run, want %d (one when its task stopped)", p, final[p], after[p]+1)
		}
	}
}

// TestRejectedGroupJoinIsFatal: a group join the broker rejects for a
// reason no retry cures (a session timeout outside the broker's bounds, a
// denied group) stops the runner with a fatal error instead of retrying
// forever.
func TestRejectedGroupJoinIsFatal(t *testing.T) {
	reject := func(err *kerr.Error) func(*kfake.Cluster) {
		return func(c *kfake.Cluster) {
			c.Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.JoinGroup}, Group: "join", Err: err, Count: -1})
		}
	}
	for _, c := range []struct {
		name  string
		opts  []kfake.Opt
		setup func(*kfake.Cluster)
		want  error
	}{
		// The test pipeline's session timeout is 6s.
		{"session timeout", []kfake.Opt{kfake.GroupMinSessionTimeout(10 * time.Second)}, nil, kerr.InvalidSessionTimeout},
		{"group authorization", nil, reject(kerr.GroupAuthorizationFailed), kerr.GroupAuthorizationFailed},
		{"invalid group id", nil, reject(kerr.InvalidGroupID), kerr.InvalidGroupID},
	} {
		t.Run(c.name, func(t *testing.T) {
			tp := newTopics("join")
			cl, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1), kfake.SeedTopics(2, tp.all()...)}, c.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			if c.setup != nil {
				c.setup(cl)
			}
			brokers := cl.ListenAddrs()
			produce(t, brokers, tp.in, keyedInputs(0, 10, 2, 0))
			r, err := New(countConfig(t, brokers, tp, "join", "join-0", t.TempDir(), &countProcessor{}))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			err = r.Drain(ctx)
			if !errors.Is(err, c.want) || !IsFatal(err) {
				t.Fatalf("Drain = %v after %v, want a fatal error wrapping %v", err, time.Since(start), c.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.Op != OpGroup {
				t.Fatalf("Drain = %v, want Op %q", err, OpGroup)
			}
			if got := readCommitted(t, brokers, tp.counts); len(got) != 0 {
				t.Errorf("%d outputs committed without a group", len(got))
			}
		})
	}
}
