package validate

import (
	"errors"

	"github.com/ledgerline/ledgerline/avro"
)

// Errors that the parse and normalise functions wrap (test with errors.Is).
// A Rejection wraps the error that caused it.
var (
	// ErrEmpty: the value is empty after trimming.
	ErrEmpty = errors.New("empty value")
	// ErrSyntax: the value does not have the expected shape.
	ErrSyntax = errors.New("syntax error")
	// ErrCheckDigit: the value is well-formed but its check digit is wrong.
	ErrCheckDigit = errors.New("check digit mismatch")
	// ErrUnknownCode: the value is well-formed but names no known code.
	ErrUnknownCode = errors.New("unknown code")
	// ErrScientificNotation: a number written as mantissa and exponent
	// (7.31453E+11), which spreadsheets produce and which has lost digits.
	ErrScientificNotation = errors.New("scientific notation")
	// ErrAmbiguousNumber: the number reads differently in the two decimal
	// styles and the report profile does not say which one it uses.
	ErrAmbiguousNumber = errors.New("ambiguous number style")
	// ErrFractionDigits: more fractional digits than the wire format keeps.
	ErrFractionDigits = errors.New("too many fractional digits")
	// ErrNotWhole: a count that is not a whole number.
	ErrNotWhole = errors.New("not a whole number")
	// ErrRange: a value outside the range the field allows.
	ErrRange = errors.New("out of range")
)

// Field names used in Rejection.Field: the Line and CatalogInput cells, in
// lower snake case.
const (
	FieldDSP             = "dsp"
	FieldISRC            = "isrc"
	FieldUPC             = "upc"
	FieldISWC            = "iswc"
	FieldTrackTitle      = "track_title"
	FieldTerritory       = "territory"
	FieldCurrency        = "currency"
	FieldUnits           = "units"
	FieldAmount          = "amount"
	FieldPeriodStart     = "period_start"
	FieldPeriodEnd       = "period_end"
	FieldVersion         = "version"
	FieldValidFrom       = "valid_from"
	FieldTitle           = "title"
	FieldSplits          = "splits"
	FieldArtists         = "artists"
	FieldReleaseTitle    = "release_title"
	FieldVersionTitle    = "version_title"
	FieldLabel           = "label"
	FieldProprietaryID   = "proprietary_id"
	FieldUseType         = "use_type"
	FieldCommercialModel = "commercial_model"
	FieldSaleType        = "sale_type"
)

// Rejection is why a line or catalog record was refused: exactly one reason
// code from the dead-letter vocabulary (avro.Reason*), the field to blame
// when there is one, and a message that quotes the offending value.
type Rejection struct {
	Reason  string
	Field   string
	Message string
	// Err is the underlying cause, when a parse function reported one.
	Err error
}

// Error implements error: "reason: field: message".
func (r *Rejection) Error() string {
	if r.Field == "" {
		return r.Reason + ": " + r.Message
	}
	return r.Reason + ": " + r.Field + ": " + r.Message
}

// Unwrap returns the underlying cause.
func (r *Rejection) Unwrap() error { return r.Err }

func reject(reason, field string, err error) *Rejection {
	return &Rejection{Reason: reason, Field: field, Message: err.Error(), Err: err}
}

func missing(field string) *Rejection {
	return &Rejection{
		Reason:  avro.ReasonMissingField,
		Field:   field,
		Message: field + " is empty",
		Err:     ErrEmpty,
	}
}
