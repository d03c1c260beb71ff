package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/topology"
)

// TestChaosNothingLostNothingDoubled ingests generated and public sample
// reports while two instances process, kills an instance and an ingestion
// mid-stream, re-sends a file under a new name, and then counts every line
// of every file on Kafka and in the lake. See the package documentation.
func TestChaosNothingLostNothingDoubled(t *testing.T) {
	w := newWorld(t, "chaos")
	d := w.deployment("chaos")
	d.createTopics()

	seed := time.Now().UnixNano() % 1_000_000_000
	w.logf("input", "generator seeds %d..%d, recordings tagged %s", seed, seed+3, w.tag())
	reports := []*input{
		w.generate("report-1", 3000, seed, 0.02),
		w.generate("report-2", 3000, seed+1, 0.02),
		w.generate("report-3", 2000, seed+2, 0.02),
	}
	// Four transactions of 5000 lines: the ingestion is killed inside.
	big := w.generate("report-killed", 20000, seed+3, 0.01)
	catalog, records := w.writeCatalog("catalog.csv", append(reports, big)...)
	for _, in := range append(reports, big) {
		w.prepare(in)
	}
	samples := w.realdata()
	d.loadCatalog(catalog, records)
	d.seedGroups()

	a := d.start("a", "a", d.stateDir("a"))
	b := d.start("b", "b", d.stateDir("b"))
	a.waitReady()
	b.waitReady()
	a.waitOwns()
	b.waitOwns()

	// Two instances share the partitions; reports 1 and 2 go in.
	d.ingestFresh(reports[0], reports[1])

	// Kill instance a as soon as the drift stage has committed part of
	// the stream. Its lake buffers are unwritten at that point (a lake
	// file is written after 30s without new rows or at shutdown), so the
	// rows it consumed must come back from Kafka.
	committed := w.waitDriftProgress(d)
	drift, lake := a.owned()
	w.logf("inject", "drift stage has committed %d of the test's usage offsets; lake files so far: %d; instance a holds usage %v and usage-enriched %v",
		committed, lakeFiles(t, d.lake), drift, lake)
	a.kill()
	// The replacement takes the same instance name (and so the same
	// transactional id, which fences the dead instance's open
	// transaction), but an empty state folder: its stores come from the
	// changelogs.
	a2 := d.start("a-replacement", "a", d.stateDir("a-replacement"))

	// More input while the group waits for the dead member's session to
	// expire and rebalances.
	d.ingestFresh(reports[2])

	// An ingestion killed in the middle of the file, then run again.
	d.ingestKilledMidFile(big)
	rerun := d.ingest(big)[0]
	w.logf("inject", "re-ran the ingestion of %s: exit 0, its summary says %d rows, %d accepted, %d rejected",
		big.label, rerun.Rows, rerun.Accepted, rerun.Rejected)

	// The same bytes again under another name: the ledger knows them.
	resent := &input{label: "report-1 resent", path: filepath.Join(w.inputDir(), "report-1-resent.csv")}
	data, err := os.ReadFile(reports[0].path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(resent.path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	again := d.ingest(resent)[0]
	if again.Rows != 0 || again.Accepted != 0 || again.Rejected != 0 {
		t.Errorf("report-1 under a new name was ingested again: %+v", again)
	}
	w.logf("inject", "ingested report-1's bytes again as %s: %d lines read (the ledger has the file complete)",
		filepath.Base(resent.path), again.Rows)

	if len(samples) > 0 {
		d.ingestFresh(samples...)
	}

	a2.waitReady()
	d.drain(a2, b)

	all := append(append(reports, big), samples...)
	d.checkExactlyOnce(all)
	w.checkAlerts(d.alerts(shas(all)))
}

// waitDriftProgress waits until the deployment's drift group has
// committed offsets beyond those it was given at the start, and returns
// how many.
func (w *world) waitDriftProgress(d *deployment) int64 {
	w.t.Helper()
	deadline := time.Now().Add(drainTimeout)
	for {
		if n := w.committedSum(d.driftGroup(), d.topic(topology.TopicUsage)) - d.seeded; n > 0 {
			return n
		}
		if time.Now().After(deadline) {
			w.t.Fatal("the drift stage committed nothing")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lakeFiles counts the Parquet files under a lake folder.
func lakeFiles(t *testing.T, root string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(root, func(path string, de os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !de.IsDir() && filepath.Ext(path) == ".parquet" {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
