package topology

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/ledgerline/ledgerline/avro"
)

// Topic names.
const (
	TopicUsage          = "usage"
	TopicUsageEnriched  = "usage-enriched"
	TopicDeadLetter     = "dead-letter"
	TopicDriftAlerts    = "drift-alerts"
	TopicDriftReview    = "drift-review"
	TopicCatalog        = "catalog"
	TopicReconciliation = "reconciliation"
	TopicIngestLedger   = "ingest-ledger"
	TopicSyncCheckpoint = "sync-checkpoint"
)

// Stage kinds.
const (
	KindSource    = "source"
	KindProcessor = "processor"
	KindSink      = "sink"
)

// Store is a state store of a stage: one Badger store per input partition,
// backed by a compacted changelog topic.
type Store struct {
	Name      string
	Changelog string
	Doc       string
}

// Stage is one step of the data path.
type Stage struct {
	Name      string
	Kind      string
	Component string   // the package that implements it
	Inputs    []string // topics read (for a source: what outside input)
	Outputs   []string // topics written
	External  []string // outside inputs or outputs (report files, lake)
	Stores    []Store
	Global    []string // topics materialised in full on every instance
	Doc       string
}

// Topology is the whole wiring.
type Topology struct {
	App         string
	TopicPrefix string // before the name of every topic but the changelogs (Options.TopicPrefix)
	Topics      []Topic
	Stages      []Stage
}

// Options size a topology.
type Options struct {
	App             string // prefix of changelogs and consumer groups; default "ledgerline"
	UsagePartitions int32  // partitions of usage, usage-enriched and the drift changelogs; default 6
	// TopicPrefix is put before the name of every topic but the
	// changelogs (which App names), so that several deployments can share
	// a cluster or follow its naming rules: "royalties." gives
	// "royalties.usage". Default none.
	TopicPrefix string
}

// Topic returns the name of the topic called name in the topology o
// describes: name with the prefix before it.
func (o Options) Topic(name string) string { return o.TopicPrefix + name }

func (o Options) withDefaults() Options {
	if o.App == "" {
		o.App = "ledgerline"
	}
	if o.UsagePartitions <= 0 {
		o.UsagePartitions = 6
	}
	return o
}

// ChangelogTopic names the changelog of a stage's store.
func ChangelogTopic(app, stage, store string) string {
	return app + "-" + stage + "-" + store + "-changelog"
}

// GroupID names the consumer group of a stage.
func GroupID(app, stage string) string { return app + "-" + stage }

// Stage names.
const (
	StageIngest      = "ingest"
	StageCatalogLoad = "catalog-load"
	StageDrift       = "drift"
	StageLakeSink    = "lake-sink"
	StageAPIPoll     = "api-poll"
)

// Drift stage store names.
const (
	StorePeriods = "periods"
	StoreAlerts  = "alerts"
	StoreUsage   = "usage"
)

const day = 24 * time.Hour

