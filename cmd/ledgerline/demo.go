package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"

	"github.com/ledgerline/ledgerline/topology/demo"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "demo [--out DIR] [--format text|json]")
	out := fs.String("out", "./demo-out", "folder the demo writes its inbox, state and lake into (replaced on every run)")
	format := fs.String("format", "text", "summary format: text or json")
	rows := fs.Int("rows", 5000, "lines of the generated report")
	catalogSize := fs.Int("catalog", 2000, "generated catalog records")
	verbose := fs.Bool("v", false, "log what the stages do to standard error")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := oneOf("format", *format, "text", "json"); err != nil {
		return err
	}
	logger := slog.New(slog.DiscardHandler)
	if *verbose {
		logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	if *format == "text" {
		fmt.Fprintln(e.stderr, "ledgerline demo: embedded Kafka, catalog, sample and generated reports, drift check, lake ...")
	}
	sum, err := demo.Run(ctx, demo.Options{Out: *out, GeneratedRows: *rows, CatalogSize: *catalogSize, Logger: logger})
	if err != nil {
		return err
	}
	if *format == "json" {
		return json.NewEncoder(e.stdout).Encode(sum)
	}
	return writeDemoText(e.stdout, sum)
}

func writeDemoText(w io.Writer, s demo.Summary) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nCatalog: %d records published\n\nReports ingested:\n", s.CatalogRecords)
	for _, f := range s.Files {
		fmt.Fprintf(&b, "  %-36s %-16s %6d lines  %6d accepted  %4d rejected  reconciliation: %s\n",
			f.File, f.Profile, f.Rows, f.Accepted, f.Rejected, f.Reconciliation)
	}
	fmt.Fprintf(&b, "\nLines read   %d\nAccepted     %d\nRejected     %d  (each with a dead letter saying why)\n",
		s.LinesRead, s.Accepted, s.Rejected)
	for _, k := range sortedByCount(s.RejectedByReason) {
		fmt.Fprintf(&b, "  %-20s %d\n", k, s.RejectedByReason[k])
	}
	fmt.Fprintf(&b, "\nDrift alerts %d  (%d critical, in the review queue)\n", s.DriftAlerts, s.ReviewQueue)
	for _, k := range sortedByCount(s.DriftAlertsByKind) {
		fmt.Fprintf(&b, "  %-20s %d\n", k, s.DriftAlertsByKind[k])
		if ex := s.AlertExamples[k]; ex != "" {
			fmt.Fprintf(&b, "      e.g. %s\n", ex)
		}
	}
	fmt.Fprintf(&b, "\nLake         %d rows in %d Parquet files under %s\n", s.LakeRows, s.LakeFiles, s.LakeDir)
	fmt.Fprintf(&b, "             (the sink wrote %d files, one per window, Kafka partition and lake partition; compaction merged them)\n", s.LakeFilesWritten)
	verdict := "every accepted line is in the lake exactly once"
	if s.LakeRows != s.Accepted {
		verdict = fmt.Sprintf("MISMATCH: %d accepted lines but %d lake rows", s.Accepted, s.LakeRows)
	}
	fmt.Fprintf(&b, "             %s\nTook         %.1fs\n", verdict, s.Seconds)
	_, err := io.WriteString(w, b.String())
	return err
}

func sortedByCount(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
