package pipeline

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/catalog"
	"github.com/ledgerline/ledgerline/processors/drift"
	"github.com/ledgerline/ledgerline/topology"
	"github.com/ledgerline/ledgerline/topology/ingest"
)

// TestDriftStage runs every drift case of newDriftFixture end to end: the
// catalog is published, the usage events are produced to usage as
// topology/ingest writes them (one transaction, plus a record that is not
// a usage event), one instance drains them, then runs again while new
// catalog versions are published and more usage arrives. The committed
// drift-alerts, drift-review, usage-enriched and dead-letter records must
// be exactly what each case says, and the lake must hold every event once.
func TestDriftStage(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) { testDriftStage(t, kind) })
	}
}

func testDriftStage(t *testing.T, kind string) {
	e := newEnv(t, kind, 6)
	f := newDriftFixture()
	e.publishCatalog(t, f.catalog)

	early := f.events(false)
	recs := e.usageRecords(t, early)
	garbage := &kgo.Record{Topic: e.topic(topology.TopicUsage), Key: []byte("garbage"), Value: []byte("not a usage event")}
	e.produce(t, append(recs, garbage), true)

	dir := stateDir(t, "a")
	start := time.Now()
	st := e.drain(t, "a", dir)
	t.Logf("drained %d events in %v; lake sink wrote %d rows in %d files", len(early)+1, time.Since(start).Round(time.Millisecond), st.Rows, st.Files)

	// The catalog changes while the pipeline runs, then more usage
	// arrives.
	r := e.start(t, "a", dir)
	r.waitReady(t)
	e.publishCatalog(t, f.changes)
	waitFor(t, 30*time.Second, "the catalog changes to be applied", func() bool {
		for _, c := range f.changes {
			cur, ok, err := r.p.view.Current(c.ISRC)
			if err != nil {
				t.Fatal(err)
			}
			if !ok || cur.Version < c.Version {
				return false
			}
		}
		return true
	})
	wantChanged := 0
	for _, c := range f.cases {
		for _, w := range c.want {
			if w.kind == drift.KindCatalogChanged {
				wantChanged++
			}
		}
	}
	waitFor(t, 30*time.Second, "catalog_changed alerts", func() bool {
		n := 0
		for _, a := range latest(e.read(t).alerts) {
			if a.Kind == drift.KindCatalogChanged {
				n++
			}
		}
		return n >= wantChanged
	})
	late := f.events(true)
	e.produceUsage(t, late)
	waitFor(t, 30*time.Second, "the late events to be enriched", func() bool {
		seen := map[string]bool{}
		for _, en := range e.read(t).enriched {
			seen[en.ev.Event.EventID] = true
		}
		for _, ev := range late {
			if !seen[ev.EventID] {
				return false
			}
		}
		return true
	})
	r.stop(t)

	out := e.read(t)
	checkDriftOutputs(t, f, out)

	t.Run("dead letter", func(t *testing.T) {
		if len(out.dead) != 1 {
			t.Fatalf("%d dead letters, want 1 for the record that is not a usage event", len(out.dead))
		}
		d := out.dead[0]
		want := fmt.Sprintf("%s/%d/%d", garbage.Topic, garbage.Partition, garbage.Offset)
		if d.DeadLetterID != want || d.Stage != topology.StageDrift || d.Reason != avro.ReasonMalformedRow || !bytes.Equal(d.Raw, garbage.Value) {
			t.Errorf("dead letter %+v, want id %s, stage %s, reason %s and the raw value", d, want, topology.StageDrift, avro.ReasonMalformedRow)
		}
	})
	t.Run("lake", func(t *testing.T) { e.checkLake(t, len(early)+len(late)) })
}

// checkDriftOutputs checks the committed outputs against every case of f.
func checkDriftOutputs(t *testing.T, f driftFixture, out outputs) {
	t.Helper()
	events := byEventID(t, out.enriched)
	alerts := latest(out.alerts)
	owned := map[string]bool{}
	for _, c := range f.cases {
		t.Run(c.name, func(t *testing.T) {
			for _, ce := range c.events {
				checkEnriched(t, ce, events)
			}
			var mine []avro.DriftAlert
			for id, a := range alerts {
				if c.owns(a) {
					mine = append(mine, a)
					owned[id] = true
				}
			}
			checkAlerts(t, c.want, mine)
		})
	}
	t.Run("no other alerts", func(t *testing.T) {
		for id, a := range alerts {
			if !owned[id] {
				t.Errorf("alert raised by no case: %s", describe(a))
			}
		}
		if n := len(events); n != len(f.events(false))+len(f.events(true)) {
			t.Errorf("%d events enriched, want %d", n, len(f.events(false))+len(f.events(true)))
		}
	})
	t.Run("alert records", func(t *testing.T) { checkAlertRecords(t, out) })
	t.Run("dedup records", func(t *testing.T) {
		var recs []avro.DriftAlert
		for _, r := range out.alerts {
			if r.alert.ReportedValue == "Dedup Song (Live)" {
				recs = append(recs, r.alert)
			}
		}
		ids := map[string]bool{}
		for _, a := range recs {
			ids[a.AlertID] = true
		}
		if len(ids) != 1 {
			t.Fatalf("%d alerts for %d events of the same drift, want 1", len(ids), dedupEvents)
		}
		last := recs[len(recs)-1]
		if last.Count != dedupEvents {
			t.Errorf("the alert's latest record has count %d, want %d", last.Count, dedupEvents)
		}
		if len(last.SampleEventIDs) != 5 {
			t.Errorf("the alert samples %d events, want 5", len(last.SampleEventIDs))
		}
		if d := last.LastSeen.Sub(last.FirstSeen); d != (dedupEvents-1)*time.Second {
			t.Errorf("first_seen %v, last_seen %v: want the %d events' ingest times", last.FirstSeen, last.LastSeen, dedupEvents)
		}
		t.Logf("%d events of the same drift: one alert in %d records (one per transaction that saw it)", dedupEvents, len(recs))
	})
}