// New returns ledgerline's topology.
func New(opts Options) Topology {
	o := opts.withDefaults()
	p := o.UsagePartitions
	t := Topology{App: o.App}
	t.Topics = []Topic{
		{Name: TopicUsage, Partitions: p, Cleanup: CleanupDelete, Retention: 14 * day,
			Key: "ISRC, or DSP+UPC+title when the line has none", Value: avro.NameUsageEvent,
			Doc: "Validated, normalised usage lines."},
		{Name: TopicDeadLetter, Partitions: 3, Cleanup: CleanupDelete, Retention: 90 * day,
			Key: "source file SHA-256", Value: avro.NameDeadLetter,
			Doc: "Rejected input with raw bytes, location and reason code."},
		{Name: TopicReconciliation, Partitions: 1, Cleanup: CleanupCompact, Retention: -1,
			Key: "file SHA-256 + measure + currency", Value: avro.NameReconciliationFinding,
			Doc: "Declared totals of each report compared with computed ones."},
		{Name: TopicIngestLedger, Partitions: 3, Cleanup: CleanupCompact, Retention: -1,
			Key: "file SHA-256", Value: avro.NameIngestLedgerEntry,
			Doc: "Which report files are in, line by line, so no file is ingested twice."},
		{Name: TopicSyncCheckpoint, Partitions: 3, Cleanup: CleanupCompact, Retention: -1,
			Key: "API profile + account", Value: avro.NameSyncCheckpoint,
			Doc: "Where each DSP reporting-API sync is: watermark, window, cursor and item count, so no item is polled in twice."},
		{Name: TopicCatalog, Partitions: 3, Cleanup: CleanupCompact, Retention: -1,
			Key: "ISRC", Value: avro.NameCatalogRecord,
			Doc: "Authoritative recording metadata, versioned; materialised in full on every instance."},
		{Name: TopicUsageEnriched, Partitions: p, Cleanup: CleanupDelete, Retention: 14 * day,
			Key: "ISRC, or DSP+UPC+title", Value: avro.NameEnrichedUsageEvent,
			Doc: "Usage after the drift check, with catalog version and drift flags."},
		{Name: TopicDriftAlerts, Partitions: 3, Cleanup: CleanupDelete, Retention: 90 * day,
			Key: "ISRC, or alert_id when unidentified", Value: avro.NameDriftAlert,
			Doc: "Deduplicated metadata drift alerts; later records of an alert_id update its count."},
		{Name: TopicDriftReview, Partitions: 1, Cleanup: CleanupDelete, Retention: 365 * day,
			Key: "ISRC, or alert_id", Value: avro.NameDriftAlert,
			Doc: "Critical drift alerts: the manual review queue."},
	}
	driftStores := []Store{
		{Name: StorePeriods, Doc: "last reported metadata per ISRC, DSP and period"},
		{Name: StoreAlerts, Doc: "deduplication state per alert"},
		{Name: StoreUsage, Doc: "periods with usage per ISRC and DSP, for catalog changes"},
	}
	for i := range driftStores {
		s := &driftStores[i]
		s.Changelog = ChangelogTopic(o.App, StageDrift, s.Name)
		t.Topics = append(t.Topics, Topic{Name: s.Changelog, Partitions: p, Cleanup: CleanupCompact, Retention: -1,
			Key: "store key", Value: "store value (internal)", FollowsPartitionsOf: TopicUsage,
			Doc: "Changelog of the drift stage's " + s.Name + " store."})
	}
	t.Stages = []Stage{
		{Name: StageIngest, Kind: KindSource, Component: "connectors/reportfile + processors/validate",
			External: []string{"report files (CSV/TSV/DSR, gzip/zip)"},
			Inputs:   []string{TopicIngestLedger},
			Outputs:  []string{TopicUsage, TopicDeadLetter, TopicReconciliation, TopicIngestLedger},
			Doc:      "Parses report files, validates each line at the boundary; lines and ledger progress commit in one transaction per chunk."},
		{Name: StageCatalogLoad, Kind: KindSource, Component: "processors/validate",
			External: []string{"catalog CSV / JSON lines"},
			Outputs:  []string{TopicCatalog, TopicDeadLetter},
			Doc:      "Publishes validated catalog records, new versions only."},
		{Name: StageDrift, Kind: KindProcessor, Component: "processors/drift on topology/runtime",
			Inputs: []string{TopicUsage}, Global: []string{TopicCatalog},
			Outputs: []string{TopicUsageEnriched, TopicDriftAlerts, TopicDriftReview},
			Stores:  driftStores,
			Doc:     "Checks every event against the catalog and its previous period; exactly-once read-process-write."},
		{Name: StageLakeSink, Kind: KindSink, Component: "connectors/lake",
			Inputs: []string{TopicUsageEnriched}, External: []string{"Parquet lake (ingest_date/dsp/territory)"},
			Doc: "Writes windowed Parquet files named by offset range; commits offsets after the atomic rename."},
		{Name: StageAPIPoll, Kind: KindSource, Component: "connectors/dspapi + processors/validate",
			External: []string{"DSP reporting APIs (HTTP/JSON, paginated)"},
			Inputs:   []string{TopicSyncCheckpoint},
			Outputs:  []string{TopicUsage, TopicDeadLetter, TopicSyncCheckpoint},
			Doc:      "Polls reporting APIs in sync windows, validates each item at the boundary; items and the sync checkpoint commit in one transaction per page."},
	}
	if o.TopicPrefix != "" {
		t.prefixTopics(o)
	}
	return t
}

// prefixTopics renames every topic but the changelogs, and the references
// to them, with o's prefix.
func (t *Topology) prefixTopics(o Options) {
	t.TopicPrefix = o.TopicPrefix
	changelog := map[string]bool{}
	for _, s := range t.Stages {
		for _, st := range s.Stores {
			changelog[st.Changelog] = true
		}
	}
	rename := func(n string) string {
		if n == "" || changelog[n] {
			return n
		}
		return o.Topic(n)
	}
	renameAll := func(ns []string) {
		for i, n := range ns {
			ns[i] = rename(n)
		}
	}
	for i := range t.Topics {
		tp := &t.Topics[i]
		tp.Name, tp.FollowsPartitionsOf = rename(tp.Name), rename(tp.FollowsPartitionsOf)
	}
	for i := range t.Stages {
		s := &t.Stages[i]
		renameAll(s.Inputs)
		renameAll(s.Outputs)
		renameAll(s.Global)
	}
}

// Topic returns the named topic.
func (t Topology) Topic(name string) (Topic, bool) {
	for _, tp := range t.Topics {
		if tp.Name == name {
			return tp, true
		}
	}
	return Topic{}, false
}

