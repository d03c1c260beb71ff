package drift

import "github.com/ledgerline/ledgerline/processors"

// Outputs of the processor.
const (
	// OutEnriched receives every event as an *avro.EnrichedUsageEvent,
	// keyed like its usage record: by the input record's key (ISRC, or
	// DSP, UPC and title for events without one); by ISRC, or event_id
	// without one, when the input record has no key.
	OutEnriched processors.Output = "enriched"
	// OutAlerts receives each new or updated *avro.DriftAlert once per
	// Flush, keyed by ISRC (by alert_id for unidentified events).
	OutAlerts processors.Output = "alerts"
	// OutReview receives the critical alerts again, with the same key.
	OutReview processors.Output = "review"
)

// Names of the state stores the runtime must create for each partition.
const (
	StorePeriods = "periods"
	StoreAlerts  = "alerts"
	StoreUsage   = "usage"
)

// Stores lists the state stores the processor uses.
func Stores() []string { return []string{StorePeriods, StoreAlerts, StoreUsage} }

// Alert kinds.
const (
	KindUnknownISRC    = "unknown_isrc"
	KindUnidentified   = "unidentified"
	KindTitleMismatch  = "title_mismatch"
	KindArtistMismatch = "artist_mismatch"
	KindISWCMismatch   = "iswc_mismatch"
	KindUPCMismatch    = "upc_mismatch"
	KindPeriodChange   = "period_change"
	KindCatalogChanged = "catalog_changed"
)

// Alert severities.
const (
	SeverityInfo     = "info"
	SeverityWarn     = "warn"
	SeverityCritical = "critical"
)

// Field names alerts refer to.
const (
	FieldISRC    = "isrc"
	FieldTitle   = "track_title"
	FieldArtists = "artists"
	FieldISWC    = "iswc"
	FieldUPC     = "upc"
	FieldSplits  = "splits"
)
