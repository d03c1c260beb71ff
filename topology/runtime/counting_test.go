package runtime

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/internal/kafkatest"
	"github.com/ledgerline/ledgerline/internal/topicread"
	"github.com/ledgerline/ledgerline/processors"
)

// The test pipeline: count records per key in store "counts" and emit the
// running count to output "counts"; values starting with "bad" do not
// decode and go to output "dead".

const (
	outCounts processors.Output = "counts"
	outDead   processors.Output = "dead"
	outMarks  processors.Output = "marks"
	storeName                   = "counts"
)

// countProcessor counts per key. fail, when set, may fail a record; big,
// when set and true for a record, also emits a 64 KiB mark for it.
type countProcessor struct {
	fail func(rec processors.Record[string]) error
	big  func(rec processors.Record[string]) bool
	slow time.Duration
}

func (p *countProcessor) Process(ctx processors.Context, rec processors.Record[string]) error {
	if p.fail != nil {
		if err := p.fail(rec); err != nil {
			return err
		}
	}
	if p.slow > 0 {
		time.Sleep(p.slow)
	}
	n, err := readCount(ctx.Store(storeName), rec.Key)
	if err != nil {
		return err
	}
	n++
	if err := ctx.Store(storeName).Put(rec.Key, encodeCount(n)); err != nil {
		return err
	}
	if p.big != nil && p.big(rec) {
		if err := ctx.Emit(outMarks, rec.Key, strings.Repeat("x", 64<<10)); err != nil {
			return err
		}
	}
	return ctx.Emit(outCounts, rec.Key, n)
}

func readCount(kv processors.KV, key []byte) (uint64, error) {
	v, ok, err := kv.Get(key)
	if err != nil || !ok {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("count of %q has %d bytes", key, len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}

func encodeCount(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

func decodeString(b []byte) (string, error) {
	if strings.HasPrefix(string(b), "bad") {
		return "", errors.New("value starts with bad")
	}
	return string(b), nil
}

func encodeUint(v any) ([]byte, error) {
	n, ok := v.(uint64)
	if !ok {
		return nil, fmt.Errorf("want uint64, got %T", v)
	}
	return []byte(strconv.FormatUint(n, 10)), nil
}

func encodeBytes(v any) ([]byte, error) {
	b, ok := v.([]byte)
	if !ok {
		return nil, fmt.Errorf("want []byte, got %T", v)
	}
	return b, nil
}

func encodeString(v any) ([]byte, error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("want string, got %T", v)
	}
	return []byte(s), nil
}

// topics names the topics of one test pipeline.
type topics struct {
	in, counts, dead, marks string
}

func newTopics(prefix string) topics {
	return topics{in: prefix + "-in", counts: prefix + "-counts", dead: prefix + "-dead", marks: prefix + "-marks"}
}

func (tp topics) all() []string { return []string{tp.in, tp.counts, tp.dead, tp.marks} }

// countConfig returns the configuration of the counting pipeline.
func countConfig(t testing.TB, brokers []string, tp topics, group, txnID, stateDir string, proc processors.Processor[string]) Config[string] {
	return pipelineConfig(kafkatest.Logger(t), brokers, tp, group, txnID, stateDir, proc)
}

// pipelineConfig is countConfig without a test (for a child process).
func pipelineConfig(log *slog.Logger, brokers []string, tp topics, group, txnID, stateDir string, proc processors.Processor[string]) Config[string] {
	return Config[string]{
		Brokers:    brokers,
		ClientOpts: []kgo.Opt{kgo.RetryTimeout(20 * time.Second)},
		GroupOpts: []kgo.Opt{
			kgo.SessionTimeout(6 * time.Second),
			kgo.HeartbeatInterval(500 * time.Millisecond),
			kgo.RebalanceTimeout(10 * time.Second),
			kgo.FetchMaxWait(200 * time.Millisecond),
		},
		Group:      group,
		InputTopic: tp.in,
		Decode:     decodeString,
		DeadLetter: func(raw processors.Record[[]byte], _ error) (processors.Output, []byte, any) {
			return outDead, raw.Key, raw.Value
		},
		Processor: proc,
		Stores:    []string{storeName},
		StateDir:  stateDir,
		Outputs: map[processors.Output]OutputSpec{
			outCounts: {Topic: tp.counts, Encode: encodeUint},
			outDead:   {Topic: tp.dead, Encode: encodeBytes},
			outMarks:  {Topic: tp.marks, Encode: encodeString},
		},
		TransactionalID:    txnID,
		TransactionTimeout: 10 * time.Second,
		CommitEvery:        200,
		CommitInterval:     50 * time.Millisecond,
		QueueSize:          100,
		MaxPollRecords:     200,
		ShutdownTimeout:    10 * time.Second,
		Logger:             log,
	}
}

// input is one input record to produce.
type input struct {
	partition int32 // -1: partition by key
	key       string
	value     string
}

// keyedInputs returns n records over keys k00..k(keys-1), every badEvery-th
// (when > 0) with an undecodable value.
func keyedInputs(from, n, keys, badEvery int) []input {
	out := make([]input, 0, n)
	for i := from; i < from+n; i++ {
		v := "v" + strconv.Itoa(i)
		if badEvery > 0 && i%badEvery == badEvery-1 {
			v = "bad" + strconv.Itoa(i)
		}
		out = append(out, input{partition: -1, key: fmt.Sprintf("k%02d", i%keys), value: v})
	}
	return out
}

// produce writes inputs to topic (not transactionally) and waits for them.
func produce(t testing.TB, brokers []string, topic string, ins []input) {
	t.Helper()
	if err := produceErr(brokers, topic, ins); err != nil {
		t.Fatal(err)
	}
}

// produceErr is produce for goroutines other than the test's.
func produceErr(brokers []string, topic string, ins []input) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...),
		kgo.RecordPartitioner(kgo.BasicConsistentPartitioner(func(string) func(*kgo.Record, int) int {
			hash := kgo.StickyKeyPartitioner(nil).ForTopic(topic)
			return func(r *kgo.Record, n int) int {
				if r.Partition >= 0 {
					return int(r.Partition)
				}
				return hash.Partition(r, n)
			}
		})))
	if err != nil {
		return fmt.Errorf("producer: %w", err)
	}
	defer cl.Close()
	recs := make([]*kgo.Record, len(ins))
	for i, in := range ins {
		recs[i] = &kgo.Record{Topic: topic, Partition: in.partition, Key: []byte(in.key), Value: []byte(in.value)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return fmt.Errorf("produce %d records to %s: %w", len(recs), topic, err)
	}
	return nil
}

