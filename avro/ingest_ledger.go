package avro

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Status values of an IngestLedgerEntry.
const (
	LedgerInProgress = "in_progress"
	LedgerComplete   = "complete"
)

// IngestLedgerEntry is the progress of one report file through ingestion.
type IngestLedgerEntry struct {
	FileSHA256     string
	FileName       string
	Profile        string
	Status         string
	LinesCommitted int64
	Accepted       int64
	Rejected       int64
	AcceptedUnits  int64
	// AcceptedRevenue is per currency; a nil map is empty.
	AcceptedRevenue map[string]decimal.Decimal
	Updated         time.Time
}

func ledgerToNative(e *IngestLedgerEntry) (map[string]any, error) {
	return map[string]any{
		"file_sha256":      e.FileSHA256,
		"file_name":        e.FileName,
		"profile":          e.Profile,
		"status":           e.Status,
		"lines_committed":  e.LinesCommitted,
		"accepted":         e.Accepted,
		"rejected":         e.Rejected,
		"accepted_units":   e.AcceptedUnits,
		"accepted_revenue": revenueToNative(e.AcceptedRevenue),
		"updated":          e.Updated,
	}, nil
}

func revenueToNative(m map[string]decimal.Decimal) map[string]any {
	out := make(map[string]any, len(m))
	for c, v := range m {
		out[c] = v.String()
	}
	return out
}

func ledgerFromNative(m map[string]any) (IngestLedgerEntry, error) {
	r := fieldReader{m: m}
	e := IngestLedgerEntry{
		FileSHA256:     r.str("file_sha256"),
		FileName:       r.str("file_name"),
		Profile:        r.str("profile"),
		Status:         r.str("status"),
		LinesCommitted: r.long("lines_committed"),
		Accepted:       r.long("accepted"),
		Rejected:       r.long("rejected"),
		AcceptedUnits:  r.long("accepted_units"),
		Updated:        r.timestamp("updated"),
	}
	if m := r.record("accepted_revenue"); len(m) > 0 {
		e.AcceptedRevenue = make(map[string]decimal.Decimal, len(m))
		for c, v := range m {
			s, ok := v.(string)
			d, err := decimal.NewFromString(s)
			if !ok || err != nil {
				return e, fmt.Errorf("field accepted_revenue[%s]: %v is not a decimal string", c, v)
			}
			e.AcceptedRevenue[c] = d
		}
	}
	return e, r.err
}