// Stage returns the named stage.
func (t Topology) Stage(name string) (Stage, bool) {
	for _, s := range t.Stages {
		if s.Name == name {
			return s, true
		}
	}
	return Stage{}, false
}

// Validate checks that every topic a stage touches is declared, that
// changelogs are co-partitioned with their input, that no two topics share
// a name, that compacted topics are keyed, and that the stage graph has no
// cycle between distinct stages.
func (t Topology) Validate() error {
	var errs []error
	names := map[string]Topic{}
	for _, tp := range t.Topics {
		if _, dup := names[tp.Name]; dup {
			errs = append(errs, fmt.Errorf("topic %s declared twice", tp.Name))
		}
		names[tp.Name] = tp
		if err := checkTopicName(tp.Name); err != nil {
			errs = append(errs, err)
		}
		if tp.Partitions <= 0 {
			errs = append(errs, fmt.Errorf("topic %s: %d partitions", tp.Name, tp.Partitions))
		}
		if tp.Cleanup != CleanupDelete && tp.Cleanup != CleanupCompact {
			errs = append(errs, fmt.Errorf("topic %s: cleanup policy %q", tp.Name, tp.Cleanup))
		}
		if tp.Cleanup == CleanupCompact && tp.Key == "" {
			errs = append(errs, fmt.Errorf("topic %s: compacted but its key is undocumented", tp.Name))
		}
	}
	for _, tp := range t.Topics {
		if tp.FollowsPartitionsOf == "" {
			continue
		}
		src, ok := names[tp.FollowsPartitionsOf]
		if !ok {
			errs = append(errs, fmt.Errorf("topic %s follows undeclared topic %s", tp.Name, tp.FollowsPartitionsOf))
		} else if src.Partitions != tp.Partitions {
			errs = append(errs, fmt.Errorf("topic %s has %d partitions but must match %s (%d)", tp.Name, tp.Partitions, src.Name, src.Partitions))
		}
	}
	for _, s := range t.Stages {
		for _, list := range [][]string{s.Inputs, s.Outputs, s.Global} {
			for _, name := range list {
				if _, ok := names[name]; !ok {
					errs = append(errs, fmt.Errorf("stage %s uses undeclared topic %s", s.Name, name))
				}
			}
		}
		for _, st := range s.Stores {
			if _, ok := names[st.Changelog]; !ok {
				errs = append(errs, fmt.Errorf("stage %s store %s: changelog %s undeclared", s.Name, st.Name, st.Changelog))
			}
		}
	}
	if cyc := t.cycle(); cyc != nil {
		errs = append(errs, fmt.Errorf("stages form a cycle: %v", cyc))
	}
	return errors.Join(errs...)
}

// cycle returns a cycle of distinct stages connected through topics, if
// any. A stage reading what it writes itself (the ingest ledger) is not a
// cycle of the data path.
func (t Topology) cycle() []string {
	writers := map[string][]string{}
	for _, s := range t.Stages {
		for _, o := range s.Outputs {
			writers[o] = append(writers[o], s.Name)
		}
	}
	next := map[string][]string{} // stage -> stages reading its output
	for _, s := range t.Stages {
		for _, in := range append(append([]string{}, s.Inputs...), s.Global...) {
			for _, w := range writers[in] {
				if w != s.Name {
					next[w] = append(next[w], s.Name)
				}
			}
		}
	}
	state := map[string]int{}
	var path []string
	var visit func(string) []string
	visit = func(n string) []string {
		state[n] = 1
		path = append(path, n)
		for _, m := range next[n] {
			if state[m] == 1 {
				return append(append([]string{}, path...), m)
			}
			if state[m] == 0 {
				if c := visit(m); c != nil {
					return c
				}
			}
		}
		state[n] = 2
		path = path[:len(path)-1]
		return nil
	}
	stages := make([]string, 0, len(t.Stages))
	for _, s := range t.Stages {
		stages = append(stages, s.Name)
	}
	sort.Strings(stages)
	for _, s := range stages {
		if state[s] == 0 {
			if c := visit(s); c != nil {
				return c
			}
		}
	}
	return nil
}

// checkTopicName applies Kafka's rules for topic names: 1 to 249 ASCII
// letters, digits, '.', '_' and '-', and neither "." nor "..".
func checkTopicName(name string) error {
	if name == "" || len(name) > 249 || name == "." || name == ".." {
		return fmt.Errorf("topic name %q: Kafka takes 1 to 249 characters, not \".\" or \"..\"", name)
	}
	for _, c := range []byte(name) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return fmt.Errorf("topic name %q: Kafka takes only ASCII letters, digits, '.', '_' and '-'", name)
		}
	}
	return nil
}
