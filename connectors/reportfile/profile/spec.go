package profile

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Profile is one layout, as read from JSON.
type Profile struct {
	// Name identifies the profile ("apple-financial", "beatport", ...).
	Name string `json:"name"`
	// Description says which reports the profile reads.
	Description string `json:"description,omitempty"`
	// Reject, when set, marks files of this layout as not being sales
	// reports; the text says why, and opening such a file fails.
	Reject string `json:"reject,omitempty"`
	// Delimiter fixes the delimiter: "tab", "comma", "semicolon", "pipe"
	// or the character itself. Empty means detect it.
	Delimiter string `json:"delimiter,omitempty"`
	// Encoding is the encoding of files without a byte order mark
	// ("windows-1252", "utf-16le", ...); detection overrides it only when
	// the file is UTF-16 or UTF-8 with non-ASCII characters.
	Encoding string `json:"encoding,omitempty"`
	// NumberStyle tells the validator how numbers are written.
	NumberStyle NumberStyle `json:"number_style"`
	// DateOrder is "MDY", "DMY" or "YMD" for slash dates.
	DateOrder string `json:"date_order,omitempty"`
	// Header describes the column header row.
	Header *Header `json:"header,omitempty"`
	// FirstLine is a regular expression the first non-blank line of a
	// layout without a header row must match.
	FirstLine string `json:"first_line,omitempty"`
	// Columns maps canonical field names to columns.
	Columns map[string]ColumnSpec `json:"columns,omitempty"`
	// Rows lists rules for rows that are totals, not sales, or data with
	// their own layout. The first matching rule wins; rows matching none
	// are data rows mapped with Columns.
	Rows []RowRule `json:"rows,omitempty"`
	// Unmatched says what a row matching no rule is: "data" (default) or
	// "malformed" (a data row flagged as broken; for record-type layouts).
	Unmatched string `json:"unmatched,omitempty"`
	// TextTrailer describes a free-text trailer after the data.
	TextTrailer *TextTrailer `json:"text_trailer,omitempty"`
}

// NumberStyle is the number style of a profile.
type NumberStyle struct {
	// Decimal is "." or "," ("" when unknown).
	Decimal string `json:"decimal,omitempty"`
	// Thousands is ",", ".", " ", "'" or "" for none.
	Thousands string `json:"thousands,omitempty"`
}

// Header describes a header row.
type Header struct {
	// Required lists the column names that must all be present for the
	// profile to match. Names compare case-insensitively, ignoring white
	// space and underscores.
	Required []string `json:"required"`
	// SearchLines is how many non-blank lines from the top may precede
	// the header (title rows); default 20.
	SearchLines int `json:"search_lines,omitempty"`
}

// Ref names a column by header name (a JSON string) or by 1-based
// position (a JSON number).
type Ref struct {
	Name  string
	Index int
}

// String returns the name or "#n".
func (r Ref) String() string {
	if r.Name != "" {
		return fmt.Sprintf("%q", r.Name)
	}
	return fmt.Sprintf("#%d", r.Index)
}

// UnmarshalJSON accepts a string or a positive number.
func (r *Ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			return fmt.Errorf("empty column name")
		}
		*r = Ref{Name: s}
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("a column is a header name or a 1-based position, not %s", b)
	}
	if n < 1 {
		return fmt.Errorf("column position %d: positions start at 1", n)
	}
	*r = Ref{Index: n}
	return nil
}

// MarshalJSON writes the name or the position.
func (r Ref) MarshalJSON() ([]byte, error) {
	if r.Name != "" {
		return json.Marshal(r.Name)
	}
	return json.Marshal(r.Index)
}

// ColumnSpec maps one canonical field. In JSON it is a column ("ISRC" or
// 7), a list of fallback columns (["UPC", "Optional UPC"]: the first that
// is present and not empty), or an object with "column" or "columns",
// "const" (used when the columns give nothing, or alone), "when"
// (conditions the row must meet for the field to be set), "assumed" and
// "not_reported".
type ColumnSpec struct {
	Columns []Ref      `json:"columns,omitempty"`
	Const   string     `json:"const,omitempty"`
	When    Conditions `json:"when,omitempty"`
	// Assumed says the value is an assumption of the profile, not a
	// statement of the file (a currency the layout never names, a payment
	// date standing in for the sales period): rows mark the field in
	// Row.Assumed whenever the mapping gives a value.
	Assumed bool `json:"assumed,omitempty"`
	// NotReported says the layout has no such value at all (units or
	// amount only): rows mark the field in Row.NotReported.
	NotReported bool `json:"not_reported,omitempty"`
}

type columnSpecObject struct {
	Column      *Ref       `json:"column,omitempty"`
	Columns     []Ref      `json:"columns,omitempty"`
	Const       string     `json:"const,omitempty"`
	When        Conditions `json:"when,omitempty"`
	Assumed     bool       `json:"assumed,omitempty"`
	NotReported bool       `json:"not_reported,omitempty"`
}

