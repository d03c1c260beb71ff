package avro

import "time"

// DriftAlert is reported metadata that differs from the catalog or from an
// earlier reporting period.
type DriftAlert struct {
	AlertID        string
	Kind           string
	Severity       string
	ISRC           *string
	Field          string
	ReportedValue  string
	CatalogValue   *string
	CatalogVersion *int64
	Detail         string
	DSP            string
	PeriodStart    time.Time
	PeriodEnd      time.Time
	FirstSeen      time.Time
	LastSeen       time.Time
	Count          int64
	SampleEventIDs []string
}

func alertToNative(a *DriftAlert) (map[string]any, error) {
	return map[string]any{
		"alert_id":         a.AlertID,
		"kind":             a.Kind,
		"severity":         a.Severity,
		"isrc":             optString(a.ISRC),
		"field":            a.Field,
		"reported_value":   a.ReportedValue,
		"catalog_value":    optString(a.CatalogValue),
		"catalog_version":  optLong(a.CatalogVersion),
		"detail":           a.Detail,
		"dsp":              a.DSP,
		"period_start":     dateValue(a.PeriodStart),
		"period_end":       dateValue(a.PeriodEnd),
		"first_seen":       a.FirstSeen,
		"last_seen":        a.LastSeen,
		"count":            a.Count,
		"sample_event_ids": strings2any(a.SampleEventIDs),
	}, nil
}

func alertFromNative(m map[string]any) (DriftAlert, error) {
	r := fieldReader{m: m}
	a := DriftAlert{
		AlertID:        r.str("alert_id"),
		Kind:           r.str("kind"),
		Severity:       r.str("severity"),
		ISRC:           r.optStr("isrc"),
		Field:          r.str("field"),
		ReportedValue:  r.str("reported_value"),
		CatalogValue:   r.optStr("catalog_value"),
		CatalogVersion: r.optLong("catalog_version"),
		Detail:         r.str("detail"),
		DSP:            r.str("dsp"),
		PeriodStart:    r.date("period_start"),
		PeriodEnd:      r.date("period_end"),
		FirstSeen:      r.timestamp("first_seen"),
		LastSeen:       r.timestamp("last_seen"),
		Count:          r.long("count"),
		SampleEventIDs: r.strs("sample_event_ids"),
	}
	return a, r.err
}
