package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/internal/topicread"
	"github.com/ledgerline/ledgerline/state"
	"github.com/ledgerline/ledgerline/topology"
	"github.com/ledgerline/ledgerline/topology/ingest"
)

// The observation helpers read Kafka as a bystander: committed records
// only (read_committed), consumer group offsets, the ingest ledger.

func (d *deployment) driftGroup() string { return topology.GroupID(d.app, topology.StageDrift) }
func (d *deployment) lakeGroup() string  { return topology.GroupID(d.app, topology.StageLakeSink) }

// topic returns the deployment's name of a topic.
func (d *deployment) topic(name string) string { return d.prefix + name }

// createTopics runs `ledgerline topology create` for the deployment.
func (d *deployment) createTopics() {
	d.w.t.Helper()
	out := d.w.cli("topology", "create", "--app", d.app, "--topic-prefix", d.prefix, "--partitions", usagePartitions, "--replication", "1")
	d.w.logf("setup", "topology create --app %s: %d topics created or verified", d.app, strings.Count(out, "\n"))
}

// seedGroups commits, for the deployment's drift and lake-sink groups,
// offsets at the current end of usage and usage-enriched: the
// deployment processes what arrives from now on, not what other tests
// left on the shared topics.
func (d *deployment) seedGroups() {
	w := d.w
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, gt := range [][2]string{{d.driftGroup(), d.topic(topology.TopicUsage)}, {d.lakeGroup(), d.topic(topology.TopicUsageEnriched)}} {
		group, topic := gt[0], gt[1]
		ends, err := w.adm.ListEndOffsets(ctx, topic)
		if err == nil {
			err = ends.Error()
		}
		if err != nil {
			w.t.Fatalf("end offsets of %s: %v", topic, err)
		}
		offs := kadm.Offsets{}
		var total int64
		ends.Each(func(o kadm.ListedOffset) {
			offs.AddOffset(topic, o.Partition, o.Offset, -1)
			total += o.Offset
		})
		resp, err := w.adm.CommitOffsets(ctx, group, offs)
		if err != nil {
			w.t.Fatalf("commit offsets of %s: %v", group, err)
		}
		resp.EachError(func(o kadm.OffsetResponse) {
			w.t.Fatalf("commit offset of %s %s/%d: %v", group, o.Topic, o.Partition, o.Err)
		})
		if group == d.driftGroup() {
			d.seeded = total
		}
		w.logf("setup", "group %s starts at the end of %s (%d records before it)", group, topic, total)
	}
}

// committedSum returns the sum of the group's committed offsets of topic.
func (w *world) committedSum(group, topic string) int64 {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.t.Context(), 30*time.Second)
	defer cancel()
	offs, err := w.adm.FetchOffsets(ctx, group)
	if err != nil {
		w.t.Fatalf("offsets of %s: %v", group, err)
	}
	var sum int64
	offs.Each(func(o kadm.OffsetResponse) {
		if o.Topic == topic && o.Err == nil && o.At > 0 {
			sum += o.At
		}
	})
	return sum
}

// pending returns how far the group's committed offsets are behind the
// end of topic, and whether the group has anything left to consume: a
// committed data record (not a transaction marker) beyond its committed
// offsets, or records of a transaction not yet decided (the high
// watermark above the last stable offset: a producer's commit becomes
// visible on a partition only once its marker is written there).
func (w *world) pending(group, topic string) (lag int64, more bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	committed, err := w.adm.FetchOffsets(ctx, group)
	if err != nil {
		return 0, true, err
	}
	hwm, err := w.adm.ListEndOffsets(ctx, topic)
	if err == nil {
		err = hwm.Error()
	}
	if err != nil {
		return 0, true, err
	}
	lso, err := w.adm.ListCommittedOffsets(ctx, topic)
	if err == nil {
		err = lso.Error()
	}
	if err != nil {
		return 0, true, err
	}
	hwm.Each(func(o kadm.ListedOffset) {
		var from int64
		if c, ok := committed.Lookup(topic, o.Partition); ok && c.Err == nil && c.At >= 0 {
			from = c.At
		}
		if from >= o.Offset {
			return
		}
		lag += o.Offset - from
		stable, ok := lso.Lookup(topic, o.Partition)
		if !ok || stable.Offset < o.Offset {
			more = true
		}
		if more {
			return
		}
		has, perr := state.HasRecordsBefore(ctx, w.cl, topic, o.Partition, from, o.Offset)
		if perr != nil && err == nil {
			err = perr
		}
		more = more || has
	})
	return lag, more, err
}

