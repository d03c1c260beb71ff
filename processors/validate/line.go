package validate

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/ledgerline/ledgerline/avro"
)

// Line is one reported line as raw string cells, mapped from the report's
// columns by its profile. A cell the report does not have is "".
type Line struct {
	// Source is the lineage: FileName, FileSHA256, Line, Profile and
	// ReportID are filled by the caller. DSP is taken from the DSP cell when
	// Source.DSP is empty, and ReportID defaults to FileName.
	Source avro.Source
	// Raw is the line's text, kept for a dead letter.
	Raw []byte

	DSP             string
	ISRC            string
	UPC             string
	ISWC            string
	ProprietaryID   string
	TrackTitle      string
	VersionTitle    string
	Artists         string // several artists separated by '|'
	ReleaseTitle    string
	Label           string
	Territory       string
	Currency        string
	Units           string
	Amount          string
	PeriodStart     string
	PeriodEnd       string
	UseType         string
	CommercialModel string
	SaleType        string

	// Malformed, when not empty, says the row is structurally broken (wrong
	// number of cells, bad quoting): the line is rejected as malformed_row
	// with this message.
	Malformed string

	// Decimal ('.' or ',') and Thousands (',', '.', ' ' or '\'') are the
	// number style of the report's profile. 0 means unknown: a Thousands of
	// '.' or ',' implies the other Decimal, and with neither known each
	// value's style is read from the value as ParseAmount says.
	Decimal, Thousands byte
	// DateOrder is the order of numeric dates that end with the year:
	// OrderMDY, OrderDMY, OrderYMD, or "" for month first.
	DateOrder string

	// UnitsNotReported and AmountNotReported say the line's layout has no
	// units or no amount at all (a DDEX Basic Audio usage record reports
	// streams but no revenue): an empty cell then gives 0 and the warning
	// units_not_reported or revenue_not_reported instead of missing_field.
	UnitsNotReported, AmountNotReported bool
	// Warnings are warning codes the caller already knows of, such as a
	// value the report's profile assumes rather than the report states
	// ("currency_assumed"); they are copied to the event's warnings.
	Warnings []string
}

// EventID is the deterministic identity of a reported line: the file's
// SHA-256, ':', the 1-based line number.
func EventID(fileSHA256 string, line int64) string {
	var buf [96]byte
	return string(appendEventID(buf[:0], fileSHA256, line))
}

func appendEventID(b []byte, fileSHA256 string, line int64) []byte {
	b = append(b, fileSHA256...)
	b = append(b, ':')
	return strconv.AppendInt(b, line, 10)
}

// Validate turns a reported line into a usage event, or rejects it with
// exactly one reason. Checks run in a fixed order and the first failure is
// the reason (see the package documentation):
//
//  1. malformed_row: Line.Malformed, or a text cell that the event keeps
//     as written (dsp, proprietary id, titles, artists, label, use type)
//     that is not valid UTF-8;
//  2. missing_field, in the order dsp, track_title (only when the line
//     has no title and no identifier at all), territory, currency, units,
//     amount, period_start;
//  3. invalid_isrc, invalid_upc, invalid_iswc;
//  4. invalid_territory, invalid_currency;
//  5. invalid_number: units, then amount;
//  6. invalid_date: period start, period end, end before start.
//
// ingest is the event's IngestTime.
func (v *Validator) Validate(l *Line, ingest time.Time) (avro.UsageEvent, *Rejection) {
	var e avro.UsageEvent
	if rej := v.validate(l, ingest, nil, &e); rej != nil {
		return avro.UsageEvent{}, rej
	}
	return e, nil
}

