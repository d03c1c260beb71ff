package avro

import (
	"time"

	"github.com/shopspring/decimal"
)

// Source is the lineage of a reported line.
type Source struct {
	DSP        string
	ReportID   string
	FileName   string
	FileSHA256 string
	Line       int64
	Profile    string
}

// UsageEvent is one reported sale, stream or usage line, normalised.
type UsageEvent struct {
	EventID         string
	Source          Source
	PeriodStart     time.Time // a calendar day, UTC midnight
	PeriodEnd       time.Time // a calendar day, UTC midnight, inclusive
	Territory       string
	ISRC            *string
	UPC             *string
	ISWC            *string
	ProprietaryID   *string
	TrackTitle      string
	VersionTitle    *string
	Artists         []string
	ReleaseTitle    *string
	Label           *string
	UseType         string
	UseTypeReported string
	CommercialModel string
	Units           int64
	Revenue         decimal.Decimal
	Currency        string
	NeedsMatch      bool
	Warnings        []string
	IngestTime      time.Time
}

func usageToNative(e *UsageEvent) (map[string]any, error) {
	rev, err := decimalToRat(e.Revenue, MoneyScale, "revenue")
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"event_id": e.EventID,
		"source": map[string]any{
			"dsp":         e.Source.DSP,
			"report_id":   e.Source.ReportID,
			"file_name":   e.Source.FileName,
			"file_sha256": e.Source.FileSHA256,
			"line":        e.Source.Line,
			"profile":     e.Source.Profile,
		},
		"period_start":      dateValue(e.PeriodStart),
		"period_end":        dateValue(e.PeriodEnd),
		"territory":         e.Territory,
		"isrc":              optString(e.ISRC),
		"upc":               optString(e.UPC),
		"iswc":              optString(e.ISWC),
		"proprietary_id":    optString(e.ProprietaryID),
		"track_title":       e.TrackTitle,
		"version_title":     optString(e.VersionTitle),
		"artists":           strings2any(e.Artists),
		"release_title":     optString(e.ReleaseTitle),
		"label":             optString(e.Label),
		"use_type":          e.UseType,
		"use_type_reported": e.UseTypeReported,
		"commercial_model":  e.CommercialModel,
		"units":             e.Units,
		"revenue":           rev,
		"currency":          e.Currency,
		"needs_match":       e.NeedsMatch,
		"warnings":          strings2any(e.Warnings),
		"ingest_time":       e.IngestTime,
	}, nil
}

func usageFromNative(m map[string]any) (UsageEvent, error) {
	r := fieldReader{m: m}
	src := fieldReader{m: r.record("source")}
	e := UsageEvent{
		EventID: r.str("event_id"),
		Source: Source{
			DSP:        src.str("dsp"),
			ReportID:   src.str("report_id"),
			FileName:   src.str("file_name"),
			FileSHA256: src.str("file_sha256"),
			Line:       src.long("line"),
			Profile:    src.str("profile"),
		},
		PeriodStart:     r.date("period_start"),
		PeriodEnd:       r.date("period_end"),
		Territory:       r.str("territory"),
		ISRC:            r.optStr("isrc"),
		UPC:             r.optStr("upc"),
		ISWC:            r.optStr("iswc"),
		ProprietaryID:   r.optStr("proprietary_id"),
		TrackTitle:      r.str("track_title"),
		VersionTitle:    r.optStr("version_title"),
		Artists:         r.strs("artists"),
		ReleaseTitle:    r.optStr("release_title"),
		Label:           r.optStr("label"),
		UseType:         r.str("use_type"),
		UseTypeReported: r.str("use_type_reported"),
		CommercialModel: r.str("commercial_model"),
		Units:           r.long("units"),
		Revenue:         r.decimal("revenue"),
		Currency:        r.str("currency"),
		NeedsMatch:      r.boolean("needs_match"),
		Warnings:        r.strs("warnings"),
		IngestTime:      r.timestamp("ingest_time"),
	}
	if r.err == nil {
		r.err = src.err
	}
	return e, r.err
}

// EnrichedUsageEvent is a usage event after the drift check.
type EnrichedUsageEvent struct {
	Event          UsageEvent
	CatalogVersion *int64
	MatchedISRC    *string
	Drift          []string
}

func enrichedToNative(e *EnrichedUsageEvent) (map[string]any, error) {
	ev, err := usageToNative(&e.Event)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"event":           ev,
		"catalog_version": optLong(e.CatalogVersion),
		"matched_isrc":    optString(e.MatchedISRC),
		"drift":           strings2any(e.Drift),
	}, nil
}

func enrichedFromNative(m map[string]any) (EnrichedUsageEvent, error) {
	r := fieldReader{m: m}
	ev, err := usageFromNative(r.record("event"))
	if err != nil {
		return EnrichedUsageEvent{}, err
	}
	e := EnrichedUsageEvent{
		Event:          ev,
		CatalogVersion: r.optLong("catalog_version"),
		MatchedISRC:    r.optStr("matched_isrc"),
		Drift:          r.strs("drift"),
	}
	return e, r.err
}
