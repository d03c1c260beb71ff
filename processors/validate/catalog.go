package validate

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/ledgerline/ledgerline/avro"
)

// CatalogInput is one catalog record as string cells, as read by
// ReadCatalogCSV or ReadCatalogJSONLines.
type CatalogInput struct {
	// Line is the 1-based line where the record starts in its file.
	Line int64
	// Raw is the record's text, kept for a dead letter.
	Raw []byte
	// Malformed, when not empty, says the record is structurally broken.
	Malformed string

	ISRC         string
	Version      string // a whole number from 1
	ValidFrom    string // a timestamp (RFC 3339) or a date
	Title        string
	VersionTitle string
	Artists      string // several artists separated by '|'
	ReleaseTitle string
	UPC          string
	ISWC         string
	Label        string
	// Splits is "party_id:name:role:share|...". The party id may itself
	// contain ':' (IPI:00052210040), so the last three ':' of an element
	// separate name, role and share and a name cannot contain ':'.
	Splits string

	// ArtistList and SplitList, when not nil, are used instead of Artists
	// and Splits (structured input such as JSON arrays).
	ArtistList []string
	SplitList  []SplitInput
}

// ValidateCatalog turns a catalog input into a catalog record, or rejects
// it with exactly one reason. Checks run in this order:
//
//  1. malformed_row: CatalogInput.Malformed or a cell that is not UTF-8;
//  2. missing_field: isrc, version, valid_from, title;
//  3. invalid_isrc, invalid_upc, invalid_iswc (an ISRC with an
//     unallocated country code is accepted: a catalog record has no
//     warnings);
//  4. invalid_number: version is not a whole number from 1;
//  5. invalid_date: valid_from;
//  6. invalid_split: an element without party id, role or share, a share
//     that is not a plain decimal in (0, 1] with at most 8 fractional
//     digits (avro.ShareScale), the same party twice in the same role, or
//     shares that do not sum to exactly 1. A record without splits is
//     accepted with none.
func (v *Validator) ValidateCatalog(c *CatalogInput) (avro.CatalogRecord, *Rejection) {
	if c.Malformed != "" {
		return avro.CatalogRecord{}, &Rejection{Reason: avro.ReasonMalformedRow, Message: c.Malformed}
	}
	if rej := c.checkUTF8(); rej != nil {
		return avro.CatalogRecord{}, rej
	}
	isrcCell, versionCell, validCell, title := trim(c.ISRC), trim(c.Version), trim(c.ValidFrom), trim(c.Title)
	switch {
	case isrcCell == "":
		return avro.CatalogRecord{}, missing(FieldISRC)
	case versionCell == "":
		return avro.CatalogRecord{}, missing(FieldVersion)
	case validCell == "":
		return avro.CatalogRecord{}, missing(FieldValidFrom)
	case title == "":
		return avro.CatalogRecord{}, missing(FieldTitle)
	}

	rec := avro.CatalogRecord{Title: title}
	isrc, _, err := NormalizeISRC(isrcCell)
	if err != nil {
		return avro.CatalogRecord{}, reject(avro.ReasonInvalidISRC, FieldISRC, err)
	}
	rec.ISRC = isrc
	if cell := trim(c.UPC); cell != "" {
		gtin, err := NormalizeGTIN(cell)
		if err != nil {
			return avro.CatalogRecord{}, reject(avro.ReasonInvalidUPC, FieldUPC, err)
		}
		rec.UPC = &gtin
	}
	if cell := trim(c.ISWC); cell != "" {
		iswc, err := NormalizeISWC(cell)
		if err != nil {
			return avro.CatalogRecord{}, reject(avro.ReasonInvalidISWC, FieldISWC, err)
		}
		rec.ISWC = &iswc
	}

	version, err := strconv.ParseInt(versionCell, 10, 64)
	if err != nil || version < 1 {
		return avro.CatalogRecord{}, reject(avro.ReasonInvalidNumber, FieldVersion,
			fmt.Errorf("%w: version %q is not a whole number from 1", ErrSyntax, versionCell))
	}
	rec.Version = version

	rec.ValidFrom, err = ParseTimestamp(validCell)
	if err != nil {
		return avro.CatalogRecord{}, reject(avro.ReasonInvalidDate, FieldValidFrom, err)
	}

	splits := c.SplitList
	if splits == nil {
		splits, err = ParseSplits(c.Splits)
		if err != nil {
			return avro.CatalogRecord{}, reject(avro.ReasonInvalidSplit, FieldSplits, err)
		}
	}
	rec.Splits, err = checkSplits(splits)
	if err != nil {
		return avro.CatalogRecord{}, reject(avro.ReasonInvalidSplit, FieldSplits, err)
	}

	if c.ArtistList != nil {
		for _, a := range c.ArtistList {
			if a = trim(a); a != "" {
				rec.Artists = append(rec.Artists, a)
			}
		}
	} else {
		rec.Artists = splitArtists(c.Artists)
	}
	rec.VersionTitle = optional(new(string), c.VersionTitle)
	rec.ReleaseTitle = optional(new(string), c.ReleaseTitle)
	rec.Label = optional(new(string), c.Label)
	return rec, nil
}

func (c *CatalogInput) checkUTF8() *Rejection {
	cells := [...]struct{ field, value string }{
		{FieldISRC, c.ISRC}, {FieldVersion, c.Version}, {FieldValidFrom, c.ValidFrom},
		{FieldTitle, c.Title}, {FieldVersionTitle, c.VersionTitle}, {FieldArtists, c.Artists},
		{FieldReleaseTitle, c.ReleaseTitle}, {FieldUPC, c.UPC}, {FieldISWC, c.ISWC},
		{FieldLabel, c.Label}, {FieldSplits, c.Splits},
	}
	for _, cell := range cells {
		if !utf8.ValidString(cell.value) {
			return &Rejection{
				Reason:  avro.ReasonMalformedRow,
				Field:   cell.field,
				Message: fmt.Sprintf("%s %q is not valid UTF-8", cell.field, cell.value),
			}
		}
	}
	return nil
}