// validate is Validate writing the event to *e, which it overwrites when
// the line is accepted and leaves undefined when it is rejected.
func (v *Validator) validate(l *Line, ingest time.Time, scratch *Scratch, e *avro.UsageEvent) *Rejection {
	if rej := checkStructure(l); rej != nil {
		return rej
	}

	// Cells, trimmed.
	dsp := trim(l.Source.DSP)
	if dsp == "" {
		dsp = trim(l.DSP)
	}
	title := trim(l.TrackTitle)
	territoryCell := trim(l.Territory)
	currencyCell := trim(l.Currency)
	unitsCell := unquote(l.Units)
	amountCell := unquote(l.Amount)
	startCell := trim(l.PeriodStart)
	// An identifier cell holding only a wrapper ("" or ="") is empty.
	isrcCell, upcCell, iswcCell := unwrapCode(l.ISRC), unwrapCode(l.UPC), unwrapCode(l.ISWC)
	// The amount is parsed now for the currency code it may carry; its
	// errors are reported in their place in the check order.
	var amount parsedNumber
	var amountErr error
	if amountCell != "" {
		amountErr = amount.parse(amountCell, l.Decimal, l.Thousands, true)
	}
	gluedCode := ""
	if amountErr == nil {
		gluedCode = amount.code
	}

	// 2. Required fields.
	switch {
	case dsp == "":
		return missing(FieldDSP)
	case title == "" && isrcCell == "" && upcCell == "" && iswcCell == "" &&
		trim(l.ProprietaryID) == "" && trim(l.ReleaseTitle) == "":
		r := missing(FieldTrackTitle)
		r.Message = "track_title is empty and the line has no ISRC, UPC, ISWC, proprietary id or release title"
		return r
	case territoryCell == "" && v.opts.DefaultTerritory == "":
		return missing(FieldTerritory)
	case currencyCell == "" && gluedCode == "" && v.opts.DefaultCurrency == "":
		return missing(FieldCurrency)
	case unitsCell == "" && !v.opts.UnitsOptional && !l.UnitsNotReported:
		return missing(FieldUnits)
	case amountCell == "" && !l.AmountNotReported:
		return missing(FieldAmount)
	case startCell == "":
		return missing(FieldPeriodStart)
	}

	opt := scratch.eventStrings()
	*e = avro.UsageEvent{
		Source:          l.Source,
		TrackTitle:      title,
		UseType:         MapUseType(l.UseType),
		UseTypeReported: l.UseType,
		CommercialModel: MapCommercialModel(l.CommercialModel),
		IngestTime:      ingest,
	}
	e.Source.DSP = dsp
	if len(l.Warnings) > 0 {
		e.Warnings = append(make([]string, 0, len(l.Warnings)+2), l.Warnings...)
	}
	if e.Source.ReportID == "" {
		e.Source.ReportID = e.Source.FileName
	}

	// 3. Identifiers.
	if isrcCell != "" {
		isrc, known, err := NormalizeISRC(isrcCell)
		if err != nil {
			return reject(avro.ReasonInvalidISRC, FieldISRC, err)
		}
		opt.isrc = isrc
		e.ISRC = &opt.isrc
		if !known {
			e.Warnings = append(e.Warnings, WarnUnknownISRCRegistrant)
		}
	} else {
		e.NeedsMatch = true
	}
	var gtin [14]byte
	if upcCell != "" {
		if err := gtinDigits(upcCell, &gtin); err != nil {
			return reject(avro.ReasonInvalidUPC, FieldUPC, err)
		}
	}
	if iswcCell != "" {
		iswc, err := NormalizeISWC(iswcCell)
		if err != nil {
			return reject(avro.ReasonInvalidISWC, FieldISWC, err)
		}
		opt.iswc = iswc
		e.ISWC = &opt.iswc
	}

	// 4. Codes.
	if territoryCell == "" {
		territoryCell = v.opts.DefaultTerritory
	}
	territory, err := NormalizeTerritory(territoryCell)
	if err != nil {
		return reject(avro.ReasonInvalidTerritory, FieldTerritory, err)
	}
	e.Territory = territory
	if rej := v.currency(e, currencyCell, gluedCode); rej != nil {
		return rej
	}

	// 5. Numbers.
	if unitsCell == "" {
		e.Warnings = append(e.Warnings, WarnUnitsNotReported)
	} else {
		units, err := ParseUnits(unitsCell, l.Decimal, l.Thousands)
		if err != nil {
			return reject(avro.ReasonInvalidNumber, FieldUnits, err)
		}
		e.Units = units
	}
	if amountErr != nil {
		return reject(avro.ReasonInvalidNumber, FieldAmount, amountErr)
	}
	if amountCell == "" {
		e.Revenue = decimal.Zero
		e.Warnings = append(e.Warnings, WarnRevenueNotReported)
	} else if e.Revenue, err = amount.amount(amountCell); err != nil {
		return reject(avro.ReasonInvalidNumber, FieldAmount, err)
	}
	if IsReturn(l.SaleType) {
		if e.Units > 0 {
			e.Units = -e.Units
		}
		if e.Revenue.Sign() > 0 {
			e.Revenue = e.Revenue.Neg()
		}
	}

	// 6. Dates.
	if rej := periodOf(e, startCell, l.PeriodEnd, l.DateOrder); rej != nil {
		return rej
	}

	// The event id and the GTIN share one string.
	var buf [128]byte
	ids := appendEventID(buf[:0], l.Source.FileSHA256, l.Source.Line)
	n := len(ids)
	if upcCell != "" {
		ids = append(ids, gtin[:]...)
	}
	idText := scratch.string(ids)
	e.EventID = idText[:n]
	if upcCell != "" {
		opt.upc = idText[n:]
		e.UPC = &opt.upc
	}

	// Descriptive text.
	if artists := trim(l.Artists); artists != "" && strings.IndexByte(artists, '|') < 0 {
		opt.artist[0] = artists
		e.Artists = opt.artist[:]
	} else {
		e.Artists = splitArtists(artists)
	}
	e.ProprietaryID = optional(&opt.proprietaryID, l.ProprietaryID)
	e.VersionTitle = optional(&opt.versionTitle, l.VersionTitle)
	e.ReleaseTitle = optional(&opt.releaseTitle, l.ReleaseTitle)
	e.Label = optional(&opt.label, l.Label)
	return nil
}

