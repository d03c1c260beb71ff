package catalog

import (
	"slices"
	"strings"

	"github.com/ledgerline/ledgerline/avro"
)

// Fields is a set of catalog record fields.
type Fields uint16

// The fields a Change reports.
const (
	FieldTitle Fields = 1 << iota
	FieldVersionTitle
	FieldArtists
	FieldReleaseTitle
	FieldUPC
	FieldISWC
	FieldLabel
	FieldSplits
)

// Has reports whether f contains every field of x.
func (f Fields) Has(x Fields) bool { return f&x == x }

// Any reports whether f contains some field of x.
func (f Fields) Any(x Fields) bool { return f&x != 0 }

// String lists the fields, comma-separated, by their schema names.
func (f Fields) String() string {
	var names []string
	for x := FieldTitle; x <= FieldSplits; x <<= 1 {
		if f&x != 0 {
			names = append(names, x.name())
		}
	}
	return strings.Join(names, ",")
}

func (f Fields) name() string {
	switch f {
	case FieldTitle:
		return "title"
	case FieldVersionTitle:
		return "version_title"
	case FieldArtists:
		return "artists"
	case FieldReleaseTitle:
		return "release_title"
	case FieldUPC:
		return "upc"
	case FieldISWC:
		return "iswc"
	case FieldLabel:
		return "label"
	case FieldSplits:
		return "splits"
	}
	return "unknown"
}

// Change is what Apply did with a record.
type Change struct {
	ISRC string
	// Applied is false when the record's version was not newer than the
	// stored one: replays of the catalog topic change nothing.
	Applied bool
	// Previous is the version the record replaced (nil for a new ISRC, or
	// the stored version when Applied is false).
	Previous *avro.CatalogRecord
	// Current is the record as applied (or as given, when not applied).
	Current avro.CatalogRecord
	// Fields are the fields that differ from Previous; for a new ISRC,
	// the fields the record sets.
	Fields Fields
}

// diff returns the fields that differ between a and b (a may be nil).
func diff(a *avro.CatalogRecord, b *avro.CatalogRecord) Fields {
	if a == nil {
		a = &avro.CatalogRecord{}
	}
	var f Fields
	if a.Title != b.Title {
		f |= FieldTitle
	}
	if !optEqual(a.VersionTitle, b.VersionTitle) {
		f |= FieldVersionTitle
	}
	if !slices.Equal(a.Artists, b.Artists) {
		f |= FieldArtists
	}
	if !optEqual(a.ReleaseTitle, b.ReleaseTitle) {
		f |= FieldReleaseTitle
	}
	if !optEqual(a.UPC, b.UPC) {
		f |= FieldUPC
	}
	if !optEqual(a.ISWC, b.ISWC) {
		f |= FieldISWC
	}
	if !optEqual(a.Label, b.Label) {
		f |= FieldLabel
	}
	if SplitsString(a.Splits) != SplitsString(b.Splits) {
		f |= FieldSplits
	}
	return f
}

func optEqual(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
