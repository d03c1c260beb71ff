package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ledgerline/ledgerline/topology/catalogload"
)

func runCatalog(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "load" {
		fmt.Fprintln(e.stderr, "Usage: ledgerline catalog load [--dry-run] [--format text|json] FILE")
		return errUsage
	}
	fs := newFlags(e, "catalog load", "catalog load [--dry-run] [--format text|json] FILE (CSV with a header row, or JSON lines)")
	dryRun := fs.Bool("dry-run", false, "validate and count without Kafka")
	format := fs.String("format", "text", "summary format: text or json")
	kafka := addKafkaFlags(fs, e)
	app := fs.String("app", "ledgerline", "application id: prefix of transactional ids")
	if err := e.parse(fs, args[1:]); err != nil {
		return err
	}
	if err := oneOf("format", *format, "text", "json"); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	opts := catalogload.Options{FileName: filepath.Base(path), App: *app, DryRun: *dryRun, TopicPrefix: *kafka.topicPrefix}
	if opts.ClientOpts, err = kafka.connectUnlessDryRun(ctx, *dryRun); err != nil {
		return err
	}
	sum, err := catalogload.Load(ctx, f, opts)
	if *format == "json" {
		if jerr := json.NewEncoder(e.stdout).Encode(sum); jerr != nil {
			return jerr
		}
	} else {
		fmt.Fprintf(e.stdout, "%s: %d records, %d published, %d rejected\n", opts.FileName, sum.Records, sum.Published, sum.Rejected)
		for r, n := range sum.RejectedByReason {
			fmt.Fprintf(e.stdout, "  %-18s %d\n", r, n)
		}
	}
	return err
}
