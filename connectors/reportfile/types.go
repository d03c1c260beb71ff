package reportfile

import "github.com/ledgerline/ledgerline/connectors/reportfile/model"

// Field is a canonical report column.
type Field = model.Field

// FieldSet is a set of canonical fields.
type FieldSet = model.FieldSet

// Canonical fields; see package model for their meaning.
const (
	FieldDSP             = model.FieldDSP
	FieldISRC            = model.FieldISRC
	FieldUPC             = model.FieldUPC
	FieldISWC            = model.FieldISWC
	FieldProprietaryID   = model.FieldProprietaryID
	FieldTrackTitle      = model.FieldTrackTitle
	FieldVersionTitle    = model.FieldVersionTitle
	FieldArtists         = model.FieldArtists
	FieldReleaseTitle    = model.FieldReleaseTitle
	FieldLabel           = model.FieldLabel
	FieldTerritory       = model.FieldTerritory
	FieldCurrency        = model.FieldCurrency
	FieldUnits           = model.FieldUnits
	FieldAmount          = model.FieldAmount
	FieldPeriodStart     = model.FieldPeriodStart
	FieldPeriodEnd       = model.FieldPeriodEnd
	FieldUseType         = model.FieldUseType
	FieldCommercialModel = model.FieldCommercialModel
	FieldSaleType        = model.FieldSaleType
	NumFields            = model.NumFields
)

// ParseField returns the field named name ("isrc", "proprietary_id", ...).
func ParseField(name string) (Field, bool) { return model.ParseField(name) }

// NumberStyle tells how numbers are written in a file.
type NumberStyle = model.NumberStyle

// Row is one data line of a report.
type Row = model.Row

// Term is a row's contribution to a declared total computed from its cells.
type Term = model.Term

// Declared is a total a file states about itself, for reconciliation.
type Declared = model.Declared

// Structure holds the counts a reader saw.
type Structure = model.Structure

// Anomaly is something odd the reader noticed outside data rows.
type Anomaly = model.Anomaly

// Skipped is a row a profile recognised as not being a sale.
type Skipped = model.Skipped
