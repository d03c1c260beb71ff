package runtime

import (
	"sync"

	"github.com/twmb/franz-go/pkg/kgo"
)

// fetchPauser pauses and resumes fetching one partition; *kgo.Client
// implements it.
type fetchPauser interface {
	PauseFetchPartitions(map[string][]int32) map[string][]int32
	ResumeFetchPartitions(map[string][]int32)
}

// queue is a task's bounded queue of consumed, unprocessed records. It
// pauses fetching its partition while it holds high records or more, or
// while the task is not ready (restoring its stores), and resumes it once
// the task is ready and the queue is down to low.
//
// Pause and resume happen under the queue's lock, so a push and a pop
// racing around the thresholds cannot leave the partition paused with an
// empty queue.
type queue struct {
	topic     string
	partition int32
	high, low int
	client    fetchPauser
	onDepth   func(depth int)   // reports the depth after every change
	onPause   func(paused bool) // reports pause state changes

	notify chan struct{} // signalled (non-blocking) on push

	mu      sync.Mutex
	recs    []*kgo.Record
	head    int // recs[head:] are queued
	paused  bool
	ready   bool // the task processes records; until then the partition stays paused
	stopped bool
}

func newQueue(topic string, partition int32, size int, client fetchPauser, onDepth func(int), onPause func(bool)) *queue {
	if size < 1 {
		size = 1
	}
	return &queue{
		topic:     topic,
		partition: partition,
		high:      size,
		low:       size / 2,
		client:    client,
		onDepth:   onDepth,
		onPause:   onPause,
		notify:    make(chan struct{}, 1),
	}
}

func (q *queue) depthLocked() int { return len(q.recs) - q.head }

func (q *queue) setPausedLocked(paused bool) {
	if q.paused == paused {
		return
	}
	q.paused = paused
	tp := map[string][]int32{q.topic: {q.partition}}
	if paused {
		q.client.PauseFetchPartitions(tp)
	} else {
		q.client.ResumeFetchPartitions(tp)
	}
	q.onPause(paused)
}

// hold pauses the partition until markReady: called when the task is
// created, before its partition is fetched.
func (q *queue) hold() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.setPausedLocked(true)
}

// markReady lets the task's records flow.
func (q *queue) markReady() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ready = true
	if !q.stopped && q.depthLocked() < q.high {
		q.setPausedLocked(false)
	}
}

// push appends records. It reports false, queueing nothing, when the queue
// is stopped.
func (q *queue) push(recs []*kgo.Record) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		return false
	}
	q.recs = append(q.recs, recs...)
	depth := q.depthLocked()
	if depth >= q.high {
		q.setPausedLocked(true)
	}
	q.onDepth(depth)
	select {
	case q.notify <- struct{}{}:
	default:
	}
	return true
}

// pop takes up to max queued records (all when max <= 0).
func (q *queue) pop(max int) []*kgo.Record {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := q.depthLocked()
	if n == 0 {
		return nil
	}
	if max > 0 && n > max {
		n = max
	}
	out := make([]*kgo.Record, n)
	copy(out, q.recs[q.head:q.head+n])
	clear(q.recs[q.head : q.head+n])
	q.head += n
	if q.head == len(q.recs) {
		q.recs, q.head = q.recs[:0], 0
	} else if q.head > len(q.recs)/2 {
		// Compact so the backing array does not grow without bound.
		rest := copy(q.recs, q.recs[q.head:])
		clear(q.recs[rest:])
		q.recs, q.head = q.recs[:rest], 0
	}
	depth := q.depthLocked()
	if q.ready && !q.stopped && depth <= q.low {
		q.setPausedLocked(false)
	}
	q.onDepth(depth)
	return out
}

// stop drops every queued record, refuses further pushes and lifts the
// pause (the partition is being revoked; a later owner decides anew). It
// returns how many records were dropped.
func (q *queue) stop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := q.depthLocked()
	clear(q.recs)
	q.recs, q.head = nil, 0
	q.stopped = true
	q.setPausedLocked(false)
	q.onDepth(0)
	return n
}