// checkEnriched checks the enriched record of one event.
func checkEnriched(t *testing.T, ce caseEvent, events map[string]enriched) {
	t.Helper()
	id := ce.ev.EventID
	en, ok := events[id]
	if !ok {
		t.Errorf("event %s was not enriched", id)
		return
	}
	// Events without ISRC: see TestEnrichedKeyedLikeUsage.
	if ce.ev.ISRC != nil && en.key != *ce.ev.ISRC {
		t.Errorf("event %s: enriched key %q, want its ISRC", id, en.key)
	}
	got := en.ev
	if got.Event.TrackTitle != ce.ev.TrackTitle || !slices.Equal(got.Event.Artists, ce.ev.Artists) ||
		deref(got.Event.ISRC) != deref(ce.ev.ISRC) || deref(got.Event.ISWC) != deref(ce.ev.ISWC) ||
		got.Event.Source != ce.ev.Source || !got.Event.Revenue.Equal(ce.ev.Revenue) || got.Event.Units != ce.ev.Units ||
		!got.Event.PeriodStart.Equal(ce.ev.PeriodStart) || !got.Event.IngestTime.Equal(ce.ev.IngestTime) {
		t.Errorf("event %s: enriched event %+v differs from the usage event %+v", id, got.Event, ce.ev)
	}
	if deref(got.MatchedISRC) != ce.matched {
		t.Errorf("event %s (%s): matched ISRC %q, want %q", id, ce.ev.TrackTitle, deref(got.MatchedISRC), ce.matched)
	}
	var version int64
	if got.CatalogVersion != nil {
		version = *got.CatalogVersion
	}
	if version != ce.version {
		t.Errorf("event %s (%s): catalog version %d, want %d", id, ce.ev.TrackTitle, version, ce.version)
	}
	gotKinds, wantKinds := slices.Sorted(slices.Values(got.Drift)), slices.Sorted(slices.Values(ce.drift))
	if !slices.Equal(gotKinds, wantKinds) {
		t.Errorf("event %s (%q by %q): drift %v, want %v", id, ce.ev.TrackTitle, ce.ev.Artists, gotKinds, wantKinds)
	}
}

// checkAlerts checks that got are exactly the alerts of want.
func checkAlerts(t *testing.T, want []wantAlert, got []avro.DriftAlert) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range want {
		w = w.withDefaults()
		found := -1
		for i, a := range got {
			if !used[i] && w.matches(a) {
				if found >= 0 {
					t.Errorf("want %v: more than one alert: %s and %s", w, describe(got[found]), describe(a))
				}
				found = i
			}
		}
		if found < 0 {
			t.Errorf("missing alert %v", w)
			continue
		}
		used[found] = true
		a := got[found]
		if a.Severity != w.severity || a.Count != w.count {
			t.Errorf("want %v count %d; got %s", w, w.count, describe(a))
		}
		if w.catalogValue != "" && deref(a.CatalogValue) != w.catalogValue {
			t.Errorf("want %v: catalog value %q, got %q", w, w.catalogValue, deref(a.CatalogValue))
		}
		if w.version != 0 && (a.CatalogVersion == nil || *a.CatalogVersion != w.version) {
			t.Errorf("want %v: catalog version %d, got %v", w, w.version, a.CatalogVersion)
		}
		if !w.firstSeen.IsZero() && !a.FirstSeen.Equal(w.firstSeen) {
			t.Errorf("want %v: first seen %v, got %v", w, w.firstSeen, a.FirstSeen)
		}
	}
	for i, a := range got {
		if !used[i] {
			t.Errorf("unexpected alert %s", describe(a))
		}
	}
}

