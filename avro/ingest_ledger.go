package avro

import "time"

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
	Updated        time.Time
}

func ledgerToNative(e *IngestLedgerEntry) (map[string]any, error) {
	return map[string]any{
		"file_sha256":     e.FileSHA256,
		"file_name":       e.FileName,
		"profile":         e.Profile,
		"status":          e.Status,
		"lines_committed": e.LinesCommitted,
		"accepted":        e.Accepted,
		"rejected":        e.Rejected,
		"updated":         e.Updated,
	}, nil
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
		Updated:        r.timestamp("updated"),
	}
	return e, r.err
}
