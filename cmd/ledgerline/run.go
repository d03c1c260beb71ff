package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/connectors/lake"
	"github.com/ledgerline/ledgerline/topology"
	"github.com/ledgerline/ledgerline/topology/ingest"
	"github.com/ledgerline/ledgerline/topology/instance"
	"github.com/ledgerline/ledgerline/topology/lagmetrics"
	"github.com/ledgerline/ledgerline/topology/pipeline"
	"github.com/ledgerline/ledgerline/topology/runtime"
)

// runRun runs an instance: the drift stage and the lake sink, and, with
// --inbox, a watched drop folder feeding the ingest stage.
func runRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "run", "run --state DIR --lake DIR [--inbox DIR] [--brokers HOST:PORT,...]")
	kafka := addKafkaFlags(fs, e)
	app := fs.String("app", "ledgerline", "application id: prefix of groups, changelogs and transactional ids")
	instanceName := fs.String("instance", "", "this instance's name, unique among the app's instances (default: host name)")
	stateDir := fs.String("state", "", "folder of this instance's local state (Badger stores)")
	lakeDir := fs.String("lake", "", "root of the Parquet lake: a folder, or s3://bucket/prefix (object store from $LEDGERLINE_S3_ENDPOINT, $LEDGERLINE_S3_ACCESS_KEY, $LEDGERLINE_S3_SECRET_KEY, $LEDGERLINE_S3_SECURE, $LEDGERLINE_S3_REGION)")
	inbox := fs.String("inbox", "", "drop folder to watch for report files (processed files move to done/ or quarantine/)")
	listen := fs.String("listen", "127.0.0.1:9464", "address of the /metrics, /healthz and /ready endpoints (empty: none)")
	createTopics := fs.Bool("create-topics", true, "create missing topics and grow changelogs before starting")
	partitions := fs.Int("partitions", 6, "partitions of usage and usage-enriched for topics created here")
	lagInterval := fs.Duration("lag-interval", lagmetrics.DefaultInterval, "how often to measure the consumer groups' lag for /metrics (0: never)")
	lagGroups := fs.String("lag-groups", "", "comma-separated further consumer groups whose lag /metrics reports (e.g. the drift-review queue's reader)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *stateDir == "" || *lakeDir == "" {
		fs.Usage()
		return errUsage
	}
	seeds, err := kafka.seeds()
	if err != nil {
		return err
	}
	security, err := kafka.security()
	if err != nil {
		return err
	}
	clientOpts := append([]kgo.Opt{kgo.SeedBrokers(seeds...)}, security...)
	if err := ping(ctx, clientOpts); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	base := prometheus.NewRegistry()
	base.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var current atomic.Pointer[prometheus.Registry] // the open instance's metrics
	gather := prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		gs := prometheus.Gatherers{base}
		if r := current.Load(); r != nil {
			gs = append(gs, r)
		}
		return gs.Gather()
	})

	if *createTopics {
		rep, err := applyTopology(ctx, clientOpts, topology.Options{App: *app, UsagePartitions: int32(*partitions), TopicPrefix: *kafka.topicPrefix}, -1, false)
		if err != nil {
			return fmt.Errorf("topics: %w", err)
		}
		if !rep.OK() {
			return fmt.Errorf("topics differ from the topology: %v", rep.Mismatches)
		}
	}
	// Serve /healthz and /metrics while the catalog and stores restore,
	// which can take long: /ready answers 503 until the instance is open
	// and restored.
	var opened atomic.Pointer[instance.Instance]
	if *listen != "" {
		srv, err := serveOps(*listen, gather, func() bool {
			p := opened.Load()
			return p != nil && p.Ready()
		})
		if err != nil {
			return err
		}
		defer srv.Close()
		log.Info("serving /metrics, /healthz and /ready", "addr", *listen)
	}
	interval := *lagInterval
	if interval <= 0 {
		interval = -1 // off
	}
	restarts := prometheus.NewCounter(prometheus.CounterOpts{Namespace: "ledgerline", Name: "instance_restarts_total",
		Help: "Times the instance was opened again in this process after a retryable error."})
	base.MustRegister(restarts)
	runOnce := func(ctx context.Context) error {
		// A fresh registry per opening: the instance registers its
		// metrics anew, and /metrics serves the base registry and this one.
		reg := prometheus.NewRegistry()
		current.Store(reg)
		p, err := instance.Open(ctx, instance.Config{
			Pipeline: pipeline.Config{
				Brokers: seeds, ClientOpts: security, App: *app, Instance: *instanceName, StateDir: *stateDir,
				TopicPrefix: *kafka.topicPrefix,
				Lake:        lake.Options{Root: *lakeDir}, Registerer: reg, Logger: log,
			},
			LagInterval: interval,
			LagGroups:   list(*lagGroups),
		})
		if err != nil {
			return err
		}
		defer p.Close()
		opened.Store(p)
		defer opened.Store(nil)
		return runParts(ctx, p, *inbox, ingest.Options{ClientOpts: clientOpts, App: *app, TopicPrefix: *kafka.topicPrefix}, log)
	}
	log.Info("running", "app", *app, "brokers", seeds, "inbox", *inbox, "lake", *lakeDir)
	err = supervise(ctx, log, sleepCtx, runOnce, restarts.Inc)
	if err == nil {
		log.Info("stopped")
	}
	return err
}

