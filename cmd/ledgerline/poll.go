package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/ledgerline/ledgerline/connectors/dspapi"
	"github.com/ledgerline/ledgerline/topology"
	"github.com/ledgerline/ledgerline/topology/apipoll"
)

// tokenEnv holds a bearer token sent to the reporting API, if set.
const tokenEnv = "LEDGERLINE_DSPAPI_TOKEN"

func runPoll(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "poll", "poll --profile NAME|FILE --base-url URL --account ID --from YYYY-MM-DD [--until YYYY-MM-DD] [--brokers ...] [--dry-run] [--format text|json]")
	profile := fs.String("profile", "", "API profile: a built-in name (cursor-json, link-header) or a JSON file")
	baseURL := fs.String("base-url", "", "the API's base URL (https://host[/prefix]); a bearer token is taken from $"+tokenEnv)
	account := fs.String("account", "", "the account at the DSP whose usage is polled")
	from := fs.String("from", "", "first day of the sync (YYYY-MM-DD)")
	until := fs.String("until", "", "last day of the sync (YYYY-MM-DD); default: up to the settle horizon")
	windowDays := fs.Int("window-days", 7, "days per sync window")
	settleDays := fs.Int("settle-days", 2, "days a DSP takes to finalise a day's data")
	dryRun := fs.Bool("dry-run", false, "poll, validate and count without Kafka and without a checkpoint")
	format := fs.String("format", "text", "summary format: text or json")
	kafka := addKafkaFlags(fs, e)
	app := fs.String("app", "ledgerline", "application id: prefix of transactional ids")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := oneOf("format", *format, "text", "json"); err != nil {
		return err
	}
	if *profile == "" || *baseURL == "" || *account == "" || *from == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	start, err := time.Parse(time.DateOnly, *from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	var end time.Time
	if *until != "" {
		if end, err = time.Parse(time.DateOnly, *until); err != nil {
			return fmt.Errorf("--until: %w", err)
		}
	}
	if *windowDays <= 0 || *settleDays < 0 {
		return errors.New("--window-days must be positive, --settle-days not negative")
	}
	p, err := dspapi.LoadProfile(*profile)
	if err != nil {
		return err
	}
	copts := dspapi.ClientOptions{BaseURL: *baseURL}
	if tok := e.getenv(tokenEnv); tok != "" {
		copts.Header = http.Header{"Authorization": {"Bearer " + tok}}
	}
	client, err := dspapi.NewClient(p, copts)
	if err != nil {
		return err
	}
	opts := apipoll.Options{Client: client, Account: *account, Start: start, Until: end, App: *app,
		// No restatement lookback: restated lines would reach the lake
		// next to the lines they restate, and nothing nets them out yet.
		Schedule: dspapi.Schedule{WindowDays: *windowDays, SettleDays: *settleDays}}
	names := topology.Options{TopicPrefix: *kafka.topicPrefix}
	opts.Topics.Usage = names.Topic(topology.TopicUsage)
	opts.Topics.DeadLetter = names.Topic(topology.TopicDeadLetter)
	opts.Topics.Checkpoint = names.Topic(topology.TopicSyncCheckpoint)
	if opts.ClientOpts, err = kafka.connectUnlessDryRun(ctx, *dryRun); err != nil {
		return err
	}
	poller, err := apipoll.New(opts)
	if err != nil {
		return err
	}
	var sum apipoll.Summary
	if *dryRun {
		sum, err = poller.DryRun(ctx)
	} else {
		sum, err = poller.Run(ctx)
	}
	if *format == "json" {
		if werr := json.NewEncoder(e.stdout).Encode(sum); werr != nil {
			return errors.Join(err, werr)
		}
	} else if werr := sum.WriteText(e.stdout); werr != nil {
		return errors.Join(err, werr)
	}
	return err
}
