package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what commands read and write, injectable for tests.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// errUsage marks a usage error: the message has been printed, exit 2.
var errUsage = errors.New("usage")

func commands() []command {
	return []command{
		{"demo", "run the whole pipeline on an embedded Kafka with sample reports", runDemo},
		{"topology", "describe or create the topics and stages (describe|create)", runTopology},
		{"ingest", "ingest DSP report files exactly once (or --dry-run to validate and count)", runIngest},
		{"poll", "poll a DSP reporting API into usage exactly once (or --dry-run to validate and count)", runPoll},
		{"run", "run an instance: drift stage, lake sink and an optional watched inbox", runRun},
		{"alerts", "show the current drift alerts (latest state of each alert), filtered", runAlerts},
		{"lake", "query, compact and reconcile the Parquet lake", runLake},
		{"catalog", "load catalog records (CSV or JSON lines) onto the catalog topic", runCatalog},
		{"generate", "write synthetic reports for load tests and benchmarks", runGenerate},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, e, args[1:])
			switch {
			case err == nil:
				return 0
			case errors.Is(err, errUsage):
				return 2
			default:
				fmt.Fprintf(e.stderr, "ledgerline %s: %v\n", c.name, err)
				return 1
			}
		}
	}
	fmt.Fprintf(e.stderr, "ledgerline: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "ledgerline: DSP sales and usage reports into reconciled royalty data on Kafka.")
	fmt.Fprintln(w, "\nUsage: ledgerline <command> [flags] [args]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `ledgerline <command> -h` for a command's flags.")
}
