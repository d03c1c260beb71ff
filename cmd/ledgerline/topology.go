package main

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/topology"
)

func runTopology(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, "Usage: ledgerline topology describe|create|check [flags]")
		return errUsage
	}
	switch args[0] {
	case "describe":
		return topologyDescribe(e, args[1:])
	case "create":
		return topologyApply(ctx, e, "create", args[1:])
	case "check":
		return topologyApply(ctx, e, "check", args[1:])
	}
	fmt.Fprintf(e.stderr, "ledgerline topology: unknown subcommand %q (describe|create|check)\n", args[0])
	return errUsage
}

func topologyFlags(fs interface {
	String(string, string, string) *string
	Int(string, int, string) *int
}) (*string, *int) {
	return fs.String("app", "ledgerline", "application id: prefix of changelogs and consumer groups"),
		fs.Int("partitions", 6, "partitions of usage, usage-enriched and the drift changelogs")
}

func topologyDescribe(e *env, args []string) error {
	fs := newFlags(e, "topology describe", "topology describe [--format text|dot]")
	format := fs.String("format", "text", "output format: text or dot (Graphviz)")
	app, partitions := topologyFlags(fs)
	prefix := topicPrefixFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := oneOf("format", *format, "text", "dot"); err != nil {
		return err
	}
	t := topology.New(topology.Options{App: *app, UsagePartitions: int32(*partitions), TopicPrefix: *prefix})
	if err := t.Validate(); err != nil {
		return err
	}
	if *format == "dot" {
		return t.DescribeDOT(e.stdout)
	}
	return t.Describe(e.stdout)
}

// topologyApply runs `topology create` (create missing topics, grow
// changelogs, verify the rest) or `topology check` (the same, changing
// nothing: for topics managed elsewhere). Either fails when a topic is
// missing (check) or differs from the declared topology.
func topologyApply(ctx context.Context, e *env, sub string, args []string) error {
	fs := newFlags(e, "topology "+sub, "topology "+sub+" [--brokers HOST:PORT,...]")
	kafka := addKafkaFlags(fs, e)
	replication := -1
	if sub == "create" {
		fs.IntVar(&replication, "replication", -1, "replication factor of new topics (-1: the broker's default)")
	}
	app, partitions := topologyFlags(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	clientOpts, err := kafka.connect(ctx, false)
	if err != nil {
		return err
	}
	opts := topology.Options{App: *app, UsagePartitions: int32(*partitions), TopicPrefix: *kafka.topicPrefix}
	rep, err := applyTopology(ctx, clientOpts, opts, int16(replication), sub == "check")
	if err != nil {
		return err
	}
	for _, n := range rep.Created {
		fmt.Fprintf(e.stdout, "created   %s\n", n)
	}
	for _, n := range rep.Grown {
		fmt.Fprintf(e.stdout, "grown     %s\n", n)
	}
	for _, n := range rep.Verified {
		fmt.Fprintf(e.stdout, "verified  %s\n", n)
	}
	for _, n := range rep.Missing {
		fmt.Fprintf(e.stdout, "MISSING   %s\n", n)
	}
	for _, m := range rep.Mismatches {
		fmt.Fprintf(e.stdout, "MISMATCH  %s\n", m)
	}
	if !rep.OK() {
		return fmt.Errorf("%d topics missing, %d differing from the declared topology", len(rep.Missing), len(rep.Mismatches))
	}
	return nil
}

// applyTopology ensures the topics of the topology opts describes (Ensure,
// new topics with replication), or with check only checks them (Check).
func applyTopology(ctx context.Context, clientOpts []kgo.Opt, opts topology.Options, replication int16, check bool) (topology.EnsureReport, error) {
	cl, err := kgo.NewClient(clientOpts...)
	if err != nil {
		return topology.EnsureReport{}, err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	t := topology.New(opts)
	if err := t.Validate(); err != nil {
		return topology.EnsureReport{}, err
	}
	if check {
		return t.Check(ctx, kadm.NewClient(cl))
	}
	return t.Ensure(ctx, kadm.NewClient(cl), replication)
}
