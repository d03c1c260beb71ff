package runtime

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ledgerline/ledgerline/state"
)

const (
	metricsNamespace = "ledgerline"
	metricsSubsystem = "runtime"
)

// Values of the "result" label.
const (
	resultProcessed  = "processed"
	resultDeadLetter = "dead_letter"
	resultCommitted  = "committed"
	resultAborted    = "aborted"
)

// metrics are the runtime's Prometheus metrics. Every metric carries the
// consumer group as a constant label, so several runners can share a
// Registerer as long as their groups differ.
type metrics struct {
	records      *prometheus.CounterVec // result
	transactions *prometheus.CounterVec // result
	queueDepth   *prometheus.GaugeVec   // partition
	paused       prometheus.Gauge       // partitions paused now
	tasks        prometheus.Gauge       // live tasks
	processing   prometheus.Histogram   // seconds per record
	commit       prometheus.Histogram   // seconds per transaction end
	restore      *restoreCollector      // from the state registry
	collectors   []prometheus.Collector // everything above, for registration
}

func newMetrics(group string, reg *state.Registry) *metrics {
	cl := prometheus.Labels{"group": group}
	opts := func(name, help string) prometheus.Opts {
		return prometheus.Opts{Namespace: metricsNamespace, Subsystem: metricsSubsystem, Name: name, Help: help, ConstLabels: cl}
	}
	m := &metrics{
		records: prometheus.NewCounterVec(prometheus.CounterOpts(opts("records_total",
			"Input records handled, by result: processed, or dead_letter when the value did not decode.")),
			[]string{"result"}),
		transactions: prometheus.NewCounterVec(prometheus.CounterOpts(opts("transactions_total",
			"Kafka transactions ended, by result: committed or aborted.")),
			[]string{"result"}),
		queueDepth: prometheus.NewGaugeVec(prometheus.GaugeOpts(opts("task_queue_depth",
			"Records consumed and waiting in a task's queue.")),
			[]string{"partition"}),
		paused: prometheus.NewGauge(prometheus.GaugeOpts(opts("paused_partitions",
			"Input partitions whose fetching is paused (full queue, or stores restoring)."))),
		tasks: prometheus.NewGauge(prometheus.GaugeOpts(opts("tasks",
			"Tasks (assigned input partitions) of this instance."))),
		processing: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: metricsNamespace, Subsystem: metricsSubsystem, ConstLabels: cl,
			Name:    "processing_seconds",
			Help:    "Time to decode and process one input record.",
			Buckets: prometheus.ExponentialBuckets(5e-6, 4, 10),
		}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: metricsNamespace, Subsystem: metricsSubsystem, ConstLabels: cl,
			Name:    "commit_seconds",
			Help:    "Time from the start of a commit (draining queues) to the end of its transaction.",
			Buckets: prometheus.ExponentialBuckets(1e-3, 2.5, 10),
		}),
		restore: newRestoreCollector(cl, reg),
	}
	m.collectors = []prometheus.Collector{m.records, m.transactions, m.queueDepth, m.paused, m.tasks, m.processing, m.commit, m.restore}
	// Pre-create the label values so that dashboards show zeros.
	for _, r := range []string{resultProcessed, resultDeadLetter} {
		m.records.WithLabelValues(r)
	}
	for _, r := range []string{resultCommitted, resultAborted} {
		m.transactions.WithLabelValues(r)
	}
	return m
}

// register registers every metric with r; a nil r registers nothing.
func (m *metrics) register(r prometheus.Registerer) error {
	if r == nil {
		return nil
	}
	for _, c := range m.collectors {
		if err := r.Register(c); err != nil {
			var dup prometheus.AlreadyRegisteredError
			if errors.As(err, &dup) {
				return fmt.Errorf("metrics already registered (another runner with the same group on this Registerer?): %w", err)
			}
			return fmt.Errorf("register metrics: %w", err)
		}
	}
	return nil
}

func (m *metrics) partitionDepth(partition int32) prometheus.Gauge {
	return m.queueDepth.WithLabelValues(strconv.Itoa(int(partition)))
}

func (m *metrics) forgetPartition(partition int32) {
	m.queueDepth.DeleteLabelValues(strconv.Itoa(int(partition)))
}

// restoreCollector reports the stores listed in a state.Registry: whether
// each is ready, and how many changelog records it still has to restore.
type restoreCollector struct {
	reg       *state.Registry
	ready     *prometheus.Desc
	remaining *prometheus.Desc
	restored  *prometheus.Desc
}

func newRestoreCollector(constLabels prometheus.Labels, reg *state.Registry) *restoreCollector {
	name := func(n string) string { return prometheus.BuildFQName(metricsNamespace, metricsSubsystem, n) }
	labels := []string{"store", "partition"}
	return &restoreCollector{
		reg: reg,
		ready: prometheus.NewDesc(name("store_ready"),
			"1 when the store is restored and serving, else 0.", labels, constLabels),
		remaining: prometheus.NewDesc(name("store_restore_remaining_records"),
			"Changelog offsets between the store's restore position and its restore target.", labels, constLabels),
		restored: prometheus.NewDesc(name("store_restored_records"),
			"Changelog records applied to the store since it was opened.", labels, constLabels),
	}
}

func (c *restoreCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.ready
	ch <- c.remaining
	ch <- c.restored
}

func (c *restoreCollector) Collect(ch chan<- prometheus.Metric) {
	for _, r := range c.reg.Snapshot() {
		part := strconv.Itoa(int(r.Partition))
		ready := 0.0
		if r.Phase == state.PhaseReady {
			ready = 1
		}
		var remaining int64
		for _, p := range r.Partitions {
			if p.Target >= 0 && p.Target > p.Position {
				remaining += p.Target - p.Position
			}
		}
		ch <- gauge(c.ready, ready, r.Name, part)
		ch <- gauge(c.remaining, float64(remaining), r.Name, part)
		ch <- gauge(c.restored, float64(r.Replayed), r.Name, part)
	}
}

// gauge returns a constant gauge, or an invalid metric carrying the error
// (which the registry reports on scrape) instead of panicking.
func gauge(desc *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	m, err := prometheus.NewConstMetric(desc, prometheus.GaugeValue, v, labels...)
	if err != nil {
		return prometheus.NewInvalidMetric(desc, err)
	}
	return m
}
