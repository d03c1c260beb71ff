package model

import "fmt"

// Anomaly is something odd the reader noticed outside data rows (a record
// without a known layout, repaired text, ...). Anomalies never stop
// parsing.
type Anomaly struct {
	Line    int64
	Message string
}

// Skipped is a row a profile rule recognised as not being a sale.
type Skipped struct {
	Line   int64
	Reason string
	Raw    string
}

// DefaultNoteLimit bounds how many anomalies and skipped rows a reader
// keeps, so memory stays constant whatever the file size.
const DefaultNoteLimit = 1000

// Notes collects anomalies and skipped rows up to a limit, counting the
// ones it drops.
type Notes struct {
	Limit     int
	anomalies []Anomaly
	skipped   []Skipped
	dropped   int64
}

func (n *Notes) limit() int {
	if n.Limit > 0 {
		return n.Limit
	}
	return DefaultNoteLimit
}

// Anomalyf records an anomaly.
func (n *Notes) Anomalyf(line int64, format string, args ...any) {
	if len(n.anomalies) >= n.limit() {
		n.dropped++
		return
	}
	n.anomalies = append(n.anomalies, Anomaly{Line: line, Message: fmt.Sprintf(format, args...)})
}

// Skip records a skipped row; raw is copied.
func (n *Notes) Skip(line int64, reason string, raw []byte) {
	if len(n.skipped) >= n.limit() {
		n.dropped++
		return
	}
	n.skipped = append(n.skipped, Skipped{Line: line, Reason: reason, Raw: string(raw)})
}

// Anomalies returns the recorded anomalies.
func (n *Notes) Anomalies() []Anomaly { return n.anomalies }

// Skipped returns the recorded skipped rows.
func (n *Notes) Skipped() []Skipped { return n.skipped }

// Dropped returns how many notes were not kept because of the limit.
func (n *Notes) Dropped() int64 { return n.dropped }
