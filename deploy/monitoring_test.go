package deploy

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/connectors/lake"
	"github.com/ledgerline/ledgerline/topology"
	"github.com/ledgerline/ledgerline/topology/ingest"
	"github.com/ledgerline/ledgerline/topology/instance"
	"github.com/ledgerline/ledgerline/topology/pipeline"
)

// alertRule is an alerting rule of the PrometheusRule.
type alertRule struct {
	name, expr  string
	annotations map[string]string
}

func alertRules(t *testing.T) (alerts []alertRule, exprs []string) {
	t.Helper()
	docs := readYAML(t, filepath.Join("monitoring", "prometheus-rules.yaml"))
	for _, g := range list(get(docs[0], "spec", "groups")) {
		for _, r := range list(get(g, "rules")) {
			expr := str(get(r, "expr"))
			exprs = append(exprs, expr)
			name := str(get(r, "alert"))
			if name == "" {
				continue // a recording rule
			}
			ann := map[string]string{}
			for k, v := range get(r, "annotations").(map[string]any) {
				ann[k] = str(v)
			}
			alerts = append(alerts, alertRule{name: name, expr: expr, annotations: ann})
		}
	}
	if len(alerts) == 0 {
		t.Fatal("no alerting rules found")
	}
	return alerts, exprs
}

// dashboardExprs returns the queries of the Grafana dashboard's panels
// and variables.
func dashboardExprs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("monitoring", "grafana-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Definition string `json:"definition"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatal(err)
	}
	var exprs []string
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	for _, v := range dash.Templating.List {
		exprs = append(exprs, v.Definition)
	}
	return exprs
}

// githubAnchor is the anchor GitHub gives a Markdown heading.
func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ' || r == '-':
			b.WriteRune('-')
		case r == '_' || ('a' <= r && r <= 'z') || ('0' <= r && r <= '9'):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestEveryAlertHasARunbookSection(t *testing.T) {
	b, err := os.ReadFile("RUNBOOK.md")
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^#{1,6} +(.+)$`).FindAllStringSubmatch(string(b), -1) {
		anchors[githubAnchor(m[1])] = true
	}
	alerts, _ := alertRules(t)
	seen := map[string]bool{}
	for _, a := range alerts {
		if seen[a.name] {
			t.Errorf("alert %s defined twice", a.name)
		}
		seen[a.name] = true
		for _, key := range []string{"summary", "description", "runbook"} {
			if strings.TrimSpace(a.annotations[key]) == "" {
				t.Errorf("alert %s has no %s annotation", a.name, key)
			}
		}
		file, anchor, ok := strings.Cut(a.annotations["runbook"], "#")
		if !ok || file != "deploy/RUNBOOK.md" || !anchors[anchor] {
			t.Errorf("alert %s: runbook %q is not a section of deploy/RUNBOOK.md", a.name, a.annotations["runbook"])
		}
	}
	// Anchors the manifests' comments point at exist too.
	for _, dir := range deployDirs {
		paths, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			for _, m := range regexp.MustCompile(`RUNBOOK\.md#([a-z0-9_-]+)`).FindAllStringSubmatch(string(b), -1) {
				if !anchors[m[1]] {
					t.Errorf("%s points at RUNBOOK.md#%s, which is no section", p, m[1])
				}
			}
		}
	}
}

// metricName matches the names of ledgerline's metrics in PromQL (not the
// recording rules, which are named ledgerline:...).
var metricName = regexp.MustCompile(`\bledgerline_[a-zA-Z0-9_]+`)

func TestMonitoringNamesOnlyRegisteredMetrics(t *testing.T) {
	_, exprs := alertRules(t)
	exprs = append(exprs, dashboardExprs(t)...)
	wanted := map[string]bool{}
	for _, e := range exprs {
		for _, n := range metricName.FindAllString(e, -1) {
			wanted[n] = true
		}
	}
	if len(wanted) < 10 {
		t.Fatalf("only %d ledgerline metrics named by the rules and the dashboard: %v", len(wanted), wanted)
	}
	have := runningInstanceMetrics(t, func(have map[string]bool) bool {
		for n := range wanted {
			if !have[n] {
				return false
			}
		}
		return true
	})
	var missing []string
	for n := range wanted {
		if !have[n] {
			missing = append(missing, n)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Fatalf("named by the alert rules or the dashboard but not registered by a running instance: %v", missing)
	}
}

// gatheredNames returns the names of the series reg exposes, histograms
// as name_bucket, name_sum and name_count.
func gatheredNames(t *testing.T, reg *prometheus.Registry) map[string]bool {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, mf := range mfs {
		n := mf.GetName()
		names[n] = true
		if mf.GetType() == dto.MetricType_HISTOGRAM {
			names[n+"_bucket"], names[n+"_sum"], names[n+"_count"] = true, true, true
		}
	}
	return names
}

// runningInstanceMetrics runs an instance, as `ledgerline run` does, on
// an in-process cluster fed with a sample report, and returns the names
// of the metrics it exposes while running, once complete says they are
// (or the deadline passed). Some exist only while partitions are
// assigned: the names are taken before the instance stops.
func runningInstanceMetrics(t *testing.T, complete func(map[string]bool) bool) map[string]bool {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.GroupMinSessionTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	brokers := c.ListenAddrs()
	clientOpts := []kgo.Opt{kgo.SeedBrokers(brokers...)}
	const app = "ledgerline"

	cl, err := kgo.NewClient(clientOpts...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := topology.New(topology.Options{App: app}).Ensure(ctx, kadm.NewClient(cl), -1); err != nil {
		t.Fatal(err)
	}

	reg := prometheus.NewRegistry()
	session := []kgo.Opt{kgo.SessionTimeout(6 * time.Second), kgo.HeartbeatInterval(500 * time.Millisecond)}
	in, err := instance.Open(ctx, instance.Config{
		Pipeline: pipeline.Config{
			Brokers: brokers, App: app, Instance: "test-0", StateDir: t.TempDir(),
			ClientOpts:     session,
			GroupOpts:      append(session, kgo.FetchMaxWait(300*time.Millisecond)),
			CommitInterval: 50 * time.Millisecond,
			Lake:           lake.Options{Root: t.TempDir(), IdleTimeout: time.Second},
			Registerer:     reg,
		},
		LagInterval: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	runCtx, stop := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() { ran <- in.Run(runCtx) }()
	defer func() {
		stop()
		if err := <-ran; err != nil {
			t.Errorf("instance: %v", err)
		}
	}()

	// Usage (and dead letters) for the drift stage to process and commit.
	ing, err := ingest.New(ingest.Options{ClientOpts: clientOpts, App: app})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ing.Ingest(ctx, filepath.Join("..", "topology", "demo", "samples", "distrokid_2024-05.tsv")); err != nil {
		t.Fatal(err)
	}
	for {
		names := gatheredNames(t, reg)
		if complete(names) {
			return names
		}
		select {
		case <-ctx.Done():
			return names // the caller reports what is missing
		case <-time.After(100 * time.Millisecond):
		}
	}
}