// checkStructure is check 1: the row's structure, and the encoding of the
// text cells the event carries as they are (codes and numbers are checked
// by their own rules, which accept only ASCII).
func checkStructure(l *Line) *Rejection {
	if l.Malformed != "" {
		return &Rejection{Reason: avro.ReasonMalformedRow, Message: l.Malformed}
	}
	if isASCII(l.DSP, l.ProprietaryID, l.TrackTitle, l.VersionTitle, l.Artists, l.ReleaseTitle, l.Label, l.UseType) {
		return nil // the common case
	}
	field, value := "", ""
	switch {
	case !utf8.ValidString(l.DSP):
		field, value = FieldDSP, l.DSP
	case !utf8.ValidString(l.ProprietaryID):
		field, value = FieldProprietaryID, l.ProprietaryID
	case !utf8.ValidString(l.TrackTitle):
		field, value = FieldTrackTitle, l.TrackTitle
	case !utf8.ValidString(l.VersionTitle):
		field, value = FieldVersionTitle, l.VersionTitle
	case !utf8.ValidString(l.Artists):
		field, value = FieldArtists, l.Artists
	case !utf8.ValidString(l.ReleaseTitle):
		field, value = FieldReleaseTitle, l.ReleaseTitle
	case !utf8.ValidString(l.Label):
		field, value = FieldLabel, l.Label
	case !utf8.ValidString(l.UseType):
		field, value = FieldUseType, l.UseType
	default:
		return nil
	}
	return &Rejection{
		Reason:  avro.ReasonMalformedRow,
		Field:   field,
		Message: fmt.Sprintf("%s %q is not valid UTF-8", field, value),
	}
}

// currency resolves the line's currency: the currency cell, else the code
// glued to the amount, else the default. A code glued to the amount must
// agree with the currency cell.
func (v *Validator) currency(e *avro.UsageEvent, cell, glued string) *Rejection {
	switch {
	case cell == "" && glued != "":
		cell = glued
	case cell == "":
		cell = v.opts.DefaultCurrency
	}
	cur, err := NormalizeCurrency(cell)
	if err != nil {
		return reject(avro.ReasonInvalidCurrency, FieldCurrency, err)
	}
	if glued != "" && glued != cur {
		return &Rejection{
			Reason:  avro.ReasonInvalidCurrency,
			Field:   FieldCurrency,
			Message: fmt.Sprintf("currency %q disagrees with the amount's currency code %q", cur, glued),
			Err:     ErrUnknownCode,
		}
	}
	e.Currency = cur
	return nil
}

// periodOf sets the event's period from the start and end cells.
func periodOf(e *avro.UsageEvent, startCell, endCell, order string) *Rejection {
	first, last, err := ParseDate(startCell, order)
	if err != nil {
		return reject(avro.ReasonInvalidDate, FieldPeriodStart, err)
	}
	if endCell = trim(endCell); endCell != "" {
		_, last, err = ParseDate(endCell, order)
		if err != nil {
			return reject(avro.ReasonInvalidDate, FieldPeriodEnd, err)
		}
		if last.Before(first) {
			return reject(avro.ReasonInvalidDate, FieldPeriodEnd,
				fmt.Errorf("%w: period end %q is before period start %q", ErrRange, endCell, startCell))
		}
	}
	e.PeriodStart, e.PeriodEnd = first, last
	return nil
}

// isASCII reports whether all the strings are 7-bit ASCII (and so valid
// UTF-8).
func isASCII(ss ...string) bool {
	const high = 0x8080808080808080
	var or uint64
	for _, s := range ss {
		i := 0
		for ; i+8 <= len(s); i += 8 { // eight bytes at a time
			_ = s[i+7]
			or |= uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		}
		for ; i < len(s); i++ {
			or |= uint64(s[i])
		}
	}
	return or&high == 0
}

// eventStrings holds, in one allocation, the strings an accepted event
// points to.
type eventStrings struct {
	isrc, upc, iswc, proprietaryID, versionTitle, releaseTitle, label string
	artist                                                            [1]string
}

// optional trims s and, when it is not empty, stores it in *slot and
// returns slot.
func optional(slot *string, s string) *string {
	s = trim(s)
	if s == "" {
		return nil
	}
	*slot = s
	return slot
}
