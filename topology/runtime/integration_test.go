package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/internal/kafkatest"
	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/state"
)

// Integration tests against the real broker of deploy/kafka (see package
// kafkatest): they skip without LEDGERLINE_KAFKA_BROKERS, fail without it
// under CI=true.

// realPipeline creates the pipeline's topics on the test broker and
// returns the brokers, topics, group (also the changelog prefix) and an
// admin client. The changelog the runtime creates is deleted at the end.
func realPipeline(t *testing.T, partitions int32) ([]string, topics, string, *kadm.Client) {
	t.Helper()
	brokers := kafkatest.Brokers(t)
	adm := kafkatest.NewAdmin(t)
	base := kafkatest.TopicName(t, "rt")
	tp := newTopics(base)
	kafkatest.CreateTopic(t, adm, tp.in, partitions, nil)
	for _, topic := range []string{tp.counts, tp.dead, tp.marks} {
		kafkatest.CreateTopic(t, adm, topic, 3, nil)
	}
	group := base
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_, _ = adm.DeleteTopic(ctx, state.ChangelogTopic(group, storeName))
	})
	return brokers, tp, group, adm
}

// crashGroupOpts make a dead member leave the group quickly.
func crashGroupOpts() []kgo.Opt {
	return []kgo.Opt{
		kgo.SessionTimeout(3 * time.Second),
		kgo.HeartbeatInterval(300 * time.Millisecond),
	}
}