// output is one committed output record.
type output struct {
	partition int32
	offset    int64
	key       string
	value     string
}

// readCommitted returns every committed record of topic, read with
// read_committed up to the topic's end once the transactions in it have
// ended: a transaction the runtime has just committed may still be past
// the last stable offset while the broker writes its markers.
func readCommitted(t testing.TB, brokers []string, topic string) []output {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out []output
	err := topicread.Settled(ctx, []kgo.Opt{kgo.SeedBrokers(brokers...)}, []string{topic}, func(r *kgo.Record) error {
		out = append(out, output{partition: r.Partition, offset: r.Offset, key: string(r.Key), value: string(r.Value)})
		return nil
	})
	if err != nil {
		t.Fatalf("read %s: %v", topic, err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].partition != out[j].partition {
			return out[i].partition < out[j].partition
		}
		return out[i].offset < out[j].offset
	})
	return out
}

// expectCounts checks that counts holds, for every key, exactly the running
// counts 1..n in order, where n is the number of decodable inputs of the
// key.
func expectCounts(t testing.TB, ins []input, counts []output) {
	t.Helper()
	want := map[string]int{}
	for _, in := range ins {
		if !strings.HasPrefix(in.value, "bad") {
			want[in.key]++
		}
	}
	got := map[string][]string{}
	for _, o := range counts {
		got[o.key] = append(got[o.key], o.value)
	}
	total := 0
	for key, n := range want {
		total += n
		seq := got[key]
		if len(seq) != n {
			t.Errorf("key %s: %d counts emitted, want %d (%s)", key, len(seq), n, summarize(seq))
			continue
		}
		for i, v := range seq {
			if v != strconv.Itoa(i+1) {
				t.Errorf("key %s: count #%d is %s, want %d (%s)", key, i+1, v, i+1, summarize(seq))
				break
			}
		}
	}
	for key := range got {
		if _, ok := want[key]; !ok {
			t.Errorf("counts for unknown key %q", key)
		}
	}
	if len(counts) != total {
		t.Errorf("%d count records, want %d", len(counts), total)
	}
}

func summarize(seq []string) string {
	if len(seq) <= 12 {
		return strings.Join(seq, ",")
	}
	return strings.Join(seq[:6], ",") + ",...," + strings.Join(seq[len(seq)-6:], ",")
}

// expectDead checks that dead holds every undecodable input exactly once.
func expectDead(t testing.TB, ins []input, dead []output) {
	t.Helper()
	want := map[string]int{}
	for _, in := range ins {
		if strings.HasPrefix(in.value, "bad") {
			want[in.key+"="+in.value]++
		}
	}
	got := map[string]int{}
	for _, o := range dead {
		got[o.key+"="+o.value]++
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("dead letter %s seen %d times, want %d", k, got[k], n)
		}
	}
	if len(dead) != len(want) {
		t.Errorf("%d dead letters, want %d", len(dead), len(want))
	}
}