// checkAlertRecords checks what holds for every alert record: keys, counts
// growing from record to record, and critical records (only those) copied
// to the review queue.
func checkAlertRecords(t *testing.T, out outputs) {
	t.Helper()
	last := map[string]int64{}
	var critical []string
	for _, r := range out.alerts {
		a := r.alert
		key := a.AlertID
		if a.ISRC != nil {
			key = *a.ISRC
		}
		if r.key != key {
			t.Errorf("alert %s keyed %q, want %q", describe(a), r.key, key)
		}
		if a.ISRC != nil && a.Count <= last[a.AlertID] {
			t.Errorf("alert %s: count %d after %d", describe(a), a.Count, last[a.AlertID])
		}
		last[a.AlertID] = a.Count
		if a.Severity == drift.SeverityCritical {
			critical = append(critical, fmt.Sprintf("%s@%d", a.AlertID, a.Count))
		}
	}
	var review []string
	for _, r := range out.review {
		review = append(review, fmt.Sprintf("%s@%d", r.alert.AlertID, r.alert.Count))
		if r.alert.Severity != drift.SeverityCritical {
			t.Errorf("review queue holds a %s alert: %s", r.alert.Severity, describe(r.alert))
		}
	}
	sort.Strings(critical)
	sort.Strings(review)
	if !slices.Equal(critical, review) {
		t.Errorf("review queue %v, want the critical alert records %v", review, critical)
	}
	if len(review) == 0 {
		t.Error("no critical alert reached the review queue")
	}
}

func describe(a avro.DriftAlert) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s/%s isrc=%s dsp=%s period=%s reported=%q catalog=%q",
		a.Kind, a.Field, a.Severity, deref(a.ISRC), a.DSP, a.PeriodStart.Format("2006-01-02"), a.ReportedValue, deref(a.CatalogValue))
	if a.CatalogVersion != nil {
		fmt.Fprintf(&b, " v%d", *a.CatalogVersion)
	}
	fmt.Fprintf(&b, " count=%d (%s)", a.Count, a.Detail)
	return b.String()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestCatalogChangedWhileStopped publishes a change of splits while no
// instance runs (a deployment, a crash): the instance that starts next
// applies it while catching up with the catalog, before its drift tasks
// run. The period with usage is still open, so catalog_changed is due;
// the drift state records which catalog version the usage was checked
// against, so the next usage of the recording raises it at the latest.
func TestCatalogChangedWhileStopped(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) { testCatalogChangedWhileStopped(t, kind) })
	}
}

func testCatalogChangedWhileStopped(t *testing.T, kind string) {
	e := newEnv(t, kind, 3)
	r1 := record(1, "Rock & Roll Night", "Élodie Johansson")
	e.publishCatalog(t, []avro.CatalogRecord{r1})
	e.produceUsage(t, []avro.UsageEvent{usageOf("before", r1)})
	dir := stateDir(t, "a")
	e.drain(t, "a", dir)

	v2 := r1
	v2.Version, v2.ValidFrom, v2.Splits = 2, validV2, splitsV2
	e.publishCatalog(t, []avro.CatalogRecord{v2})

	r := e.start(t, "a", dir)
	r.waitReady(t)
	e.produceUsage(t, []avro.UsageEvent{usageOf("after", v2, ingestedAt(ingestBase.Add(time.Hour)))})
	e.waitCommitted(t, 2, 30*time.Second, r)
	// The drift stage has committed the next usage; give a broadcast
	// a few more transactions.
	time.Sleep(time.Second)
	r.stop(t)

	out := e.read(t)
	events := byEventID(t, out.enriched)
	checkEnriched(t, caseEvent{ev: usageOf("after", v2, ingestedAt(ingestBase.Add(time.Hour))), matched: v2.ISRC, version: 2}, events)
	var got []avro.DriftAlert
	for _, a := range latest(out.alerts) {
		got = append(got, a)
	}
	checkAlerts(t, []wantAlert{{kind: drift.KindCatalogChanged, field: drift.FieldSplits, severity: drift.SeverityCritical,
		reported: catalog.SplitsString(splitsV2), catalogValue: catalog.SplitsString(splitsV1), version: 2, firstSeen: validV2}}, got)
}

// TestEnrichedKeyedLikeUsage checks the key contract of usage-enriched
// (package topology): an enriched event is keyed like its usage record,
// by ISRC, or by DSP, UPC and title for a line without ISRC.
func TestEnrichedKeyedLikeUsage(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind, 3)
			r1 := record(1, "Golden River", "Chloé Müller")
			e.publishCatalog(t, []avro.CatalogRecord{r1})
			evs := []avro.UsageEvent{usageOf("identified", r1), usageOf("unidentified", r1, noISRC())}
			e.produceUsage(t, evs)
			e.drain(t, "a", stateDir(t, "a"))
			events := byEventID(t, e.read(t).enriched)
			for _, ev := range evs {
				if got, want := events[ev.EventID].key, ingest.UsageKey(&ev); got != want {
					t.Errorf("event %s: usage-enriched key %q, usage key %q", ev.EventID, got, want)
				}
			}
		})
	}
}
