package lake

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// pythonWithDuckDB returns a Python interpreter that can import duckdb: the
// venv in LEDGERLINE_PYENV or ~/.cache/ledgerline/pyenv, created and filled
// from testdata/requirements.txt on first use. Without python3 or pip the
// test is skipped, or failed when CI=true.
func pythonWithDuckDB(t *testing.T) string {
	t.Helper()
	unavailable := func(format string, args ...any) {
		t.Helper()
		if inCI() {
			t.Fatalf("independent reader unavailable under CI=true: "+format, args...)
		}
		t.Skipf("independent reader unavailable: "+format, args...)
	}
	env := os.Getenv("LEDGERLINE_PYENV")
	if env == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			unavailable("no home directory for the venv cache: %v", err)
		}
		env = filepath.Join(home, ".cache", "ledgerline", "pyenv")
	}
	py := filepath.Join(env, "bin", "python")
	if exec.Command(py, "-c", "import duckdb").Run() == nil {
		return py
	}
	sys, err := exec.LookPath("python3")
	if err != nil {
		unavailable("python3 not found")
	}
	if out, err := exec.Command(sys, "-m", "venv", env).CombinedOutput(); err != nil {
		unavailable("python3 -m venv %s: %v\n%s", env, err, out)
	}
	req, _ := filepath.Abs(filepath.Join("testdata", "requirements.txt"))
	if out, err := exec.Command(py, "-m", "pip", "install", "-q", "-r", req).CombinedOutput(); err != nil {
		unavailable("pip install -r %s: %v\n%s", req, err, out)
	}
	return py
}

func inCI() bool {
	switch strings.TrimSpace(os.Getenv("CI")) {
	case "true", "TRUE", "True", "1":
		return true
	}
	return false
}

// TestIndependentReaderAgrees reads the lake with DuckDB, following the
// manifests as documented, and checks that it sees the same rows and the
// same exact revenue per currency as Query, including values that use all
// 38 digits of the decimal.
func TestIndependentReaderAgrees(t *testing.T) {
	py := pythonWithDuckDB(t)
	root := t.TempDir()
	evs := genEvents(0, 300)
	for i, v := range []string{"99999999999999999999999.999999999999999", "-99999999999999999999999.999999999999998", "0.000000000000001", "-12.5"} {
		e := genEvents(1000+i, 1)[0]
		e.Event.Revenue = decimal.RequireFromString(v)
		evs = append(evs, e)
	}
	o := testOptions(root, "usage-enriched", "g")
	o.RollRows = 7
	writeOffline(t, o, evs, 3)
	// Compact some partitions so the reader sees compacted and replaced
	// files (kept on disk by RetainReplaced) side by side.
	co := compactOptions(root, 64<<20)
	co.RetainReplaced = 0 // default: replaced files stay on disk
	if _, err := Compact(context.Background(), co); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(py, filepath.Join("testdata", "read_lake.py"), root)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("read_lake.py: %v\n%s", err, stderr.String())
	}
	var got struct {
		Files            int               `json:"files"`
		Rows             int64             `json:"rows"`
		DistinctEventIDs int64             `json:"distinct_event_ids"`
		Units            int64             `json:"units"`
		Revenue          map[string]string `json:"revenue"`
		RevenueType      string            `json:"revenue_type"`
		Version          string            `json:"duckdb_version"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("read_lake.py output %q: %v", out, err)
	}
	t.Logf("duckdb %s read %d files: %d rows, revenue %v (%s)", got.Version, got.Files, got.Rows, got.Revenue, got.RevenueType)

	res, err := Query(context.Background(), root, QuerySpec{})
	if err != nil {
		t.Fatal(err)
	}
	var rows, units int64
	for _, tot := range res.Totals {
		rows += tot.Rows
		units += tot.Units
		d, err := decimal.NewFromString(got.Revenue[tot.Currency])
		if err != nil || !d.Equal(tot.Revenue) {
			t.Errorf("revenue %s: duckdb %q, Query %s", tot.Currency, got.Revenue[tot.Currency], tot.Revenue)
		}
	}
	if got.RevenueType != "DECIMAL(38,15)" {
		t.Errorf("duckdb sees revenue as %s", got.RevenueType)
	}
	if got.Rows != rows || got.DistinctEventIDs != int64(len(evs)) || got.Units != units || len(got.Revenue) != len(res.Totals) {
		t.Errorf("duckdb: %d rows (%d distinct ids), %d units; Query: %d rows, %d units; %d events", got.Rows, got.DistinctEventIDs, got.Units, rows, units, len(evs))
	}
	want := totalsOf(evs)
	for c, v := range want.revenue {
		if d, _ := decimal.NewFromString(got.Revenue[c]); !d.Equal(v) {
			t.Errorf("revenue %s: duckdb %s, events %s", c, got.Revenue[c], v)
		}
	}
}
