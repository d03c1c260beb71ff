package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/connectors/lake"
	"github.com/ledgerline/ledgerline/topology"
	"github.com/ledgerline/ledgerline/topology/ingest"
	"github.com/ledgerline/ledgerline/topology/instance"
	"github.com/ledgerline/ledgerline/topology/lagmetrics"
	"github.com/ledgerline/ledgerline/topology/pipeline"
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
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	if *createTopics {
		if err := ensureTopics(ctx, clientOpts, topology.Options{App: *app, UsagePartitions: int32(*partitions), TopicPrefix: *kafka.topicPrefix}); err != nil {
			return err
		}
	}
	// Serve /healthz and /metrics while the catalog and stores restore,
	// which can take long: /ready answers 503 until the instance is open
	// and restored.
	var opened atomic.Pointer[instance.Instance]
	if *listen != "" {
		srv, err := serveOps(*listen, reg, func() bool {
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
	p, err := instance.Open(ctx, instance.Config{
		Pipeline: pipeline.Config{
			Brokers: seeds, ClientOpts: security, App: *app, Instance: *instanceName, StateDir: *stateDir,
			TopicPrefix: *kafka.topicPrefix,
			Lake:        lake.Options{Root: *lakeDir}, Registerer: reg, Logger: log,
		},
		LagInterval: interval,
		LagGroups:   splitList(*lagGroups),
	})
	if err != nil {
		return err
	}
	defer p.Close()
	opened.Store(p)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 3)
	running := 1
	go func() { errs <- p.Run(ctx) }()
	if *inbox != "" {
		in, err := ingest.New(ingest.Options{ClientOpts: clientOpts, App: *app, TopicPrefix: *kafka.topicPrefix})
		if err != nil {
			return err
		}
		box := &ingest.Inbox{Dir: *inbox, Ingester: in, Logger: log}
		running++
		go func() { errs <- box.Run(ctx) }()
	}
	log.Info("running", "app", *app, "brokers", seeds, "inbox", *inbox, "lake", *lakeDir)
	var first error
	for i := 0; i < running; i++ {
		err := <-errs
		if err != nil && first == nil {
			first = err
			cancel() // one part failed: stop the others
		}
		if i == 0 {
			cancel()
		}
	}
	if ctx.Err() != nil && first == nil {
		log.Info("stopped")
	}
	return first
}

func ensureTopics(ctx context.Context, clientOpts []kgo.Opt, names topology.Options) error {
	cl, err := kgo.NewClient(clientOpts...)
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	t := topology.New(names)
	if err := t.Validate(); err != nil {
		return err
	}
	rep, err := t.Ensure(ctx, kadm.NewClient(cl), -1)
	if err != nil {
		return fmt.Errorf("topics: %w", err)
	}
	if len(rep.Mismatches) > 0 {
		return fmt.Errorf("topics differ from the topology: %v", rep.Mismatches)
	}
	return nil
}

// serveOps serves Prometheus metrics, liveness and readiness.
func serveOps(addr string, reg *prometheus.Registry, ready func() bool) (*http.Server, error) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
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

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
