package validate

import (
	"time"

	"github.com/ledgerline/ledgerline/avro"
)

// Stages that reject input, for avro.DeadLetter.Stage.
const (
	StageIngest      = "ingest"
	StageCatalogLoad = "catalog-load"
)

// DeadLetter builds the dead letter of a rejected line: its identity is the
// line's EventID, and it carries the line's lineage, the reason, the field,
// the message and the raw text.
func DeadLetter(l *Line, rej *Rejection, stage string, now time.Time) avro.DeadLetter {
	return deadLetter(l.Source, l.Source.Line, l.Raw, rej, stage, now)
}

// CatalogDeadLetter builds the dead letter of a rejected catalog record;
// src names the catalog file (FileName, FileSHA256, Profile).
func CatalogDeadLetter(src avro.Source, c *CatalogInput, rej *Rejection, stage string, now time.Time) avro.DeadLetter {
	return deadLetter(src, c.Line, c.Raw, rej, stage, now)
}

func deadLetter(src avro.Source, line int64, raw []byte, rej *Rejection, stage string, now time.Time) avro.DeadLetter {
	d := avro.DeadLetter{
		DeadLetterID: EventID(src.FileSHA256, line),
		Stage:        stage,
		FileName:     src.FileName,
		FileSHA256:   src.FileSHA256,
		Line:         line,
		Profile:      src.Profile,
		Reason:       rej.Reason,
		Message:      rej.Message,
		Raw:          raw,
		Time:         now,
	}
	if rej.Field != "" {
		field := rej.Field
		d.Field = &field
	}
	return d
}
