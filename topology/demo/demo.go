package demo

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/lake"
	"github.com/ledgerline/ledgerline/processors/catalog"
	"github.com/ledgerline/ledgerline/topology"
	"github.com/ledgerline/ledgerline/topology/catalogload"
	"github.com/ledgerline/ledgerline/topology/ingest"
	"github.com/ledgerline/ledgerline/topology/pipeline"
)

//go:embed samples
var samples embed.FS

// Options configure a demo run.
type Options struct {
	// Out is the folder the demo owns: it writes the inbox, state and
	// lake below it, replacing what an earlier run left there.
	Out string
	// CatalogSize is the number of generated catalog records besides the
	// bundled ones; default 2000.
	CatalogSize int
	// GeneratedRows is the number of lines of the generated report;
	// default 5000.
	GeneratedRows int
	// Seed makes the generated data reproducible; default 42.
	Seed int64
	// Logger receives the stages' logs; nil discards them.
	Logger *slog.Logger
}

// Summary is what the demo did.
type Summary struct {
	LinesRead         int64             `json:"lines_read"`
	Accepted          int64             `json:"accepted"`
	Rejected          int64             `json:"rejected"`
	RejectedByReason  map[string]int64  `json:"rejected_by_reason"`
	DriftAlerts       int64             `json:"drift_alerts"`
	DriftAlertsByKind map[string]int64  `json:"drift_alerts_by_kind"`
	ReviewQueue       int64             `json:"review_queue"`
	AlertExamples     map[string]string `json:"alert_examples"`
	CatalogRecords    int64             `json:"catalog_records"`
	LakeFiles         int64             `json:"lake_files"`
	LakeFilesWritten  int64             `json:"lake_files_before_compaction"`
	LakeRows          int64             `json:"lake_rows"`
	LakeDir           string            `json:"lake_dir"`
	Files             []FileSummary     `json:"files"`
	Seconds           float64           `json:"seconds"`
}

// FileSummary is one ingested report.
type FileSummary struct {
	File           string `json:"file"`
	Profile        string `json:"profile"`
	Rows           int64  `json:"rows"`
	Accepted       int64  `json:"accepted"`
	Rejected       int64  `json:"rejected"`
	Reconciliation string `json:"reconciliation"`
}