// waitDrained waits until group has consumed every committed record of
// topic.
func (w *world) waitDrained(group, topic string, deadline time.Time, instances ...*instance) {
	w.t.Helper()
	start, lastLog := time.Now(), time.Now()
	for {
		revive(instances)
		lag, more, err := w.pending(group, topic)
		if err == nil && !more {
			w.logf("wait", "group %s drained %s after %s (offset lag %d, transaction markers only)",
				group, topic, time.Since(start).Round(100*time.Millisecond), lag)
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("group %s still has %d offsets of %s to go at the deadline (err %v)", group, lag, topic, err)
		}
		if time.Since(lastLog) > 10*time.Second {
			w.logf("wait", "group %s: %d offsets of %s to go", group, lag, topic)
			lastLog = time.Now()
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// drain waits until the drift stage has processed everything, stops the
// instances with SIGTERM (the lake sink writes and commits its buffers)
// and checks that the lake sink consumed everything; if not, it starts
// the instances again and repeats. The returned instances are stopped.
func (d *deployment) drain(instances ...*instance) []*instance {
	w := d.w
	w.t.Helper()
	deadline := time.Now().Add(drainTimeout)
	for round := 1; ; round++ {
		w.waitDrained(d.driftGroup(), d.topic(topology.TopicUsage), deadline, instances...)
		// The lake sink reads what the drift stage committed within
		// moments; should it not have, the next round catches it.
		time.Sleep(time.Second)
		revive(instances)
		for _, i := range instances {
			i.stop()
		}
		lag, more, err := w.pending(d.lakeGroup(), d.topic(topology.TopicUsageEnriched))
		if err != nil {
			w.t.Fatalf("lake sink offsets: %v", err)
		}
		if !more {
			w.logf("wait", "lake sink drained usage-enriched (offset lag %d, transaction markers only)", lag)
			if d.crashes > 0 {
				w.logf("CRASH", "%d instance(s) of %s exited on their own and were started again", d.crashes, d.app)
			}
			return instances
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("lake sink still has %d offsets to go at the deadline", lag)
		}
		w.logf("wait", "round %d: the lake sink had %d offsets to go when stopped; starting the instances again", round, lag)
		for n, i := range instances {
			instances[n] = i.again()
		}
	}
}

// shaSet is a set of file SHA-256s: the test's own input files.
type shaSet map[string]bool

func shas(inputs []*input) shaSet {
	s := shaSet{}
	for _, in := range inputs {
		s[in.sha] = true
	}
	return s
}

// ledger returns the latest ingest ledger entry of each file in set.
func (d *deployment) ledger(set shaSet) map[string]avro.IngestLedgerEntry {
	w := d.w
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	all, err := ingest.ReadLedger(ctx, []kgo.Opt{kgo.SeedBrokers(strings.Split(w.brokers, ",")...)}, d.prefix)
	if err != nil {
		w.t.Fatalf("read the ingest ledger: %v", err)
	}
	out := map[string]avro.IngestLedgerEntry{}
	for sha, e := range all {
		if set[sha] {
			out[sha] = e
		}
	}
	return out
}

// lineCounts counts records per file and line.
type lineCounts map[string]map[int64]int

func (lc lineCounts) add(sha string, line int64) {
	if lc[sha] == nil {
		lc[sha] = map[int64]int{}
	}
	lc[sha][line]++
}

// records returns how many records a file has, and how many of its lines
// have more than one.
func (lc lineCounts) records(sha string) (n, doubled int) {
	for _, c := range lc[sha] {
		n += c
		if c > 1 {
			doubled++
		}
	}
	return n, doubled
}

// readTopic calls fn for every committed record of topic, once every
// transaction in it has ended.
func (w *world) readTopic(topic string, fn func(*kgo.Record) error) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	opts := []kgo.Opt{kgo.SeedBrokers(strings.Split(w.brokers, ",")...)}
	if err := topicread.Settled(ctx, opts, []string{topic}, fn); err != nil {
		w.t.Fatalf("read %s: %v", topic, err)
	}
}

// usageLines counts the usage events of the files in set per line.
func (d *deployment) usageLines(set shaSet) lineCounts {
	w := d.w
	lc := lineCounts{}
	w.readTopic(d.topic(topology.TopicUsage), func(r *kgo.Record) error {
		ev, err := w.codecs.Usage.Decode(r.Value)
		if err == nil && set[ev.Source.FileSHA256] {
			if want := fmt.Sprintf("%s:%d", ev.Source.FileSHA256, ev.Source.Line); ev.EventID != want {
				return fmt.Errorf("usage event %s of line %s", ev.EventID, want)
			}
			lc.add(ev.Source.FileSHA256, ev.Source.Line)
		}
		return nil
	})
	return lc
}

// deadLetters counts the dead letters of the files in set per line.
func (d *deployment) deadLetters(set shaSet) lineCounts {
	w := d.w
	lc := lineCounts{}
	w.readTopic(d.topic(topology.TopicDeadLetter), func(r *kgo.Record) error {
		dl, err := w.codecs.DeadLetter.Decode(r.Value)
		if err == nil && set[dl.FileSHA256] {
			lc.add(dl.FileSHA256, dl.Line)
		}
		return nil
	})
	return lc
}

// alertKey is what identifies an alert: one per (ISRC, DSP, kind,
// reported value, period).
type alertKey struct {
	isrc, dsp, kind, reported string
	from, to                  string
}

func keyOf(a *avro.DriftAlert) alertKey {
	isrc := ""
	if a.ISRC != nil {
		isrc = *a.ISRC
	}
	return alertKey{isrc, a.DSP, a.Kind, a.ReportedValue, a.PeriodStart.Format(time.DateOnly), a.PeriodEnd.Format(time.DateOnly)}
}

// alertLog is the drift alerts raised by the files of a set.
type alertLog struct {
	records   int                        // alert records, updates included
	latest    map[string]avro.DriftAlert // by alert_id, the latest record
	backwards []string                   // alert ids whose count went down
}

// alerts reads drift-alerts and keeps the alerts first raised by an event
// of a file in set (the first sample event id, "sha:line").
func (d *deployment) alerts(set shaSet) alertLog {
	w := d.w
	al := alertLog{latest: map[string]avro.DriftAlert{}}
	w.readTopic(d.topic(topology.TopicDriftAlerts), func(r *kgo.Record) error {
		a, err := w.codecs.Alert.Decode(r.Value)
		if err != nil || len(a.SampleEventIDs) == 0 {
			return nil
		}
		sha, _, _ := strings.Cut(a.SampleEventIDs[0], ":")
		if !set[sha] {
			return nil
		}
		al.records++
		if prev, ok := al.latest[a.AlertID]; ok && a.Count < prev.Count {
			al.backwards = append(al.backwards, a.AlertID)
		}
		al.latest[a.AlertID] = a
		return nil
	})
	return al
}

// counts returns alert_id -> latest count.
func (al alertLog) counts() map[string]int64 {
	out := make(map[string]int64, len(al.latest))
	for id, a := range al.latest {
		out[id] = a.Count
	}
	return out
}

// byKind returns, per kind, the number of alerts and the sum of their
// counts.
func (al alertLog) byKind() string {
	type kc struct{ alerts, sightings int64 }
	m := map[string]*kc{}
	for _, a := range al.latest {
		if m[a.Kind] == nil {
			m[a.Kind] = &kc{}
		}
		m[a.Kind].alerts++
		m[a.Kind].sightings += a.Count
	}
	kinds := make([]string, 0, len(m))
	for k := range m {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s %d (%d sightings)", k, m[k].alerts, m[k].sightings)
	}
	return strings.Join(parts, ", ")
}

// lakeFile and lakeDiff are `ledgerline lake reconcile --format json`.
type lakeFile struct {
	FileSHA256     string            `json:"file_sha256"`
	FileName       string            `json:"file_name"`
	Rows           int64             `json:"rows"`
	Units          int64             `json:"units"`
	Revenue        map[string]string `json:"revenue"`
	DuplicateLines int64             `json:"duplicate_lines"`
}

type lakeDiff struct {
	FileSHA256 string `json:"file_sha256"`
	FileName   string `json:"file_name"`
	Against    string `json:"against"`
	Measure    string `json:"measure"`
	Currency   string `json:"currency"`
	Expected   string `json:"expected"`
	Lake       string `json:"lake"`
}

type reconcileReport struct {
	Differences []lakeDiff `json:"differences"`
	Files       []lakeFile `json:"files"`
}

// reconcile runs `ledgerline lake reconcile` on the deployment's lake. It
// exits non-zero when any file of the ledger differs, including files of
// other tests that this lake never saw; the caller judges the test's own
// files.
func (d *deployment) reconcile() reconcileReport {
	w := d.w
	w.t.Helper()
	stdout, stderr, err := w.cliResult("lake", "reconcile", "--lake", d.lake, "--topic-prefix", d.prefix, "--format", "json")
	var rep reconcileReport
	if jerr := json.Unmarshal([]byte(stdout), &rep); jerr != nil {
		w.t.Fatalf("lake reconcile: %v (exit %v)\nstdout:\n%s\nstderr:\n%s", jerr, err, stdout, stderr)
	}
	return rep
}

// lakeRows returns the rows of `ledgerline lake query --format json`
// over the whole lake.
func (d *deployment) lakeRows() int64 {
	w := d.w
	w.t.Helper()
	out := w.cli("lake", "query", "--lake", d.lake, "--format", "json")
	var res struct {
		Totals []struct {
			Rows int64 `json:"rows"`
		} `json:"totals"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		w.t.Fatalf("lake query: %v\n%s", err, out)
	}
	var n int64
	for _, t := range res.Totals {
		n += t.Rows
	}
	return n
}
