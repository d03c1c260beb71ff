package lake

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// Stats counts what a sink did.
type Stats struct {
	Files       int64 // data files published
	Rows        int64 // rows in them
	Bytes       int64 // their total size
	Replayed    int64 // records skipped because the lake already had them
	Undecodable int64 // records skipped by OnUndecodable
	Commits     int64 // successful offset commits
	Fenced      int64 // flushes that found part of their rows already in the lake
}

// Sink consumes the enriched usage topic into the lake. Create it with
// NewSink and call Run or Drain once.
type Sink struct {
	opts   Options
	store  objstore.Store
	codecs *avro.Codecs
	files  *fileWriter
	client *kgo.Client
	admin  *kadm.Client
	log    *slog.Logger

	closeOnce sync.Once

	// mu guards the consumer state below. The poll loop holds it while it
	// processes a batch; rebalance callbacks hold it while they run.
	mu       sync.Mutex
	started  bool
	closing  bool
	fatal    error
	parts    map[int32]*kpart
	buffers  map[bufKey]*buffer
	buffered int
	fences   map[bufKey]int64 // cached replay fences (manifest high water)
	stats    Stats

	touchedMu sync.Mutex
	touched   map[string]int64 // partitions appended to (append count), for compaction
}

// kpart is the consumer state of one assigned Kafka partition.
type kpart struct {
	position  int64 // next offset to read: last seen record (control records included) + 1; -1 before the first
	epoch     int32 // leader epoch of the last seen record
	committed int64 // last committed offset, -1 when unknown
}

// DefaultSessionTimeout is the sink's group session timeout unless
// kgoOpts set one (kgo's default is 45s): the partitions of a crashed
// instance move to the others once its session expires, and the other
// members' offset commits wait for that rebalance.
const DefaultSessionTimeout = 15 * time.Second

// NewSink validates opts, creates or checks the lake layout and builds the
// Kafka client. kgoOpts add to the client configuration (seed brokers, TLS,
// SASL, ...); the group, topic, isolation level, balancer, manual commits
// and rebalance callbacks are the sink's own and cannot be overridden.
func NewSink(opts Options, kgoOpts ...kgo.Opt) (*Sink, error) {
	s, err := newSinkCore(opts)
	if err != nil {
		return nil, err
	}
	all := []kgo.Opt{kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.SessionTimeout(DefaultSessionTimeout)}
	all = append(all, kgoOpts...)
	all = append(all,
		kgo.ConsumerGroup(s.opts.Group),
		kgo.ConsumeTopics(s.opts.Topic),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(), // so the position moves past transaction markers
		kgo.DisableAutoCommit(),
		kgo.Balancers(kgo.CooperativeStickyBalancer()),
		kgo.BlockRebalanceOnPoll(),
		kgo.OnPartitionsAssigned(s.onAssigned),
		kgo.OnPartitionsRevoked(s.onRevoked),
		kgo.OnPartitionsLost(s.onLost),
	)
	s.client, err = kgo.NewClient(all...)
	if err != nil {
		return nil, fmt.Errorf("lake: kafka client: %w", err)
	}
	s.admin = kadm.NewClient(s.client)
	return s, nil
}

// newSinkCore builds everything of a sink but the Kafka client: records are
// fed to consume directly (benchmarks and offline tests do).
func newSinkCore(opts Options) (*Sink, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	st, err := opts.store()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), opts.ShutdownTimeout)
	defer cancel()
	if err := ensureLayout(ctx, st, opts.PartitionKeys); err != nil {
		return nil, err
	}
	codecs, err := avro.NewCodecs()
	if err != nil {
		return nil, fmt.Errorf("lake: codecs: %w", err)
	}
	return &Sink{
		opts:    opts,
		store:   st,
		codecs:  codecs,
		files:   newFileWriter(opts.RowGroupRows),
		log:     opts.Logger.With("component", "lake-sink", "topic", opts.Topic, "group", opts.Group),
		parts:   map[int32]*kpart{},
		buffers: map[bufKey]*buffer{},
		fences:  map[bufKey]int64{},
		touched: map[string]int64{},
	}, nil
}

// Stats returns the counters so far.
func (s *Sink) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Close releases the Kafka client without flushing. Run and Drain close the
// sink themselves; Close is for a sink that is never run.
func (s *Sink) Close() {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	if s.client != nil {
		s.closeOnce.Do(s.client.Close)
	}
}

// touch records an append for the compactor, when there is one.
func (s *Sink) touch(partition string) {
	if s.opts.CompactInterval < 0 {
		return
	}
	s.touchedMu.Lock()
	s.touched[partition]++
	s.touchedMu.Unlock()
}
