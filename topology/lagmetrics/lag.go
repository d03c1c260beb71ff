package lagmetrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// DefaultInterval is the time between two polls when Config.Interval is
// zero.
const DefaultInterval = 15 * time.Second

// Config configures a Collector.
type Config struct {
	// ClientOpts build the collector's Kafka client: seed brokers,
	// TLS, SASL (required: at least the seed brokers).
	ClientOpts []kgo.Opt
	// Groups are the consumer groups whose lag is reported (at least
	// one).
	Groups []string
	// Topics are further topics whose end offsets are reported.
	Topics []string
	// Interval between polls; default DefaultInterval.
	Interval time.Duration
	// Registerer receives the metrics; nil registers none.
	Registerer prometheus.Registerer
	// Logger receives poll failures; nil discards them.
	Logger *slog.Logger
}

// Collector polls the lag of consumer groups and reports it.
type Collector struct {
	cfg    Config
	client *kgo.Client
	adm    *kadm.Client

	mu   sync.Mutex
	snap snapshot

	polls       *prometheus.CounterVec
	lastSuccess prometheus.Gauge
	lag         *prometheus.Desc
	committed   *prometheus.Desc
	end         *prometheus.Desc
}

// snapshot is the result of one poll.
type snapshot struct {
	groups []partitionLag
	ends   []endOffset
}

type partitionLag struct {
	group, topic string
	partition    int32
	committed    int64 // -1: nothing committed
	lag          int64
}

type endOffset struct {
	topic     string
	partition int32
	offset    int64
}

const (
	namespace = "ledgerline"
	subsystem = "kafka"
)

// New returns a collector with its own Kafka client and registers its
// metrics with cfg.Registerer. Close releases the client.
func New(cfg Config) (*Collector, error) {
	if len(cfg.Groups) == 0 {
		return nil, errors.New("lagmetrics: no consumer groups")
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cl, err := kgo.NewClient(cfg.ClientOpts...)
	if err != nil {
		return nil, fmt.Errorf("lagmetrics: %w", err)
	}
	name := func(n string) string { return prometheus.BuildFQName(namespace, subsystem, n) }
	c := &Collector{
		cfg:    cfg,
		client: cl,
		adm:    kadm.NewClient(cl),
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "lag_polls_total",
			Help: "Polls of consumer group lag, by result: ok or error.",
		}, []string{"result"}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: subsystem, Name: "lag_last_poll_success_timestamp_seconds",
			Help: "Unix time of the last poll of consumer group lag that succeeded.",
		}),
		lag: prometheus.NewDesc(name("consumer_group_lag"),
			"Records between the group's committed offset (the partition's start when none) and the partition's end offset.",
			[]string{"group", "topic", "partition"}, nil),
		committed: prometheus.NewDesc(name("consumer_group_committed_offset"),
			"The group's committed offset of the partition.",
			[]string{"group", "topic", "partition"}, nil),
		end: prometheus.NewDesc(name("topic_end_offset"),
			"The partition's end offset (high watermark): its growth rate is the rate of records written.",
			[]string{"topic", "partition"}, nil),
	}
	c.polls.WithLabelValues("ok")
	c.polls.WithLabelValues("error")
	if r := cfg.Registerer; r != nil {
		for _, m := range []prometheus.Collector{c.polls, c.lastSuccess, c} {
			if err := r.Register(m); err != nil {
				cl.Close()
				return nil, fmt.Errorf("lagmetrics: register: %w", err)
			}
		}
	}
	return c, nil
}

// Run polls every Interval until ctx ends. A failed poll is logged and
// counted, and the previous snapshot stays; Run returns nil when ctx
// ends.
func (c *Collector) Run(ctx context.Context) error {
	t := time.NewTicker(c.cfg.Interval)
	defer t.Stop()
	for {
		if err := c.Poll(ctx); err != nil && ctx.Err() == nil {
			c.cfg.Logger.Warn("consumer lag poll failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Poll asks the cluster for the lag of the groups and the end offsets of
// the topics once, and makes the answer the reported snapshot.
func (c *Collector) Poll(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Interval)
	defer cancel()
	snap, err := c.poll(ctx)
	if err != nil {
		c.polls.WithLabelValues("error").Inc()
		return err
	}
	c.polls.WithLabelValues("ok").Inc()
	c.lastSuccess.SetToCurrentTime()
	c.mu.Lock()
	c.snap = snap
	c.mu.Unlock()
	return nil
}

func (c *Collector) poll(ctx context.Context) (snapshot, error) {
	var snap snapshot
	lags, err := c.adm.Lag(ctx, c.cfg.Groups...)
	if err != nil {
		return snap, fmt.Errorf("lagmetrics: lag: %w", err)
	}
	var errs []error
	for _, g := range lags.Sorted() {
		if err := g.Error(); err != nil {
			if errors.Is(err, kerr.GroupIDNotFound) {
				continue // not started yet: nothing to report
			}
			errs = append(errs, fmt.Errorf("group %s: %w", g.Group, err))
			continue
		}
		for _, l := range g.Lag.Sorted() {
			if l.Err != nil {
				errs = append(errs, fmt.Errorf("group %s %s/%d: %w", g.Group, l.Topic, l.Partition, l.Err))
				continue
			}
			snap.groups = append(snap.groups, partitionLag{
				group: g.Group, topic: l.Topic, partition: l.Partition,
				committed: l.Commit.At, lag: l.Lag,
			})
		}
	}
	if len(c.cfg.Topics) > 0 {
		ends, err := c.adm.ListEndOffsets(ctx, c.cfg.Topics...)
		if err != nil {
			errs = append(errs, fmt.Errorf("lagmetrics: end offsets: %w", err))
		}
		ends.Each(func(o kadm.ListedOffset) {
			if o.Err != nil {
				errs = append(errs, fmt.Errorf("end offset %s/%d: %w", o.Topic, o.Partition, o.Err))
				return
			}
			snap.ends = append(snap.ends, endOffset{topic: o.Topic, partition: o.Partition, offset: o.Offset})
		})
		slices.SortFunc(snap.ends, func(a, b endOffset) int {
			if a.topic != b.topic {
				if a.topic < b.topic {
					return -1
				}
				return 1
			}
			return int(a.partition - b.partition)
		})
	}
	if len(errs) > 0 {
		return snap, fmt.Errorf("lagmetrics: %w", errors.Join(errs...))
	}
	return snap, nil
}

// Close releases the collector's Kafka client.
func (c *Collector) Close() { c.client.Close() }

var _ prometheus.Collector = (*Collector)(nil)

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.lag
	ch <- c.committed
	ch <- c.end
}

// Collect implements prometheus.Collector: the latest snapshot.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	snap := c.snap
	c.mu.Unlock()
	for _, l := range snap.groups {
		p := strconv.Itoa(int(l.partition))
		ch <- gauge(c.lag, float64(l.lag), l.group, l.topic, p)
		if l.committed >= 0 {
			ch <- gauge(c.committed, float64(l.committed), l.group, l.topic, p)
		}
	}
	for _, e := range snap.ends {
		ch <- gauge(c.end, float64(e.offset), e.topic, strconv.Itoa(int(e.partition)))
	}
}

func gauge(desc *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	m, err := prometheus.NewConstMetric(desc, prometheus.GaugeValue, v, labels...)
	if err != nil {
		return prometheus.NewInvalidMetric(desc, err)
	}
	return m
}
