package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

func runCLI(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code = run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// kafkaCluster starts an in-process Kafka (kfake) for the test and
// returns it with the variables that point the CLI at it, and a client.
func kafkaCluster(t *testing.T) (*kfake.Cluster, map[string]string, *kgo.Client) {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return c, map[string]string{"LEDGERLINE_KAFKA_BROKERS": strings.Join(c.ListenAddrs(), ",")}, cl
}

// cliCase is a command line, the exit code it must end with and a text
// its output (standard output and error together) must contain.
type cliCase struct {
	args     []string
	code     int
	contains string
}

// runCLICases runs each case as a subtest named by its command line.
func runCLICases(t *testing.T, cases []cliCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.contains) {
				t.Fatalf("exit %d (want %d); output lacks %q:\n%s%s", code, tc.code, tc.contains, out, errOut)
			}
		})
	}
}

func TestCommandDispatchAndUsage(t *testing.T) {
	runCLICases(t, []cliCase{
		{nil, 2, "Commands:"},
		{[]string{"help"}, 0, "demo"},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"topology", "describe"}, 0, "drift-alerts"},
		{[]string{"topology", "describe", "--format", "dot"}, 0, "digraph ledgerline"},
		{[]string{"topology", "describe", "--format", "yaml"}, 1, "--format must be one of"},
		{[]string{"ingest"}, 2, "Usage: ledgerline ingest"},
		{[]string{"ingest", "x.csv"}, 1, "no Kafka brokers"},
		{[]string{"catalog", "load", "--dry-run", "missing.csv"}, 1, "no such file"},
	})
}

func TestIngestDryRunJSONHasExactlyTheSummaryKeys(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.csv")
	if code, _, errOut := runCLI(t, nil, "generate", "report", "--rows", "300", "--bad", "0.05", "--out", path); code != 0 {
		t.Fatalf("generate: %s", errOut)
	}
	code, out, errOut := runCLI(t, nil, "ingest", "--dry-run", "--format", "json", path, path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one JSON object per file, got %d lines", len(lines))
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(lines[0]), &m); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"accepted", "file", "profile", "reconciliation", "rejected", "rejected_by_reason", "revenue", "rows", "units"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	var s struct {
		Rows, Accepted, Rejected int64
		Revenue                  map[string]string
	}
	if err := json.Unmarshal([]byte(lines[0]), &s); err != nil {
		t.Fatal(err)
	}
	if s.Rows != 300 || s.Accepted+s.Rejected != 300 || s.Rejected == 0 || s.Revenue["USD"] == "" {
		t.Fatalf("summary %+v", s)
	}
	if strings.Contains(errOut, "\r") {
		t.Fatal("a progress bar was drawn with --format json")
	}
}

func TestDemoJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline")
	}
	out := t.TempDir()
	code, stdout, errOut := runCLI(t, nil, "demo", "--out", out, "--format", "json", "--rows", "300", "--catalog", "100")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	for _, k := range []string{"lines_read", "accepted", "rejected", "drift_alerts", "lake_files", "lake_rows", "lake_dir"} {
		if _, ok := s[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
	if s["lake_rows"] != s["accepted"] {
		t.Errorf("lake_rows %v != accepted %v", s["lake_rows"], s["accepted"])
	}
	if _, err := os.Stat(filepath.Join(out, "lake")); err != nil {
		t.Error(err)
	}
}
