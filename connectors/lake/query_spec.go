package lake

import (
	"fmt"
	"slices"
	"time"
)

// Dimension is a column totals can be grouped by.
type Dimension string

// Grouping dimensions of Query.
const (
	DimISRC      Dimension = "isrc"      // the reported ISRC ("" when none)
	DimDSP       Dimension = "dsp"       // the reporting service
	DimTerritory Dimension = "territory" // the territory code
	DimPeriod    Dimension = "period"    // YYYY-MM of period_start
)

// QuerySpec selects and groups lake rows. Empty filters match everything;
// ranges are inclusive. Totals are always split by currency.
type QuerySpec struct {
	GroupBy []Dimension

	IngestFrom, IngestTo string // YYYY-MM-DD, UTC day of ingest_time
	PeriodFrom, PeriodTo string // YYYY-MM of period_start
	DSPs                 []string
	Territories          []string
	ISRCs                []string
}

// filter is a validated QuerySpec.
type filter struct {
	ingestFrom, ingestTo string
	periodFrom, periodTo string
	dsps, territories    set
	isrcs                set
	minIngestMs          int64 // bounds of ingest_time for row-group pruning
	maxIngestMs          int64
	minPeriodDay         int32 // bounds of period_start
	maxPeriodDay         int32
}

type set map[string]bool

func newSet(vs []string) set {
	if len(vs) == 0 {
		return nil
	}
	s := make(set, len(vs))
	for _, v := range vs {
		s[v] = true
	}
	return s
}

// allows reports whether v passes a set filter (nil: no filter).
func (s set) allows(v string) bool { return s == nil || s[v] }

func (s set) sorted() []string {
	out := make([]string, 0, len(s))
	for v := range s {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func (q QuerySpec) compile() (*filter, error) {
	for _, d := range q.GroupBy {
		switch d {
		case DimISRC, DimDSP, DimTerritory, DimPeriod:
		default:
			return nil, fmt.Errorf("lake: unknown group-by dimension %q", d)
		}
	}
	f := &filter{
		ingestFrom: q.IngestFrom, ingestTo: q.IngestTo,
		periodFrom: q.PeriodFrom, periodTo: q.PeriodTo,
		dsps: newSet(q.DSPs), territories: newSet(q.Territories), isrcs: newSet(q.ISRCs),
		minIngestMs: -1 << 63, maxIngestMs: 1<<63 - 1,
		minPeriodDay: -1 << 31, maxPeriodDay: 1<<31 - 1,
	}
	parse := func(layout, v, what string) (time.Time, error) {
		t, err := time.Parse(layout, v)
		if err != nil {
			return t, fmt.Errorf("lake: %s %q: want %s", what, v, layout)
		}
		return t, nil
	}
	if q.IngestFrom != "" {
		t, err := parse(time.DateOnly, q.IngestFrom, "ingest date")
		if err != nil {
			return nil, err
		}
		f.minIngestMs = t.UnixMilli()
	}
	if q.IngestTo != "" {
		t, err := parse(time.DateOnly, q.IngestTo, "ingest date")
		if err != nil {
			return nil, err
		}
		f.maxIngestMs = t.Add(day).UnixMilli() - 1
	}
	if q.PeriodFrom != "" {
		t, err := parse("2006-01", q.PeriodFrom, "period")
		if err != nil {
			return nil, err
		}
		f.minPeriodDay = epochDay(t)
	}
	if q.PeriodTo != "" {
		t, err := parse("2006-01", q.PeriodTo, "period")
		if err != nil {
			return nil, err
		}
		f.maxPeriodDay = epochDay(t.AddDate(0, 1, 0)) - 1
	}
	return f, nil
}

// inRange reports whether from <= v <= to for open-ended string ranges.
func inRange(v, from, to string) bool {
	return (from == "" || v >= from) && (to == "" || v <= to)
}

// partition decides from a key=value directory whether rows below it can
// match (path pruning).
func (f *filter) partition(key PartitionKey, escaped string) bool {
	v, exact := UnescapeValue(escaped)
	switch key {
	case KeyIngestDate:
		return !exact || inRange(v, f.ingestFrom, f.ingestTo)
	case KeyPeriod:
		return !exact || inRange(v, f.periodFrom, f.periodTo)
	case KeyDSP:
		return escapedIn(escaped, f.dsps)
	case KeyTerritory:
		return escapedIn(escaped, f.territories)
	}
	return true
}

func escapedIn(escaped string, s set) bool {
	if s == nil {
		return true
	}
	for v := range s {
		if EscapeValue(v) == escaped {
			return true
		}
	}
	return false
}

// row reports whether a row matches every filter.
func (f *filter) row(r *aggRecord) bool {
	if r.IngestTime < f.minIngestMs || r.IngestTime > f.maxIngestMs {
		return false
	}
	if r.PeriodStart < f.minPeriodDay || r.PeriodStart > f.maxPeriodDay {
		return false
	}
	if !f.dsps.allows(r.DSP) || !f.territories.allows(r.Territory) {
		return false
	}
	if f.isrcs != nil && (r.ISRC == nil || !f.isrcs[*r.ISRC]) {
		return false
	}
	return true
}
