package model

// NumberStyle tells how numbers are written in a file.
type NumberStyle struct {
	// Decimal is the decimal separator: '.', ',' or 0 when unknown.
	Decimal byte
	// Thousands is the grouping separator: ',', '.', ' ', '\'' or 0 when
	// none or unknown.
	Thousands byte
}

// Date orders for slash dates, used in Row.DateOrder.
const (
	DateOrderMDY = "MDY"
	DateOrderDMY = "DMY"
	DateOrderYMD = "YMD"
)

// Row is one data line of a report.
type Row struct {
	// Line is the 1-based line number, in the decoded text, where the row
	// starts.
	Line int64
	// Raw is the row's text as it appears in the file, decoded to UTF-8,
	// without its line terminator. It aliases a buffer of the reader and
	// is valid only until the next call to Next; copy it to keep it.
	Raw []byte
	// Cells holds the canonical cells, "" when absent. The strings do not
	// alias reader buffers and stay valid.
	Cells [NumFields]string
	// Malformed is non-empty when the row is structurally broken (wrong
	// cell count, unterminated quote, a DSR usage record referencing an
	// unknown block or summary record, ...). Such a row is still returned.
	Malformed string
	// MissingField is the first mapped field whose cell is absent from a
	// short row; meaningful only when HasMissing is true.
	MissingField Field
	// HasMissing reports whether MissingField is set.
	HasMissing bool
	// Numbers is the number style of the file or profile.
	Numbers NumberStyle
	// DateOrder is "MDY", "DMY" or "YMD" for slash dates, "" when unknown.
	DateOrder string
	// Scope names the part of the file the row belongs to, matching
	// Declared.Scope of the totals that cover it: "" for the whole file,
	// "summary S1" for a DSR summary record, "income type M" for a
	// ClicknClear section.
	Scope string
	// Assumed holds the fields whose value the profile assumes rather than
	// the file states (a currency the layout never names, a payment date
	// standing in for the sales period). Consumers must mark such values.
	Assumed FieldSet
	// NotReported holds the fields the row's layout does not report at
	// all (a DDEX Basic Audio usage record has streams but no revenue);
	// their cells are empty.
	NotReported FieldSet
	// Terms are the row's contributions to declared totals computed from
	// columns other than the canonical fields (Declared.FromTerms). The
	// slice aliases a buffer of the reader, like Raw; the strings do not.
	Terms []Term
}

// Term is one row's contribution to a declared total: a number as written,
// to be added (or subtracted, when Negate is set) to the total named by
// Measure.
type Term struct {
	Measure string
	Value   string
	Negate  bool
}
