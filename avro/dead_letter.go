package avro

import "time"

// Reason codes of a dead letter: the fixed vocabulary of the boundary
// contract.
const (
	ReasonMalformedRow     = "malformed_row"
	ReasonMissingField     = "missing_field"
	ReasonInvalidISRC      = "invalid_isrc"
	ReasonInvalidUPC       = "invalid_upc"
	ReasonInvalidISWC      = "invalid_iswc"
	ReasonInvalidTerritory = "invalid_territory"
	ReasonInvalidCurrency  = "invalid_currency"
	ReasonInvalidNumber    = "invalid_number"
	ReasonInvalidDate      = "invalid_date"
	ReasonInvalidSplit     = "invalid_split"
)

// DeadLetter is input rejected at the boundary.
type DeadLetter struct {
	DeadLetterID string
	Stage        string
	FileName     string
	FileSHA256   string
	Line         int64
	Profile      string
	Reason       string
	Field        *string
	Message      string
	Raw          []byte
	Time         time.Time
}

func deadLetterToNative(d *DeadLetter) (map[string]any, error) {
	raw := d.Raw
	if raw == nil {
		raw = []byte{}
	}
	return map[string]any{
		"dead_letter_id": d.DeadLetterID,
		"stage":          d.Stage,
		"file_name":      d.FileName,
		"file_sha256":    d.FileSHA256,
		"line":           d.Line,
		"profile":        d.Profile,
		"reason":         d.Reason,
		"field":          optString(d.Field),
		"message":        d.Message,
		"raw":            raw,
		"time":           d.Time,
	}, nil
}

func deadLetterFromNative(m map[string]any) (DeadLetter, error) {
	r := fieldReader{m: m}
	d := DeadLetter{
		DeadLetterID: r.str("dead_letter_id"),
		Stage:        r.str("stage"),
		FileName:     r.str("file_name"),
		FileSHA256:   r.str("file_sha256"),
		Line:         r.long("line"),
		Profile:      r.str("profile"),
		Reason:       r.str("reason"),
		Field:        r.optStr("field"),
		Message:      r.str("message"),
		Raw:          r.bytes("raw"),
		Time:         r.timestamp("time"),
	}
	return d, r.err
}
