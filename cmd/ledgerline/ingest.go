package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/ledgerline/ledgerline/connectors/reportfile"
	"github.com/ledgerline/ledgerline/topology/ingest"
)

// ingestGCPercent is the garbage collector's target (GOGC) for ingestion
// when the GOGC environment variable is not set. Ingestion allocates a few
// hundred short-lived bytes per row over a live heap of a few megabytes,
// so at the default of 100 the collector runs every ten thousand rows or
// so and costs about a fifth of the CPU time; at 400 it runs a quarter as
// often, for a heap of some tens of megabytes.
const ingestGCPercent = 400

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ingest", "ingest [--profile NAME|auto] [--dry-run] [--format text|json] FILE...")
	profile := fs.String("profile", "auto", "report layout, or auto to detect it from the header")
	profilesPath := fs.String("profiles", "", "a profile file or folder of them, added to the built-in layouts")
	dryRun := fs.Bool("dry-run", false, "parse, validate and count without Kafka")
	format := fs.String("format", "text", "summary format: text or json (one object per file)")
	kafka := addKafkaFlags(fs, e)
	app := fs.String("app", "ledgerline", "application id: prefix of transactional ids")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := oneOf("format", *format, "text", "json"); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		fs.Usage()
		return errUsage
	}
	if e.getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(ingestGCPercent))
	}
	opts := ingest.Options{Profile: *profile, App: *app, TopicPrefix: *kafka.topicPrefix}
	if *profilesPath != "" {
		set, err := reportfile.LoadProfiles(*profilesPath)
		if err != nil {
			return err
		}
		opts.Profiles = set
	}
	if *format == "text" && isTerminal(os.Stderr) {
		opts.Progress = func(name string, size int64) ingest.Progress {
			return newProgressBar(e.stderr, name, size)
		}
	}
	clientOpts, err := kafka.connectUnlessDryRun(ctx, *dryRun)
	if err != nil {
		return err
	}
	opts.ClientOpts = clientOpts
	in, err := ingest.New(opts)
	if err != nil {
		return err
	}
	failed := 0
	enc := json.NewEncoder(e.stdout)
	for _, f := range files {
		var sum ingest.Summary
		if *dryRun {
			sum, err = in.DryRun(ctx, f)
		} else {
			sum, err = in.Ingest(ctx, f)
		}
		if err != nil {
			failed++
			fmt.Fprintf(e.stderr, "ledgerline ingest: %s: %v\n", f, err)
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
		if *format == "json" {
			if err := enc.Encode(sum); err != nil {
				return err
			}
		} else if err := sum.WriteText(e.stdout); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be ingested", failed, len(files))
	}
	return nil
}