// runParts runs p and, with an inbox folder, the watched inbox beside it,
// until ctx ends or one of them fails, which stops the other.
func runParts(ctx context.Context, p *instance.Instance, inbox string, ingestOpts ingest.Options, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 2)
	running := 1
	go func() { errs <- p.Run(ctx) }()
	if inbox != "" {
		in, err := ingest.New(ingestOpts)
		if err != nil {
			return err
		}
		box := &ingest.Inbox{Dir: inbox, Ingester: in, Logger: log}
		running++
		go func() { errs <- box.Run(ctx) }()
	}
	var first error
	for i := 0; i < running; i++ {
		err := <-errs
		if err != nil && first == nil {
			first = err
		}
		cancel() // one part ended: stop the others
	}
	return first
}

// Restart delays of supervise: the first retry waits restartDelayMin,
// each further one twice as long up to restartDelayMax, and a run that
// lasted restartHealthy starts the sequence afresh.
const (
	restartDelayMin = time.Second
	restartDelayMax = 30 * time.Second
	restartHealthy  = time.Minute
)

// supervise calls run until it returns nil, an error the runtime does not
// class as retryable (runtime.IsRetryable), or ctx ends (then it returns
// nil). After a retryable error, which a transient broker or network
// failure causes, it logs the error, waits (see restartDelayMin) and runs
// again: the instance's state is intact on disk and in its changelogs,
// and a process restart would only add delay. wait sleeps for a duration
// unless ctx ends first, which it reports by returning false; restarted
// is called before each run after the first.
func supervise(ctx context.Context, log *slog.Logger, wait func(context.Context, time.Duration) bool, run func(context.Context) error, restarted func()) error {
	delay := restartDelayMin
	for {
		start := time.Now()
		err := run(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err == nil || !runtime.IsRetryable(err):
			return err
		}
		if time.Since(start) >= restartHealthy {
			delay = restartDelayMin
		}
		log.Warn("instance stopped on a retryable error; opening it again", "err", err, "in", delay)
		if !wait(ctx, delay) {
			return nil
		}
		restarted()
		delay = min(2*delay, restartDelayMax)
	}
}

// sleepCtx sleeps for d unless ctx ends first; it reports whether it slept
// the whole time.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// serveOps serves Prometheus metrics, liveness and readiness.
func serveOps(addr string, metrics prometheus.Gatherer, ready func() bool) (*http.Server, error) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(metrics, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/ready", func(w http.ResponseWriter, _ *http.Request) {
		if !ready() {
			http.Error(w, "restoring state or catalog", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "ops server:", err)
		}
	}()
	return srv, nil
}
