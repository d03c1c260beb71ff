package model

import "fmt"

// Field is a canonical report column.
type Field uint8

// Canonical fields. Every cell is kept as written in the file; no value is
// validated or normalised here.
const (
	// FieldDSP is the store or service name ("Spotify", "iTunes",
	// "Beatport"; for a DSR file the sender or service description).
	FieldDSP Field = iota
	// FieldISRC is the recording identifier.
	FieldISRC
	// FieldUPC is the release identifier (UPC, EAN, ICPN).
	FieldUPC
	// FieldISWC is the musical work identifier.
	FieldISWC
	// FieldProprietaryID is a vendor identifier, DSP resource id or
	// catalogue number.
	FieldProprietaryID
	// FieldTrackTitle is the recording or work title.
	FieldTrackTitle
	// FieldVersionTitle is the mix, remix or subtitle.
	FieldVersionTitle
	// FieldArtists is the display artist text.
	FieldArtists
	// FieldReleaseTitle is the album or product title.
	FieldReleaseTitle
	// FieldLabel is the label name.
	FieldLabel
	// FieldTerritory is the territory as written: alpha-2, alpha-3, a
	// name, "Worldwide", a TIS number.
	FieldTerritory
	// FieldCurrency is the currency of FieldAmount.
	FieldCurrency
	// FieldUnits is the quantity as written ("1,234", "(3)", "-1").
	FieldUnits
	// FieldAmount is the revenue due to the rights holder (net, partner
	// share, earnings, amount due) as written.
	FieldAmount
	// FieldPeriodStart is the sale or usage date, or the start of the
	// period, as written.
	FieldPeriodStart
	// FieldPeriodEnd is the end of the period as written; empty when the
	// report gives a single period cell.
	FieldPeriodEnd
	// FieldUseType is the use type as written (stream, download, ...).
	FieldUseType
	// FieldCommercialModel is the commercial model as written
	// (AdSupported, Subscription, purchase, ...).
	FieldCommercialModel
	// FieldSaleType is the sale type as written ("S"/"R", "Sale"/"Void").
	FieldSaleType
	// NumFields is the number of canonical fields.
	NumFields
)

// String returns the snake_case name of the field ("isrc",
// "proprietary_id", ...).
func (f Field) String() string {
	switch f {
	case FieldDSP:
		return "dsp"
	case FieldISRC:
		return "isrc"
	case FieldUPC:
		return "upc"
	case FieldISWC:
		return "iswc"
	case FieldProprietaryID:
		return "proprietary_id"
	case FieldTrackTitle:
		return "track_title"
	case FieldVersionTitle:
		return "version_title"
	case FieldArtists:
		return "artists"
	case FieldReleaseTitle:
		return "release_title"
	case FieldLabel:
		return "label"
	case FieldTerritory:
		return "territory"
	case FieldCurrency:
		return "currency"
	case FieldUnits:
		return "units"
	case FieldAmount:
		return "amount"
	case FieldPeriodStart:
		return "period_start"
	case FieldPeriodEnd:
		return "period_end"
	case FieldUseType:
		return "use_type"
	case FieldCommercialModel:
		return "commercial_model"
	case FieldSaleType:
		return "sale_type"
	}
	return fmt.Sprintf("field(%d)", uint8(f))
}

// ParseField returns the field whose String form is name.
func ParseField(name string) (Field, bool) {
	for f := range NumFields {
		if f.String() == name {
			return f, true
		}
	}
	return 0, false
}

// FieldSet is a set of fields.
type FieldSet uint32

// Has reports whether f is in the set.
func (s FieldSet) Has(f Field) bool { return s&(1<<f) != 0 }

// With returns the set with f added.
func (s FieldSet) With(f Field) FieldSet { return s | 1<<f }
