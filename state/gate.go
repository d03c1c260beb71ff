package state

import "sync"

// gate lets operations run until it is closed, and lets close wait for the
// operations in flight. Unlike an RWMutex it never blocks enter: after close
// begins, enter fails at once, so an operation nested in another (a Put from
// an Iterate callback) cannot deadlock against a concurrent Close.
type gate struct {
	mu     sync.Mutex
	idle   *sync.Cond
	n      int
	closed bool
}

func newGate() *gate {
	g := &gate{}
	g.idle = sync.NewCond(&g.mu)
	return g
}

// enter admits one operation; it reports false once close has begun.
func (g *gate) enter() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.n++
	return true
}

// exit ends an operation admitted by enter.
func (g *gate) exit() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n--
	if g.n == 0 {
		g.idle.Broadcast()
	}
}

// close stops admitting operations and waits for those in flight. Only the
// first call reports true.
func (g *gate) close() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	first := !g.closed
	g.closed = true
	for g.n > 0 {
		g.idle.Wait()
	}
	return first
}
