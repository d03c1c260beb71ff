package main

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/ledgerline/ledgerline/connectors/dspapi/dspapitest"
)

func TestPollUsage(t *testing.T) {
	runCLICases(t, []cliCase{
		{[]string{"poll"}, 2, "Usage: ledgerline poll"},
		{[]string{"poll", "--profile", "cursor-json", "--base-url", "http://127.0.0.1:1", "--account", "a", "--from", "2026-13-01"}, 1, "--from"},
		{[]string{"poll", "--profile", "nope", "--base-url", "http://127.0.0.1:1", "--account", "a", "--from", "2026-03-01"}, 1, "no profile"},
		{[]string{"poll", "--profile", "cursor-json", "--base-url", "http://127.0.0.1:1", "--account", "a", "--from", "2026-03-01"}, 1, "no Kafka brokers"},
		{[]string{"poll", "--profile", "cursor-json", "--base-url", "ftp://x", "--account", "a", "--from", "2026-03-01", "--dry-run"}, 1, "base URL"},
	})
}

func TestPollDryRunJSONSummary(t *testing.T) {
	srv := dspapitest.New(dspapitest.Options{Shape: dspapitest.ShapeLinkHeader, ItemsPerDay: 6, MalformedEvery: 3})
	defer srv.Close()
	code, out, errOut := runCLI(t, nil, "poll", "--profile", "link-header", "--base-url", srv.URL, "--account", "a1",
		"--from", "2026-03-01", "--until", "2026-03-10", "--window-days", "4", "--dry-run", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"accepted", "account", "items", "pages", "profile", "rejected", "rejected_by_reason", "synced_through", "windows", "windows_done"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	if m["items"] != float64(60) || m["rejected"] != float64(20) || m["windows"] != float64(3) || m["synced_through"] != "2026-03-10" {
		t.Fatalf("summary %s", out)
	}
}
