package topicmetrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/drift"
	"github.com/ledgerline/ledgerline/topology"
)

// Undecodable is the label value of a record that did not decode.
const Undecodable = "undecodable"

// Config configures a Counter.
type Config struct {
	// ClientOpts build the counter's Kafka client: seed brokers, TLS,
	// SASL (required: at least the seed brokers).
	ClientOpts []kgo.Opt
	// DeadLetterTopic, AlertsTopic and ReviewTopic are read; empty
	// ones default to the topology's names.
	DeadLetterTopic, AlertsTopic, ReviewTopic string
	// FromStart counts what the topics hold, not only what arrives
	// after New (a backfill, or a test).
	FromStart bool
	// Registerer receives the metrics; nil registers none.
	Registerer prometheus.Registerer
	// Logger receives consume errors; nil discards them.
	Logger *slog.Logger
}

// Counter counts the records arriving on the outcome topics.
type Counter struct {
	cfg    Config
	codecs *avro.Codecs
	client *kgo.Client

	deadLetters *prometheus.CounterVec // stage, reason
	alerts      *prometheus.CounterVec // kind, severity
	review      *prometheus.CounterVec // kind
}

// Stages that write dead letters, created at zero with every reason.
var deadLetterStages = []string{topology.StageIngest, topology.StageCatalogLoad, topology.StageDrift}

var reasons = []string{
	avro.ReasonMalformedRow, avro.ReasonMissingField, avro.ReasonInvalidISRC, avro.ReasonInvalidUPC,
	avro.ReasonInvalidISWC, avro.ReasonInvalidTerritory, avro.ReasonInvalidCurrency,
	avro.ReasonInvalidNumber, avro.ReasonInvalidDate, avro.ReasonInvalidSplit,
}

var kinds = []string{
	drift.KindUnknownISRC, drift.KindUnidentified, drift.KindTitleMismatch, drift.KindArtistMismatch,
	drift.KindISWCMismatch, drift.KindUPCMismatch, drift.KindPeriodChange, drift.KindCatalogChanged,
}

var severities = []string{drift.SeverityInfo, drift.SeverityWarn, drift.SeverityCritical}

// New returns a counter with its own Kafka client, positioned at the end
// of the topics, and registers its metrics with cfg.Registerer.
func New(cfg Config) (*Counter, error) {
	if cfg.DeadLetterTopic == "" {
		cfg.DeadLetterTopic = topology.TopicDeadLetter
	}
	if cfg.AlertsTopic == "" {
		cfg.AlertsTopic = topology.TopicDriftAlerts
	}
	if cfg.ReviewTopic == "" {
		cfg.ReviewTopic = topology.TopicDriftReview
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	codecs, err := avro.NewCodecs()
	if err != nil {
		return nil, err
	}
	c := &Counter{
		cfg:    cfg,
		codecs: codecs,
		deadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "ledgerline", Name: "dead_letters_total",
			Help: "Dead letters written to the dead-letter topic, by stage and reason code.",
		}, []string{"stage", "reason"}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "ledgerline", Name: "drift_alerts_total",
			Help: "Drift alert records written to the drift-alerts topic (new alerts and later counts of them), by kind and severity.",
		}, []string{"kind", "severity"}),
		review: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "ledgerline", Name: "drift_review_total",
			Help: "Critical drift alerts queued on the drift-review topic for manual review, by kind.",
		}, []string{"kind"}),
	}
	for _, s := range deadLetterStages {
		for _, r := range reasons {
			c.deadLetters.WithLabelValues(s, r)
		}
	}
	for _, k := range kinds {
		c.review.WithLabelValues(k)
		for _, s := range severities {
			c.alerts.WithLabelValues(k, s)
		}
	}
	if r := cfg.Registerer; r != nil {
		for _, m := range []prometheus.Collector{c.deadLetters, c.alerts, c.review} {
			if err := r.Register(m); err != nil {
				return nil, fmt.Errorf("topicmetrics: register: %w", err)
			}
		}
	}
	start := kgo.NewOffset().AtEnd()
	if cfg.FromStart {
		start = kgo.NewOffset().AtStart()
	}
	c.client, err = kgo.NewClient(append(append([]kgo.Opt{}, cfg.ClientOpts...),
		kgo.ConsumeTopics(cfg.DeadLetterTopic, cfg.AlertsTopic, cfg.ReviewTopic),
		kgo.ConsumeResetOffset(start),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	)...)
	if err != nil {
		return nil, fmt.Errorf("topicmetrics: %w", err)
	}
	return c, nil
}

// Run counts records until ctx ends; it returns nil then. Fetch errors
// are logged and retried by the client.
func (c *Counter) Run(ctx context.Context) error {
	for {
		fetches := c.client.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if fetches.IsClientClosed() {
			return nil
		}
		fetches.EachError(func(topic string, partition int32, err error) {
			if !errors.Is(err, context.Canceled) {
				c.cfg.Logger.Warn("outcome topic fetch failed", "topic", topic, "partition", partition, "err", err)
			}
		})
		fetches.EachRecord(c.count)
	}
}

// count adds one record to its counter.
func (c *Counter) count(r *kgo.Record) {
	switch r.Topic {
	case c.cfg.DeadLetterTopic:
		dl, err := c.codecs.DeadLetter.Decode(r.Value)
		if err != nil {
			c.deadLetters.WithLabelValues(Undecodable, Undecodable).Inc()
			return
		}
		c.deadLetters.WithLabelValues(dl.Stage, dl.Reason).Inc()
	case c.cfg.AlertsTopic:
		a, err := c.codecs.Alert.Decode(r.Value)
		if err != nil {
			c.alerts.WithLabelValues(Undecodable, Undecodable).Inc()
			return
		}
		c.alerts.WithLabelValues(a.Kind, a.Severity).Inc()
	case c.cfg.ReviewTopic:
		a, err := c.codecs.Alert.Decode(r.Value)
		if err != nil {
			c.review.WithLabelValues(Undecodable).Inc()
			return
		}
		c.review.WithLabelValues(a.Kind).Inc()
	}
}

// Close releases the counter's Kafka client.
func (c *Counter) Close() { c.client.Close() }
