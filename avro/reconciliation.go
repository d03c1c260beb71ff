package avro

// ReconciliationFinding compares a total a report declares with what
// ingestion computed.
type ReconciliationFinding struct {
	FileSHA256 string
	FileName   string
	Profile    string
	Measure    string
	Currency   *string
	Declared   string
	Computed   string
	Tolerance  string
	Matched    bool
}

func reconToNative(f *ReconciliationFinding) (map[string]any, error) {
	return map[string]any{
		"file_sha256": f.FileSHA256,
		"file_name":   f.FileName,
		"profile":     f.Profile,
		"measure":     f.Measure,
		"currency":    optString(f.Currency),
		"declared":    f.Declared,
		"computed":    f.Computed,
		"tolerance":   f.Tolerance,
		"matched":     f.Matched,
	}, nil
}

func reconFromNative(m map[string]any) (ReconciliationFinding, error) {
	r := fieldReader{m: m}
	f := ReconciliationFinding{
		FileSHA256: r.str("file_sha256"),
		FileName:   r.str("file_name"),
		Profile:    r.str("profile"),
		Measure:    r.str("measure"),
		Currency:   r.optStr("currency"),
		Declared:   r.str("declared"),
		Computed:   r.str("computed"),
		Tolerance:  r.str("tolerance"),
		Matched:    r.boolean("matched"),
	}
	return f, r.err
}
