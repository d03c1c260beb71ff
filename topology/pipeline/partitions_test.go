package pipeline

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/catalog"
	"github.com/ledgerline/ledgerline/state"
	"github.com/ledgerline/ledgerline/topology"
)

// TestAddedUsagePartitions adds partitions to usage while an instance
// runs: the catalog is a global table, so events keyed to the new
// partitions are checked against the same, current catalog (a new
// version published before the partitions were added), and none is lost.
func TestAddedUsagePartitions(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) { testAddedUsagePartitions(t, kind) })
	}
}

func testAddedUsagePartitions(t *testing.T, kind string) {
	e := newEnv(t, kind, 2)
	e.extraGroupOpts = []kgo.Opt{kgo.MetadataMaxAge(time.Second), kgo.MetadataMinAge(100 * time.Millisecond)}
	recs := make([]avro.CatalogRecord, 0, 200)
	for r := range catalog.Generate(200, 17) {
		recs = append(recs, r)
	}
	e.publishCatalog(t, recs)

	seq := 0
	eventsOf := func(recs []avro.CatalogRecord) []avro.UsageEvent {
		out := make([]avro.UsageEvent, 0, len(recs))
		for _, r := range recs {
			seq++
			out = append(out, usageOf(fmt.Sprintf("p-%05d", seq), r, sourceLine("partitions.tsv", int64(seq))))
		}
		return out
	}
	first := eventsOf(recs)
	e.produceUsage(t, first)
	r := e.start(t, "a", stateDir(t, "a"))
	e.waitCommitted(t, len(first), 45*time.Second, r)

	// Every other recording gets a version 2 with a version title: an
	// event reporting it is clean only if checked against version 2.
	current := make([]avro.CatalogRecord, len(recs))
	var changed []avro.CatalogRecord
	for i, rec := range recs {
		if i%2 == 0 {
			rec.Version, rec.ValidFrom = 2, validV2
			rec.VersionTitle = ptr("Remastered 2024")
			changed = append(changed, rec)
		}
		current[i] = rec
	}
	e.publishCatalog(t, changed)
	waitFor(t, 30*time.Second, "version 2 in the catalog", func() bool {
		for _, c := range changed {
			cur, ok, err := r.p.view.Current(c.ISRC)
			if err != nil {
				t.Fatal(err)
			}
			if !ok || cur.Version != 2 {
				return false
			}
		}
		return true
	})

	adm := e.admin(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	resp, err := adm.UpdatePartitions(ctx, 4, e.topic(topology.TopicUsage))
	cancel()
	if err == nil {
		err = resp.Error()
	}
	if err != nil {
		t.Fatalf("add partitions to usage: %v", err)
	}
	// Written at once, before the group noticed the new partitions.
	second := eventsOf(current)
	produced := e.produceUsage(t, second)
	onNew := map[string]bool{}
	for _, p := range produced {
		if p.Partition >= 2 {
			ev, err := e.codecs.Usage.Decode(p.Value)
			if err != nil {
				t.Fatal(err)
			}
			onNew[ev.EventID] = true
		}
	}
	if len(onNew) == 0 {
		t.Fatal("no event was written to the new partitions")
	}
	e.waitCommitted(t, len(first)+len(second), 45*time.Second, r)
	r.stop(t)

	out := e.read(t)
	events := byEventID(t, out.enriched)
	if len(events) != len(first)+len(second) {
		t.Errorf("%d events enriched, want %d", len(events), len(first)+len(second))
	}
	for i, ev := range second {
		want := caseEvent{ev: ev, matched: current[i].ISRC, version: current[i].Version}
		checkEnriched(t, want, events)
	}
	for i, ev := range first {
		checkEnriched(t, caseEvent{ev: ev, matched: recs[i].ISRC, version: 1}, events)
	}
	t.Logf("%d of %d events of the second batch went to the new partitions", len(onNew), len(second))
	if len(out.alerts) != 0 {
		t.Errorf("%d alert records, want none: e.g. %s", len(out.alerts), describe(out.alerts[0].alert))
	}

	// The drift stage's changelogs follow the input topic.
	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	app := topology.GroupID(e.app, topology.StageDrift)
	for _, store := range []string{topology.StorePeriods, topology.StoreAlerts, topology.StoreUsage} {
		name := state.ChangelogTopic(app, store)
		details, err := adm.ListTopics(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(details[name].Partitions); n != 4 {
			t.Errorf("changelog %s has %d partitions, want 4", name, n)
		}
	}
}

// TestAddedUsagePartitionsKeepAlertState adds partitions to usage while
// an instance runs and sends more sightings of the same drift: an
// alert's count must go on from where it was, whichever partition its
// ISRC is keyed to now.
func TestAddedUsagePartitionsKeepAlertState(t *testing.T) {
	knownDefect(t, "the drift stores are keyed by ISRC within an input partition: "+
		"an ISRC keyed to a new partition starts over (alert counts from 1, no previous period)")
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) { testAddedUsagePartitionsKeepAlertState(t, kind) })
	}
}

func testAddedUsagePartitionsKeepAlertState(t *testing.T, kind string) {
	e := newEnv(t, kind, 2)
	e.extraGroupOpts = []kgo.Opt{kgo.MetadataMaxAge(time.Second), kgo.MetadataMinAge(100 * time.Millisecond)}
	var recs []avro.CatalogRecord
	for i := range 20 {
		recs = append(recs, record(100+i, "Drifting", "Zoë Berg"))
	}
	e.publishCatalog(t, recs)
	seq := 0
	sightings := func() []avro.UsageEvent {
		var out []avro.UsageEvent
		for _, r := range recs {
			seq++
			out = append(out, usageOf(fmt.Sprintf("s-%04d", seq), r, title("Drifting (Live)"),
				ingestedAt(ingestBase.Add(time.Duration(seq)*time.Second))))
		}
		return out
	}
	r := e.start(t, "a", stateDir(t, "a"))
	e.produceUsage(t, sightings())
	e.produceUsage(t, sightings())
	e.waitCommitted(t, 2*len(recs), 30*time.Second, r)

	adm := e.admin(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := adm.UpdatePartitions(ctx, 4, e.topic(topology.TopicUsage)); err != nil {
		t.Fatal(err)
	}
	moved := 0
	for _, p := range e.produceUsage(t, sightings()) {
		if p.Partition >= 2 {
			moved++
		}
	}
	e.waitCommitted(t, 3*len(recs), 30*time.Second, r)
	r.stop(t)
	t.Logf("%d of %d recordings are keyed to a new partition now", moved, len(recs))
	for _, a := range latest(e.read(t).alerts) {
		if a.Count != 3 {
			t.Errorf("alert %s: count %d after 3 sightings", describe(a), a.Count)
		}
	}
}