// Run runs the demo.
func Run(ctx context.Context, opts Options) (Summary, error) {
	start := time.Now()
	sum := Summary{RejectedByReason: map[string]int64{}, DriftAlertsByKind: map[string]int64{}}
	if opts.Out == "" {
		return sum, errors.New("demo: no output folder")
	}
	if opts.CatalogSize <= 0 {
		opts.CatalogSize = 2000
	}
	if opts.GeneratedRows <= 0 {
		opts.GeneratedRows = 5000
	}
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	out, err := filepath.Abs(opts.Out)
	if err != nil {
		return sum, err
	}
	dirs, err := prepare(out)
	if err != nil {
		return sum, err
	}
	sum.LakeDir = dirs.lake

	cluster, err := kfake.NewCluster(kfake.NumBrokers(1)) // listens on 127.0.0.1 only
	if err != nil {
		return sum, fmt.Errorf("demo: embedded kafka: %w", err)
	}
	defer cluster.Close()
	brokers := cluster.ListenAddrs()
	clientOpts := []kgo.Opt{kgo.SeedBrokers(brokers...)}
	if err := createTopics(ctx, clientOpts); err != nil {
		return sum, err
	}

	catalogFile, recs, err := writeInputs(dirs, opts)
	if err != nil {
		return sum, err
	}
	f, err := os.Open(catalogFile)
	if err != nil {
		return sum, err
	}
	cs, err := catalogload.Load(ctx, f, catalogload.Options{ClientOpts: clientOpts, FileName: filepath.Base(catalogFile)})
	f.Close()
	if err != nil {
		return sum, fmt.Errorf("demo: load catalog: %w", err)
	}
	sum.CatalogRecords = cs.Published
	_ = recs

	if err := ingestAll(ctx, dirs.inbox, clientOpts, &sum); err != nil {
		return sum, err
	}

	p, err := pipeline.Open(ctx, pipeline.Config{
		Brokers: brokers, StateDir: dirs.state, Instance: "demo",
		Lake:   lake.Options{Root: dirs.lake, IdleTimeout: time.Second},
		Logger: opts.Logger,
	})
	if err != nil {
		return sum, err
	}
	defer p.Close()
	if _, err := p.Drain(ctx); err != nil {
		return sum, err
	}
	// The demo's lake partitions are closed once drained: compact them
	// as `ledgerline lake compact` would, so the small files the
	// per-partition windows wrote are merged.
	if err := countLake(ctx, dirs.lake, &sum); err != nil {
		return sum, err
	}
	sum.LakeFilesWritten, sum.LakeRows, sum.LakeFiles = sum.LakeFiles, 0, 0
	if _, err := lake.Compact(ctx, lake.Options{Root: dirs.lake, CompactAfter: time.Nanosecond, RetainReplaced: time.Nanosecond}); err != nil {
		return sum, fmt.Errorf("demo: compact lake: %w", err)
	}
	if err := countAlerts(ctx, clientOpts, &sum); err != nil {
		return sum, err
	}
	if err := countLake(ctx, dirs.lake, &sum); err != nil {
		return sum, err
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

type demoDirs struct{ inbox, state, lake string }

// prepare lays out the demo's folders, removing what an earlier run of the
// demo left in them (and nothing else).
func prepare(out string) (demoDirs, error) {
	d := demoDirs{inbox: filepath.Join(out, "inbox"), state: filepath.Join(out, "state"), lake: filepath.Join(out, "lake")}
	for _, dir := range []string{d.inbox, d.state, d.lake} {
		if err := os.RemoveAll(dir); err != nil {
			return d, fmt.Errorf("demo: clean %s: %w", dir, err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return d, fmt.Errorf("demo: %w", err)
		}
	}
	return d, nil
}

func createTopics(ctx context.Context, clientOpts []kgo.Opt) error {
	cl, err := kgo.NewClient(clientOpts...)
	if err != nil {
		return err
	}
	defer cl.Close()
	if _, err := topology.New(topology.Options{}).Ensure(ctx, kadm.NewClient(cl), 1); err != nil {
		return fmt.Errorf("demo: create topics: %w", err)
	}
	return nil
}

// writeInputs writes the catalog (bundled records plus generated ones) and
// the reports (bundled plus one generated from the catalog) into the
// inbox, and returns the catalog file.
func writeInputs(d demoDirs, opts Options) (string, []avro.CatalogRecord, error) {
	err := fs.WalkDir(samples, "samples", func(path string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		b, err := samples.ReadFile(path)
		if err != nil {
			return err
		}
		dest := filepath.Join(d.inbox, de.Name())
		if de.Name() == "catalog.csv" {
			dest = filepath.Join(filepath.Dir(d.inbox), "catalog-bundled.csv")
		}
		return os.WriteFile(dest, b, 0o644)
	})
	if err != nil {
		return "", nil, fmt.Errorf("demo: write samples: %w", err)
	}
	recs := slices.Collect(catalog.Generate(opts.CatalogSize, opts.Seed))
	catalogFile := filepath.Join(filepath.Dir(d.inbox), "catalog.csv")
	bundled, err := os.ReadFile(filepath.Join(filepath.Dir(d.inbox), "catalog-bundled.csv"))
	if err != nil {
		return "", nil, err
	}
	f, err := os.Create(catalogFile)
	if err != nil {
		return "", nil, err
	}
	if err := writeCatalogCSV(f, recs); err != nil {
		f.Close()
		return "", nil, err
	}
	// The bundled records follow the generated ones, without a header.
	if _, err := f.Write(bundled[slices.Index(bundled, '\n')+1:]); err != nil {
		f.Close()
		return "", nil, err
	}
	if err := f.Close(); err != nil {
		return "", nil, err
	}
	if err := os.Remove(filepath.Join(filepath.Dir(d.inbox), "catalog-bundled.csv")); err != nil {
		return "", nil, err
	}
	rf, err := os.Create(filepath.Join(d.inbox, "distrokid_generated_2024-05.tsv"))
	if err != nil {
		return "", nil, err
	}
	if err := writeDistroKidReport(rf, recs, opts.GeneratedRows, uint64(opts.Seed)); err != nil {
		rf.Close()
		return "", nil, err
	}
	return catalogFile, recs, rf.Close()
}

func ingestAll(ctx context.Context, inbox string, clientOpts []kgo.Opt, sum *Summary) error {
	in, err := ingest.New(ingest.Options{ClientOpts: clientOpts})
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(inbox)
	if err != nil {
		return err
	}
	for _, e := range entries {
		s, err := in.Ingest(ctx, filepath.Join(inbox, e.Name()))
		if err != nil {
			return fmt.Errorf("demo: ingest %s: %w", e.Name(), err)
		}
		sum.LinesRead += s.Rows
		sum.Accepted += s.Accepted
		sum.Rejected += s.Rejected
		for r, n := range s.RejectedByReason {
			sum.RejectedByReason[r] += n
		}
		rec := "none declared"
		if len(s.Reconciliation.Findings) > 0 {
			rec = "matched"
			if !s.Reconciliation.Matched {
				rec = "mismatch"
			}
		}
		sum.Files = append(sum.Files, FileSummary{File: s.File, Profile: s.Profile, Rows: s.Rows,
			Accepted: s.Accepted, Rejected: s.Rejected, Reconciliation: rec})
	}
	return nil
}
