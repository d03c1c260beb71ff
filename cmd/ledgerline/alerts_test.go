package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/topology"
)

// TestAlerts: `ledgerline alerts` shows the latest record of each alert
// id, most severe first, filtered by kind, severity, DSP and ISRC.
func TestAlerts(t *testing.T) {
	_, vars, cl := kafkaCluster(t)
	vars["LEDGERLINE_TOPIC_PREFIX"] = "t."
	if code, out, errOut := runCLI(t, vars, "topology", "create"); code != 0 {
		t.Fatalf("topology create: exit %d\n%s%s", code, out, errOut)
	}
	codecs, err := avro.NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	alert := func(id, kind, severity, isrc, dsp string, count int64) avro.DriftAlert {
		return avro.DriftAlert{AlertID: id, Kind: kind, Severity: severity, ISRC: &isrc, Field: "track_title",
			ReportedValue: "Reported", DSP: dsp, PeriodStart: day, PeriodEnd: day.AddDate(0, 1, -1),
			FirstSeen: day, LastSeen: day, Count: count, SampleEventIDs: []string{"f:1"}}
	}
	for _, a := range []avro.DriftAlert{
		alert("a1", "title_mismatch", "info", "GBAAA2400001", "Spotify", 1),
		alert("a2", "artist_mismatch", "critical", "GBAAA2400002", "Deezer", 2),
		alert("a3", "unknown_isrc", "warn", "GBAAA2400003", "Spotify", 5),
		alert("a1", "title_mismatch", "info", "GBAAA2400001", "Spotify", 7), // a1 counted again
	} {
		v, err := codecs.Alert.Encode(&a)
		if err != nil {
			t.Fatal(err)
		}
		if err := cl.ProduceSync(context.Background(), &kgo.Record{Topic: "t." + topology.TopicDriftAlerts, Key: []byte(*a.ISRC), Value: v}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(args ...string) (got []string, counts map[string]int64) {
		t.Helper()
		code, out, errOut := runCLI(t, vars, append([]string{"alerts", "--format", "json"}, args...)...)
		if code != 0 {
			t.Fatalf("alerts %v: exit %d\n%s%s", args, code, out, errOut)
		}
		counts = map[string]int64{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if line == "" {
				continue
			}
			var a struct {
				AlertID string `json:"alert_id"`
				Count   int64  `json:"count"`
			}
			if err := json.Unmarshal([]byte(line), &a); err != nil {
				t.Fatalf("alerts output %q: %v", line, err)
			}
			got = append(got, a.AlertID)
			counts[a.AlertID] = a.Count
		}
		return got, counts
	}
	cases := []struct {
		args []string
		want string
	}{
		{nil, "a2,a3,a1"}, // critical, warn, info
		{[]string{"--severity", "info,warn"}, "a3,a1"},
		{[]string{"--kind", "title_mismatch"}, "a1"},
		{[]string{"--dsp", "spotify"}, "a3,a1"},
		{[]string{"--isrc", "GBAAA2400002"}, "a2"},
		{[]string{"--limit", "1"}, "a2"},
	}
	for _, tc := range cases {
		got, counts := ids(tc.args...)
		if strings.Join(got, ",") != tc.want {
			t.Errorf("alerts %v: %v, want %s", tc.args, got, tc.want)
		}
		if n, ok := counts["a1"]; ok && n != 7 {
			t.Errorf("alerts %v: a1 counts %d, want its latest count 7", tc.args, n)
		}
	}
	code, out, _ := runCLI(t, vars, "alerts")
	if code != 0 || !strings.Contains(out, "SEVERITY") || !strings.Contains(out, "3 alerts on t.drift-alerts match (3 of all 3 shown)") {
		t.Errorf("alerts table: exit %d\n%s", code, out)
	}
	if code, _, errOut := runCLI(t, vars, "alerts", "--kind", "typo"); code != 1 || !strings.Contains(errOut, `--kind must be one of`) {
		t.Errorf("alerts --kind typo: exit %d\n%s", code, errOut)
	}
}
