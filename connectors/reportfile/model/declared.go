package model

// Measures used in Declared.Measure.
const (
	MeasureRows           = "rows"            // number of data rows
	MeasureUnits          = "units"           // sum of FieldUnits
	MeasureAmount         = "amount"          // sum of FieldAmount
	MeasureLinesInFile    = "lines_in_file"   // Structure.PhysicalLines
	MeasureLinesInReport  = "lines_in_report" // lines over all files of a multi-file report
	MeasureBlocks         = "blocks"          // Structure.Blocks
	MeasureBlocksInReport = "blocks_in_report"
	MeasureSummaryRecords = "summary_records" // Structure.SummaryRows
	MeasureUsages         = "usages"          // sum of FieldUnits of the scope's rows
	MeasureNetRevenue     = "net_revenue"     // a DSR summary record's net revenue
)

// Declared is a total a file states about itself, for reconciliation.
type Declared struct {
	// Measure names what is counted or summed ("rows", "units",
	// "amount", "lines_in_file", "blocks", "usages", ...).
	Measure string
	// Currency is the currency of an amount as written, "" otherwise.
	Currency string
	// Value is the total as written ("20", "(68.01)", "566.67").
	Value string
	// Tolerance is the documented reconciliation tolerance: "0" for exact
	// counts, "0.01" for amounts rounded to cents by the DSP, ...
	Tolerance string
	// Scope names the rows the total covers; see Row.Scope.
	Scope string
	// Line is the line the total was read from.
	Line int64
	// FromTerms says the total's computed counterpart is the sum of the
	// Row.Terms with the same Measure over the rows of Scope, rather than
	// the built-in counterpart of the measure.
	FromTerms bool `json:",omitempty"`
	// NotComputable, when set, says why the total cannot be computed from
	// the file's rows (a DSR summary record's service-wide usages, a
	// balance brought forward from earlier statements). Such a total is
	// reported but not compared.
	NotComputable string `json:",omitempty"`
}
