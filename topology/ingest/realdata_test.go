package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
)

var update = flag.Bool("update", false, "rewrite the golden summaries under testdata/summaries")

// summariesDir holds one golden summary per public sample file, checked
// by hand as VERIFIED.md in that folder describes.
const summariesDir = "testdata/summaries"

// realdataDir returns the shared folder of public sample reports
// (../shared/realdata beside the module root), or skips the test when it
// is absent. The samples are never copied into the module.
func realdataDir(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			samples := filepath.Join(dir, "..", "shared", "realdata")
			if st, err := os.Stat(samples); err != nil || !st.IsDir() {
				t.Skipf("public sample reports not available at %s (see shared/realdata/SOURCES.md)", samples)
			}
			return samples
		}
		if filepath.Dir(dir) == dir {
			t.Skipf("no go.mod above %s: public sample reports not located", wd)
		}
	}
}

// realdataFiles lists the sample reports: every regular file but
// SOURCES.md, sorted.
func realdataFiles(t *testing.T) []string {
	t.Helper()
	dir := realdataDir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() && e.Name() != "SOURCES.md" {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Skipf("no sample report in %s", dir)
	}
	return files
}

// collect is a sink that keeps the accepted events.
type collect struct{ events []avro.UsageEvent }

func (*collect) skipThrough() int64                   { return 0 }
func (c *collect) event(ev *avro.UsageEvent) error    { c.events = append(c.events, *ev); return nil }
func (*collect) deadLetter(*avro.DeadLetter) error    { return nil }
func (*collect) rowDone(context.Context, int64) error { return nil }

// dryRun processes one sample with a collecting sink.
func dryRun(t *testing.T, path string) (Summary, []avro.UsageEvent, error) {
	t.Helper()
	clock := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	in, err := New(Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	j, err := in.job(path)
	if err != nil {
		t.Fatal(err)
	}
	var c collect
	sum, err := j.process(context.Background(), &c)
	return sum, c.events, err
}

// TestRealdataSummaries compares the dry-run summary of every public
// sample with testdata/summaries/<file>.json, as "ledgerline ingest
// --dry-run --format json" prints it. Run with -update to rewrite them,
// then check every number by hand (VERIFIED.md).
func TestRealdataSummaries(t *testing.T) {
	files := realdataFiles(t)
	seen := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		seen[name+".json"] = true
		t.Run(name, func(t *testing.T) {
			sum, _, err := dryRun(t, path)
			if err != nil && !IsQuarantine(err) {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(sum, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join(summariesDir, name+".json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update, then verify the numbers by hand)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("summary differs from %s (run with -update after checking):\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
	if *update {
		return
	}
	entries, err := os.ReadDir(summariesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".json" && !seen[e.Name()] {
			t.Errorf("%s has no sample file: remove it", e.Name())
		}
	}
}

// TestRealdataAcceptance checks the figures the samples are known for.
func TestRealdataAcceptance(t *testing.T) {
	dir := realdataDir(t)
	run := func(t *testing.T, name string) (Summary, []avro.UsageEvent) {
		t.Helper()
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err != nil {
			t.Skipf("sample %s not available: %v", name, err)
		}
		sum, events, err := dryRun(t, path)
		if err != nil {
			t.Fatal(err)
		}
		return sum, events
	}
	finding := func(t *testing.T, sum Summary, key string) Finding {
		t.Helper()
		for _, f := range sum.Reconciliation.Findings {
			if f.Key == key {
				return f
			}
		}
		t.Fatalf("%s: no finding %s in %+v", sum.File, key, sum.Reconciliation.Findings)
		return Finding{}
	}
	t.Run("apple EU units mismatch", func(t *testing.T) {
		sum, _ := run(t, "appleslicer_45545510_0914_EU.txt")
		f := finding(t, sum, "units")
		if f.Declared != "20" || f.Computed != "19" || f.Matched || sum.Reconciliation.Matched {
			t.Errorf("units %+v, matched %v", f, sum.Reconciliation.Matched)
		}
	})
	t.Run("DDEX TEST2 footer line count mismatch", func(t *testing.T) {
		sum, _ := run(t, "ddexdsrf_DSR_TEST2_YouTube_AdSupport-music_2015-Q4_IS_1of1_20160121T150926.tsv")
		f := finding(t, sum, "lines_in_file")
		if f.Declared != "35" || f.Computed != "34" || f.Matched || sum.Reconciliation.Matched {
			t.Errorf("lines_in_file %+v, matched %v", f, sum.Reconciliation.Matched)
		}
	})
	t.Run("traxsource trailer matches within rounding", func(t *testing.T) {
		sum, _ := run(t, "instereo_Traxsource-July-2017-Statement.csv")
		f := finding(t, sum, "amount.USD")
		if f.Declared != "498.67" || f.Computed != "498.66508" || !f.Matched || f.Tolerance != "0.01" {
			t.Errorf("amount %+v", f)
		}
		for _, key := range []string{"units", "net_units", "voided_units", "label_net.USD", "voided_amount.USD", "mechanicals_withheld.USD"} {
			if f := finding(t, sum, key); !f.Compared || !f.Matched {
				t.Errorf("%s %+v", key, f)
			}
		}
		if !sum.Reconciliation.Matched {
			t.Errorf("not matched: %+v", sum.Reconciliation.Findings)
		}
	})
	t.Run("beatport voids", func(t *testing.T) {
		sum, events := run(t, "instereo_Beatport-2017-Q3-Statement.csv")
		voids := 0
		for _, ev := range events {
			if ev.Revenue.Sign() < 0 {
				voids++
			}
		}
		if sum.Rows != 5975 || sum.Accepted != 5975 || voids != 24 {
			t.Errorf("%d rows, %d accepted, %d events with negative revenue", sum.Rows, sum.Accepted, voids)
		}
	})
	t.Run("assumed values are marked", func(t *testing.T) {
		sum, events := run(t, "royaltyappv4_sdphysical.csv")
		for _, ev := range events {
			if !contains(ev.Warnings, "currency_assumed") || !contains(ev.Warnings, "period_start_assumed") {
				t.Errorf("line %d: warnings %v", ev.Source.Line, ev.Warnings)
			}
		}
		if sum.Accepted != 5 {
			t.Errorf("accepted %d", sum.Accepted)
		}
	})
	t.Run("basic audio usage records carry no revenue", func(t *testing.T) {
		sum, events := run(t, "orfium_DSR_PADPIDA00123456743_PADPIDA0123456766K_UnlimitedMusicMonthly_2020-06-01--2020-06-30__1of1_20200703T075930.tsv")
		for _, ev := range events {
			if !ev.Revenue.IsZero() || !contains(ev.Warnings, "revenue_not_reported") {
				t.Errorf("line %d: revenue %s, warnings %v", ev.Source.Line, ev.Revenue, ev.Warnings)
			}
		}
		if sum.Accepted != 15 || sum.Units != 3160 {
			t.Errorf("accepted %d, units %d", sum.Accepted, sum.Units)
		}
	})
	t.Run("the payments summary is quarantined", func(t *testing.T) {
		path := filepath.Join(dir, "appleslicer_financial_report.csv")
		if _, err := os.Stat(path); err != nil {
			t.Skip(err)
		}
		if _, _, err := dryRun(t, path); !IsQuarantine(err) {
			t.Errorf("err = %v, want a quarantine", err)
		}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
