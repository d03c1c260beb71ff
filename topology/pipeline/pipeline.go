package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/lake"
	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/processors/catalog"
	"github.com/ledgerline/ledgerline/processors/drift"
	"github.com/ledgerline/ledgerline/state"
	"github.com/ledgerline/ledgerline/topology"
	"github.com/ledgerline/ledgerline/topology/runtime"
)

// Config configures the pipeline of one instance.
type Config struct {
	// Brokers are the seed brokers (required).
	Brokers []string
	// ClientOpts are added to every Kafka client (TLS, SASL, timeouts).
	ClientOpts []kgo.Opt
	// App names groups, changelogs and transactional ids; default
	// "ledgerline".
	App string
	// Instance distinguishes instances of the app (transactional id);
	// default the host name.
	Instance string
	// TopicPrefix is put before the name of every topic the pipeline
	// reads and writes (package topology's usage, catalog,
	// usage-enriched, drift-alerts, drift-review and dead-letter), so that
	// several deployments can share one cluster; see Config.Topic.
	// Changelogs and consumer groups are named by App. Default: none.
	TopicPrefix string
	// StateDir holds the instance's Badger stores (required).
	StateDir string
	// Lake configures the lake sink; Lake.Root is required.
	Lake lake.Options
	// CatalogCacheSize bounds the decoded catalog records kept in memory.
	CatalogCacheSize int
	// Drift configures the drift processor.
	Drift drift.Options
	// GroupOpts tune the drift stage's group member (session timeouts).
	GroupOpts []kgo.Opt
	// CommitInterval of the drift stage's transactions; default 100ms.
	CommitInterval time.Duration
	// Registerer receives metrics; nil registers none.
	Registerer prometheus.Registerer
	// Logger receives logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Topic returns the name the pipeline uses for the topology topic name:
// name with TopicPrefix before it.
func (c Config) Topic(name string) string { return c.TopicPrefix + name }

// Pipeline is one instance's drift stage and lake sink.
type Pipeline struct {
	cfg     Config
	codecs  *avro.Codecs
	catalog *state.GlobalTable
	view    *catalog.Catalog
	drift   *drift.Processor
	runner  *runtime.Runner[avro.UsageEvent]
	sink    *lake.Sink
	derived derivedRef
}

// derivedRef is the catalog table's derived key space, known once the
// table has been opened or has first called its Derive hook, whichever
// comes first.
type derivedRef struct {
	kv atomic.Pointer[state.DerivedKV]
}

func (r *derivedRef) set(kv *state.DerivedKV) { r.kv.CompareAndSwap(nil, kv) }

func (r *derivedRef) Get(key []byte) ([]byte, bool, error) {
	kv := r.kv.Load()
	if kv == nil {
		return nil, false, nil
	}
	return kv.Get(key)
}

func (r *derivedRef) Put(key, value []byte) error {
	kv := r.kv.Load()
	if kv == nil {
		return state.ErrReadOnly
	}
	return kv.Put(key, value)
}

func (r *derivedRef) Delete(key []byte) error {
	kv := r.kv.Load()
	if kv == nil {
		return state.ErrReadOnly
	}
	return kv.Delete(key)
}

// Open opens the catalog table (waiting until it has caught up with the
// catalog topic) and prepares the drift stage and the lake sink.
func Open(ctx context.Context, cfg Config) (*Pipeline, error) {
	if len(cfg.Brokers) == 0 || cfg.StateDir == "" {
		return nil, errors.New("pipeline: Brokers and StateDir are required")
	}
	if cfg.App == "" {
		cfg.App = "ledgerline"
	}
	if cfg.Instance == "" {
		host, err := os.Hostname()
		if err != nil {
			host = "local"
		}
		cfg.Instance = host
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	codecs, err := avro.NewCodecs()
	if err != nil {
		return nil, err
	}
	p := &Pipeline{cfg: cfg, codecs: codecs}
	clientOpts := append([]kgo.Opt{kgo.SeedBrokers(cfg.Brokers...)}, cfg.ClientOpts...)

	// The runner exists before the catalog table so that changes the
	// table sees once the runner runs can be broadcast to its tasks.
	p.runner, err = p.newDriftRunner()
	if err != nil {
		return nil, err
	}
	// The view exists before the table: the table's Derive hook starts
	// feeding it as soon as the table opens.
	p.view = catalog.New(&p.derived, codecs, catalog.Options{CacheSize: cfg.CatalogCacheSize})
	p.drift = drift.New(p.view, codecs, cfg.Drift)
	p.catalog, err = state.OpenGlobal(ctx, state.GlobalConfig{
		Dir:        filepath.Join(cfg.StateDir, "catalog"),
		Topic:      cfg.Topic(topology.TopicCatalog),
		ClientOpts: clientOpts,
		Derive:     p.deriveCatalog,
		Logger:     cfg.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline: open catalog: %w", err)
	}
	p.derived.set(p.catalog.Derived())
	if err := p.catalog.WaitReady(ctx); err != nil {
		p.catalog.Close()
		return nil, fmt.Errorf("pipeline: catalog not ready: %w", err)
	}
	lakeOpts := cfg.Lake
	if lakeOpts.Topic == "" {
		lakeOpts.Topic = cfg.Topic(topology.TopicUsageEnriched)
	}
	if lakeOpts.Group == "" {
		lakeOpts.Group = topology.GroupID(cfg.App, topology.StageLakeSink)
	}
	if lakeOpts.Logger == nil {
		lakeOpts.Logger = cfg.Logger
	}
	p.sink, err = lake.NewSink(lakeOpts, clientOpts...)
	if err != nil {
		p.catalog.Close()
		return nil, fmt.Errorf("pipeline: lake sink: %w", err)
	}
	return p, nil
}

// deriveCatalog applies one catalog record to the view and tells the drift
// tasks about changes of splits or ISWC.
func (p *Pipeline) deriveCatalog(kv *state.DerivedKV, key, _, value []byte) error {
	p.derived.set(kv)
	if value == nil {
		return nil // a tombstone: the recording's history is kept
	}
	rec, err := p.codecs.Catalog.Decode(value)
	if err != nil {
		p.cfg.Logger.Warn("catalog record skipped: not a CatalogRecord", "isrc", string(key), "err", err)
		return nil
	}
	change, err := p.view.Apply(rec)
	if err != nil {
		if errors.Is(err, catalog.ErrInvalidRecord) {
			p.cfg.Logger.Warn("catalog record skipped", "isrc", string(key), "err", err)
			return nil
		}
		return err
	}
	if change.Applied && change.Previous != nil && change.Fields.Any(catalog.FieldSplits|catalog.FieldISWC) {
		p.runner.BroadcastAsync(func(ctx processors.Context) error { return p.drift.OnCatalogChange(ctx, change) })
	}
	return nil
}

func (p *Pipeline) newDriftRunner() (*runtime.Runner[avro.UsageEvent], error) {
	c, topic := p.codecs, p.cfg.Topic
	outputs := map[processors.Output]runtime.OutputSpec{
		drift.OutEnriched: {Topic: topic(topology.TopicUsageEnriched), Encode: encoder(c.Enriched)},
		drift.OutAlerts:   {Topic: topic(topology.TopicDriftAlerts), Encode: encoder(c.Alert)},
		drift.OutReview:   {Topic: topic(topology.TopicDriftReview), Encode: encoder(c.Alert)},
		outDeadLetter:     {Topic: topic(topology.TopicDeadLetter), Encode: encoder(c.DeadLetter)},
	}
	return runtime.New(runtime.Config[avro.UsageEvent]{
		Brokers:         p.cfg.Brokers,
		ClientOpts:      p.cfg.ClientOpts,
		GroupOpts:       p.cfg.GroupOpts,
		App:             topology.GroupID(p.cfg.App, topology.StageDrift),
		Group:           topology.GroupID(p.cfg.App, topology.StageDrift),
		InputTopic:      topic(topology.TopicUsage),
		Decode:          c.Usage.Decode,
		DeadLetter:      p.undecodable,
		Processor:       driftStage{p},
		Stores:          drift.Stores(),
		StateDir:        filepath.Join(p.cfg.StateDir, "drift"),
		Outputs:         outputs,
		TransactionalID: p.cfg.App + "-drift-" + p.cfg.Instance,
		CommitInterval:  p.cfg.CommitInterval,
		Registerer:      p.cfg.Registerer,
		Logger:          p.cfg.Logger,
		Now:             p.cfg.Now,
	})
}

// driftStage defers to the drift processor, which is created after the
// runner: it needs the catalog view, whose changes the runner broadcasts.
type driftStage struct{ p *Pipeline }

var (
	_ processors.Processor[avro.UsageEvent] = driftStage{}
	_ processors.Flusher                    = driftStage{}
	_ runtime.Revoker                       = driftStage{}
)

func (d driftStage) Process(ctx processors.Context, rec processors.Record[avro.UsageEvent]) error {
	return d.p.drift.Process(ctx, rec)
}

func (d driftStage) Flush(ctx processors.Context) error { return d.p.drift.Flush(ctx) }

func (d driftStage) Revoke(partition int32) { d.p.drift.Revoke(partition) }

const outDeadLetter processors.Output = "dead-letter"

// encoder adapts a typed codec to the runtime's untyped emit.
func encoder[T any](s *avro.Serde[T]) func(any) ([]byte, error) {
	return func(v any) ([]byte, error) {
		switch t := v.(type) {
		case *T:
			return s.Encode(t)
		case T:
			return s.Encode(&t)
		}
		return nil, fmt.Errorf("pipeline: cannot encode %T as %s", v, s.Schema().Name)
	}
}

// undecodable turns a usage record that is not a UsageEvent into a dead
// letter: it commits with the input offset, and the stage goes on.
func (p *Pipeline) undecodable(raw processors.Record[[]byte], cause error) (processors.Output, []byte, any) {
	id := fmt.Sprintf("%s/%d/%d", raw.Topic, raw.Partition, raw.Offset)
	dl := &avro.DeadLetter{
		DeadLetterID: id, Stage: topology.StageDrift, FileName: raw.Topic, Line: raw.Offset,
		Reason: avro.ReasonMalformedRow, Message: "usage record is not a decodable UsageEvent: " + cause.Error(),
		Raw: raw.Value, Time: p.cfg.Now(),
	}
	return outDeadLetter, []byte(id), dl
}
