package state

import (
	"cmp"
	"slices"
	"sync"
)

// Phase is the lifecycle phase of a Store or GlobalTable.
type Phase int32

const (
	// PhaseRestoring: replaying Kafka into the local database; reads may
	// see old data.
	PhaseRestoring Phase = iota
	// PhaseReady: caught up to the end offsets taken when it was opened.
	PhaseReady
	// PhaseFailed: restoring or background consumption stopped on an
	// error (see Readiness.Err).
	PhaseFailed
	// PhaseClosed: closed; it serves nothing.
	PhaseClosed
)

func (p Phase) String() string {
	switch p {
	case PhaseRestoring:
		return "restoring"
	case PhaseReady:
		return "ready"
	case PhaseFailed:
		return "failed"
	case PhaseClosed:
		return "closed"
	}
	return "unknown"
}

// PartitionProgress is how far one topic partition has been read.
type PartitionProgress struct {
	Partition int32
	// Position is the next offset to read.
	Position int64
	// Target is the end offset the restore (or WaitReady) waits for; -1
	// for a partition found after opening, which has no target.
	Target int64
}

// Readiness is a snapshot of the state of one Store or GlobalTable.
type Readiness struct {
	// Name is the store name, or the topic of a global table.
	Name string
	// Topic is the changelog topic (Store) or the table's topic.
	Topic string
	// Partition is the store's partition, or -1 for a global table.
	Partition int32
	Phase     Phase
	// Replayed counts the records applied since opening.
	Replayed   int64
	Partitions []PartitionProgress
	// Err is set in PhaseFailed.
	Err error
}

// tracker is the mutable readiness of one Store or GlobalTable. All methods
// are safe for concurrent use.
type tracker struct {
	mu sync.Mutex
	r  Readiness
}

func newTracker(name, topic string, partition int32) *tracker {
	return &tracker{r: Readiness{Name: name, Topic: topic, Partition: partition, Phase: PhaseRestoring}}
}

func (t *tracker) snapshot() Readiness {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.r
	r.Partitions = slices.Clone(t.r.Partitions)
	return r
}

func (t *tracker) setPhase(p Phase, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.r.Phase == PhaseClosed {
		return
	}
	t.r.Phase = p
	t.r.Err = err
}

// progress records that n more records were applied and that partition p
// is now at position pos.
func (t *tracker) progress(p int32, pos int64, n int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.r.Replayed += n
	for i := range t.r.Partitions {
		if t.r.Partitions[i].Partition == p {
			t.r.Partitions[i].Position = max(t.r.Partitions[i].Position, pos)
			return
		}
	}
	t.r.Partitions = append(t.r.Partitions, PartitionProgress{Partition: p, Position: pos, Target: -1})
	t.sortPartitions()
}

// target sets the target end offset of partition p.
func (t *tracker) target(p int32, pos, target int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range t.r.Partitions {
		if t.r.Partitions[i].Partition == p {
			t.r.Partitions[i].Target = target
			return
		}
	}
	t.r.Partitions = append(t.r.Partitions, PartitionProgress{Partition: p, Position: pos, Target: target})
	t.sortPartitions()
}

func (t *tracker) sortPartitions() {
	slices.SortFunc(t.r.Partitions, func(a, b PartitionProgress) int { return cmp.Compare(a.Partition, b.Partition) })
}

// reporter is anything that can describe its readiness.
type reporter interface {
	Readiness() Readiness
}

// Registry lists open Stores and GlobalTables for a readiness endpoint.
// Stores and tables add themselves when opened with a Registry and remove
// themselves when closed. The zero value is not usable; use NewRegistry. A
// nil *Registry is valid and records nothing.
type Registry struct {
	mu sync.Mutex
	m  map[reporter]struct{}
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{m: make(map[reporter]struct{})}
}

func (r *Registry) add(x reporter) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[x] = struct{}{}
}

func (r *Registry) remove(x reporter) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, x)
}

// Snapshot returns the readiness of every registered store and table,
// sorted by name and partition.
func (r *Registry) Snapshot() []Readiness {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	xs := make([]reporter, 0, len(r.m))
	for x := range r.m {
		xs = append(xs, x)
	}
	r.mu.Unlock()

	out := make([]Readiness, len(xs))
	for i, x := range xs {
		out[i] = x.Readiness()
	}
	slices.SortFunc(out, func(a, b Readiness) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Partition, b.Partition))
	})
	return out
}

// Ready reports whether every registered store and table is in PhaseReady.
// An empty registry is ready.
func (r *Registry) Ready() bool {
	for _, x := range r.Snapshot() {
		if x.Phase != PhaseReady {
			return false
		}
	}
	return true
}