// UnmarshalJSON accepts the three forms.
func (c *ColumnSpec) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return fmt.Errorf("empty column mapping")
	}
	switch b[0] {
	case '[':
		var refs []Ref
		if err := json.Unmarshal(b, &refs); err != nil {
			return err
		}
		*c = ColumnSpec{Columns: refs}
		return nil
	case '{':
		var o columnSpecObject
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			return err
		}
		*c = ColumnSpec{Columns: o.Columns, Const: o.Const, When: o.When, Assumed: o.Assumed, NotReported: o.NotReported}
		if o.Column != nil {
			c.Columns = append([]Ref{*o.Column}, c.Columns...)
		}
		return nil
	}
	var r Ref
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	*c = ColumnSpec{Columns: []Ref{r}}
	return nil
}

// Condition tests one cell. Exactly one of Equals, In, Pattern and Empty
// is set. Comparisons ignore case and surrounding white space.
type Condition struct {
	Column  Ref      `json:"column"`
	Equals  *string  `json:"equals,omitempty"`
	In      []string `json:"in,omitempty"`
	Pattern string   `json:"pattern,omitempty"`
	Empty   *bool    `json:"empty,omitempty"`
}

// Conditions must all hold. In JSON it is one condition object or a list.
type Conditions []Condition

// UnmarshalJSON accepts an object or a list of objects.
func (c *Conditions) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	dec := func(b []byte, v any) error {
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		return d.Decode(v)
	}
	if len(b) > 0 && b[0] == '{' {
		var one Condition
		if err := dec(b, &one); err != nil {
			return err
		}
		*c = Conditions{one}
		return nil
	}
	var many []Condition
	if err := dec(b, &many); err != nil {
		return err
	}
	*c = many
	return nil
}

// Row kinds.
const (
	KindData  = "data"
	KindTotal = "total"
	KindSkip  = "skip"
)

// RowRule classifies rows.
type RowRule struct {
	// Kind is "total" (a row stating totals, not returned), "skip" (not a
	// sale, not returned, listed with Reason) or "data".
	Kind string `json:"kind"`
	// When selects the rows the rule applies to.
	When Conditions `json:"when"`
	// Reason says why skipped rows are not sales.
	Reason string `json:"reason,omitempty"`
	// Cells, when set, is the cell count a data row must have.
	Cells int `json:"cells,omitempty"`
	// Columns overrides the profile's Columns for data rows of this kind.
	Columns map[string]ColumnSpec `json:"columns,omitempty"`
	// Scope names the part of the file a data or total row belongs to.
	Scope *Scope `json:"scope,omitempty"`
	// Totals lists the totals a total row states.
	Totals []Total `json:"totals,omitempty"`
}

// Scope builds Row.Scope / Declared.Scope from a cell.
type Scope struct {
	Column Ref    `json:"column"`
	Prefix string `json:"prefix,omitempty"`
}

// Total states where a declared total is read.
type Total struct {
	// Measure names the total ("rows", "units", "amount", ...).
	Measure string `json:"measure"`
	// Value is the cell holding the total (total rows).
	Value *Ref `json:"value,omitempty"`
	// Pattern is a regular expression whose first group is the total
	// (free-text trailer lines).
	Pattern string `json:"pattern,omitempty"`
	// Currency is a cell holding the currency of an amount.
	Currency *Ref `json:"currency,omitempty"`
	// CurrencyConst is the currency of an amount when the file states it
	// elsewhere.
	CurrencyConst string `json:"currency_const,omitempty"`
	// CurrencyFromRows takes the currency of the last data row.
	CurrencyFromRows bool `json:"currency_from_rows,omitempty"`
	// Tolerance is the reconciliation tolerance ("0", "0.01").
	Tolerance string `json:"tolerance"`
	// Computed, when set, says how the total is computed from the data
	// rows when its measure has no built-in counterpart.
	Computed *Computed `json:"computed,omitempty"`
	// NotComputable, when set, says why the total cannot be computed from
	// the file's rows; it is reported but never compared.
	NotComputable string `json:"not_computable,omitempty"`
}

// Computed sums cells of the data rows: the values of Columns on every
// data row meeting When (all rows when empty), negated when Negate is set.
type Computed struct {
	Columns []Ref      `json:"columns"`
	When    Conditions `json:"when,omitempty"`
	Negate  bool       `json:"negate,omitempty"`
}

// TextTrailer is a block of free text after the data.
type TextTrailer struct {
	// Start is a regular expression; the first line matching it and all
	// lines after it are trailer text.
	Start string `json:"start"`
	// Totals are read from trailer lines with Pattern.
	Totals []Total `json:"totals,omitempty"`
}