// waitCommitted waits until group has committed everything in topic now.
// A value on stopped (Run returned) fails the test at once.
func waitCommitted(t *testing.T, brokers []string, group, topic string, timeout time.Duration, stopped <-chan error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	targets, err := drainTargets(ctx, adm, topic)
	if err != nil {
		t.Fatal(err)
	}
	w := drainWatch{cl: cl, adm: adm, group: group, topic: topic, targets: targets, last: map[int32]int64{}}
	for {
		done, err := w.caughtUp(ctx)
		if err == nil && done {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("group %s did not commit %s to %v in %v (last seen %v, err %v)", group, topic, targets, timeout, w.last, err)
		case err := <-stopped:
			t.Fatalf("runner stopped while waiting for group %s to commit %s: %v", group, topic, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// TestCrashRestoresFromChangelog (a): an instance killed with SIGKILL in
// the middle of a transaction, twice, and restarted each time: the second
// restart with the local state kept, the last one with an empty state
// directory (restore entirely from the changelog). The committed output
// equals that of one clean run.
func TestCrashRestoresFromChangelog(t *testing.T) {
	brokers, tp, group, adm := realPipeline(t, 3)
	ins := keyedInputs(0, 4000, 30, 101)
	produce(t, brokers, tp.in, ins)

	dir := t.TempDir()
	spec := childSpec{Brokers: brokers, In: tp.in, Counts: tp.counts, Dead: tp.dead, Marks: tp.marks,
		Group: group, TxnID: group + "-instance", StateDir: dir, Slow: 1500 * time.Microsecond}
	cmd, stderr := kafkatest.StartChild(t, childEnv, spec)
	kafkatest.KillMidStream(t, cmd, stderr, adm, group, tp.in, tp.counts, len(ins), 0.2, 40*time.Second)
	cmd, stderr = kafkatest.StartChild(t, childEnv, spec) // same state directory
	kafkatest.KillMidStream(t, cmd, stderr, adm, group, tp.in, tp.counts, len(ins), 0.5, 40*time.Second)

	cfg := countConfig(t, brokers, tp, group, spec.TxnID, t.TempDir(), &countProcessor{})
	cfg.GroupOpts = append(cfg.GroupOpts, crashGroupOpts()...)
	drain(t, cfg)

	counts := readCommitted(t, brokers, tp.counts)
	expectCounts(t, ins, counts)
	expectDead(t, ins, readCommitted(t, brokers, tp.dead))
	if all := kafkatest.DataRecords(t, []kgo.Opt{kgo.SeedBrokers(brokers...)}, tp.counts); all <= len(counts) {
		t.Errorf("the output holds %d records in all, %d committed: the kills left no aborted transaction", all, len(counts))
	}
}

// TestRebalanceMovesState (b): three instances share a 6-partition topic
// while it is written; one leaves and another joins mid-stream. State moves
// with the partitions and the output is exact.
func TestRebalanceMovesState(t *testing.T) {
	brokers, tp, group, adm := realPipeline(t, 6)
	ins := keyedInputs(0, 6000, 48, 0)

	type instance struct {
		name   string
		r      *Runner[string]
		cancel context.CancelFunc
		done   chan error
		reg    *prometheus.Registry
	}
	start := func(name string) *instance {
		reg := prometheus.NewRegistry()
		cfg := countConfig(t, brokers, tp, group, group+"-"+name, t.TempDir(), &countProcessor{slow: 100 * time.Microsecond})
		cfg.Registerer = reg
		r, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		in := &instance{name: name, r: r, cancel: cancel, done: make(chan error, 1), reg: reg}
		go func() { in.done <- r.Run(ctx) }()
		return in
	}
	stop := func(in *instance) {
		in.cancel()
		select {
		case err := <-in.done:
			if err != nil {
				t.Errorf("instance %s: Run: %v", in.name, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("instance %s did not stop", in.name)
		}
	}
	metric := func(in *instance, name, result string) float64 {
		return metricValues(t, in.reg)[fmt.Sprintf(`ledgerline_runtime_%s{group="%s",result="%s"}`, name, group, result)]
	}
	// writeChunks writes ins in chunks of 300, one every 100ms.
	writeChunks := func(ins []input) <-chan error {
		done := make(chan error, 1)
		go func() {
			for i := 0; i < len(ins); i += 300 {
				if err := produceErr(brokers, tp.in, ins[i:min(i+300, len(ins))]); err != nil {
					done <- err
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
			done <- nil
		}()
		return done
	}

	a, b, c := start("a"), start("b"), start("c")
	first := writeChunks(ins[:2400])
	waitProgress(t, adm, group, tp.in, 1200)
	stop(a) // leaves mid-stream
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	d := start("d") // joins mid-stream
	second := writeChunks(ins[2400:4800])
	waitReady(t, d.r, -1)
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	// The rest arrives once d owns partitions, so d has records to do.
	produce(t, brokers, tp.in, ins[4800:])
	waitCommitted(t, brokers, group, tp.in, 45*time.Second, nil)
	for _, in := range []*instance{b, c, d} {
		stop(in)
	}
	for _, in := range []*instance{a, b, c, d} {
		t.Logf("instance %s processed %v records (transactions: %v committed, %v aborted)", in.name,
			metric(in, "records_total", resultProcessed),
			metric(in, "transactions_total", resultCommitted), metric(in, "transactions_total", resultAborted))
	}
	if metric(a, "records_total", resultProcessed) == 0 {
		t.Error("the instance that left processed nothing before leaving")
	}
	if metric(d, "records_total", resultProcessed) == 0 {
		t.Error("the instance that joined processed nothing")
	}
	expectCounts(t, ins, readCommitted(t, brokers, tp.counts))
}

// waitProgress waits until group committed at least n records of topic.
func waitProgress(t *testing.T, adm *kadm.Client, group, topic string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		done := kafkatest.CommittedRecords(ctx, adm, group, topic)
		cancel()
		if done >= int64(n) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("group %s did not commit %d records of %s in time", group, n, topic)
}

// TestAbortedTransactionsLeaveNoTrace (c): aborted transactions change
// neither the committed output nor the stores, whether the stores are
// reopened locally or restored from the changelog. Two runs fail in the
// processor (the transaction's store writes are discarded before they reach
// the changelog); one fails producing an output record the broker rejects
// (its changelog records were written, and aborted).
func TestAbortedTransactionsLeaveNoTrace(t *testing.T) {
	brokers, tp, group, adm := realPipeline(t, 2)
	small := "1024"
	actx, acancel := context.WithTimeout(context.Background(), 10*time.Second)
	_, err := adm.AlterTopicConfigs(actx, []kadm.AlterConfig{{Name: "max.message.bytes", Value: &small}}, tp.marks)
	acancel()
	if err != nil {
		t.Fatalf("limit record size of %s: %v", tp.marks, err)
	}
	ins := keyedInputs(0, 1500, 10, 0)
	produce(t, brokers, tp.in, ins)
	dir := t.TempDir()
	changelog := state.ChangelogTopic(group, storeName)

	boom := errors.New("boom")
	for run := range 3 {
		var seen atomic.Int64
		failAt := int64(250 + 100*run)
		proc := &countProcessor{}
		if run < 2 {
			proc.fail = func(processors.Record[string]) error {
				if seen.Add(1) == failAt {
					return boom
				}
				return nil
			}
		} else {
			proc.big = func(processors.Record[string]) bool { return seen.Add(1) == failAt }
		}
		cfg := countConfig(t, brokers, tp, group, group+"-0", dir, proc)
		cfg.CommitEvery = 100
		cfg.CommitInterval = time.Second
		r, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = r.Run(ctx)
		cancel()
		switch {
		case run < 2 && (!errors.Is(err, boom) || !IsRetryable(err)):
			t.Fatalf("run %d: Run = %v, want a retryable error wrapping boom", run, err)
		case run == 2 && (!errors.Is(err, kerr.MessageTooLarge) || !IsFatal(err)):
			t.Fatalf("run %d: Run = %v, want a fatal MESSAGE_TOO_LARGE", run, err)
		}
		// What is committed so far is a prefix of the exact output, and
		// the stores (local, and restored afresh) agree with it.
		counts := readCommitted(t, brokers, tp.counts)
		expectPrefix(t, counts)
		expectStoresMatchOutput(t, brokers, group, dir, 2, counts)
		expectStoresMatchOutput(t, brokers, group, t.TempDir(), 2, counts)
		t.Logf("run %d: %v; %d counts committed", run, err, len(counts))
	}
	all, committed := kafkatest.DataRecords(t, []kgo.Opt{kgo.SeedBrokers(brokers...)}, changelog), len(readCommitted(t, brokers, changelog))
	if all <= committed {
		t.Errorf("changelog holds %d records, %d committed: no aborted writes reached it", all, committed)
	}
	t.Logf("changelog: %d records, %d committed", all, committed)

	drain(t, countConfig(t, brokers, tp, group, group+"-0", dir, &countProcessor{}))
	counts := readCommitted(t, brokers, tp.counts)
	expectCounts(t, ins, counts)
	expectStoresMatchOutput(t, brokers, group, dir, 2, counts)
	expectStoresMatchOutput(t, brokers, group, t.TempDir(), 2, counts)
}

// expectPrefix checks that every key's committed counts are 1..n in order.
func expectPrefix(t *testing.T, counts []output) {
	t.Helper()
	next := map[string]int{}
	for _, o := range counts {
		next[o.key]++
		if o.value != fmt.Sprint(next[o.key]) {
			t.Fatalf("key %s: committed count #%d is %s", o.key, next[o.key], o.value)
		}
	}
}

// expectStoresMatchOutput opens the stores under dir and checks each key's
// count equals the last committed count output for it.
func expectStoresMatchOutput(t *testing.T, brokers []string, app, dir string, partitions int32, counts []output) {
	t.Helper()
	want := map[string]uint64{}
	for _, o := range counts {
		want[o.key]++
	}
	var ins []input
	for k, n := range want {
		for range n {
			ins = append(ins, input{key: k})
		}
	}
	expectStoreCounts(t, brokers, app, dir, partitions, ins)
}

// TestAddedPartitionsLoseNothing (d): partitions added to the input topic
// while the runner runs are picked up (their changelog partitions created)
// and none of their records is lost.
func TestAddedPartitionsLoseNothing(t *testing.T) {
	brokers, tp, group, adm := realPipeline(t, 2)
	perPartition := func(parts []int32, from, n int) []input {
		var out []input
		for _, p := range parts {
			for i := from; i < from+n; i++ {
				out = append(out, input{partition: p, key: fmt.Sprintf("p%d-k%d", p, i%5), value: fmt.Sprintf("v%d-%d", p, i)})
			}
		}
		return out
	}
	first := perPartition([]int32{0, 1}, 0, 200)
	produce(t, brokers, tp.in, first)

	cfg := countConfig(t, brokers, tp, group, group+"-0", t.TempDir(), &countProcessor{})
	cfg.GroupOpts = append(cfg.GroupOpts, kgo.MetadataMaxAge(time.Second), kgo.MetadataMinAge(100*time.Millisecond))
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- r.Run(ctx) }()
	waitCommitted(t, brokers, group, tp.in, 30*time.Second, ran)

	actx, acancel := context.WithTimeout(context.Background(), 20*time.Second)
	resp, err := adm.UpdatePartitions(actx, 4, tp.in)
	acancel()
	if err == nil {
		err = resp.Error()
	}
	if err != nil {
		t.Fatalf("add partitions: %v", err)
	}
	// Write to the new partitions at once, before the group noticed them,
	// and keep writing to all.
	second := perPartition([]int32{2, 3}, 0, 150)
	produce(t, brokers, tp.in, second)
	third := perPartition([]int32{0, 1, 2, 3}, 1000, 100)
	produce(t, brokers, tp.in, third)

	var tasks atomic.Int32
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		tasks.Store(int32(len(r.tasks)))
		r.mu.Unlock()
		if tasks.Load() == 4 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if tasks.Load() != 4 {
		t.Fatalf("runner has %d tasks, want 4 after adding partitions", tasks.Load())
	}
	waitCommitted(t, brokers, group, tp.in, 30*time.Second, ran)
	cancel()
	if err := <-ran; err != nil {
		t.Fatalf("Run: %v", err)
	}
	all := append(append(first, second...), third...)
	expectCounts(t, all, readCommitted(t, brokers, tp.counts))

	dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer dcancel()
	topicsDetail, err := adm.ListTopics(dctx, state.ChangelogTopic(group, storeName))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(topicsDetail[state.ChangelogTopic(group, storeName)].Partitions); n != 4 {
		t.Errorf("changelog has %d partitions, want 4", n)
	}
}

// TestRejectedSessionTimeoutIsFatal: a session timeout below the broker's
// group.min.session.timeout.ms (1s on the test broker, 6s by default) is
// refused on every join; Drain fails with a fatal error instead of
// retrying forever.
func TestRejectedSessionTimeoutIsFatal(t *testing.T) {
	brokers, tp, group, _ := realPipeline(t, 2)
	produce(t, brokers, tp.in, keyedInputs(0, 10, 2, 0))
	cfg := countConfig(t, brokers, tp, group, group+"-0", t.TempDir(), &countProcessor{})
	cfg.GroupOpts = append(cfg.GroupOpts, kgo.SessionTimeout(500*time.Millisecond), kgo.HeartbeatInterval(100*time.Millisecond))
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err = r.Drain(ctx)
	if !errors.Is(err, kerr.InvalidSessionTimeout) || !IsFatal(err) {
		t.Fatalf("Drain = %v, want a fatal error wrapping %v", err, kerr.InvalidSessionTimeout)
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != OpGroup {
		t.Fatalf("Drain = %v, want Op %q", err, OpGroup)
	}
}
