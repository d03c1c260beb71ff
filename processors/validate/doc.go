// Package validate is ledgerline's boundary validation and normalisation.
// A reported line, given as raw string cells (Line), becomes either a
// canonical avro.UsageEvent or a Rejection with exactly one reason code from
// the dead-letter vocabulary (avro.Reason*); a catalog record (CatalogInput)
// becomes an avro.CatalogRecord or a Rejection. The package is pure: no I/O
// beyond the io.Reader given to the catalog readers, no Kafka, no state
// stores, and no mutable package state (its lookup tables are built once
// and only read). A Validator is safe for concurrent use.
//
// # Check order
//
// Validator.Validate checks a line in a fixed order and reports the first
// failure:
//
//  1. malformed_row: Line.Malformed, or a text cell kept as written (dsp,
//     proprietary id, titles, artists, label, use type) that is not valid
//     UTF-8;
//  2. missing_field: dsp, then track_title, territory, currency, units,
//     amount and period_start;
//  3. invalid_isrc, invalid_upc, invalid_iswc;
//  4. invalid_territory, invalid_currency;
//  5. invalid_number (units, then amount);
//  6. invalid_date (period start, period end, end before start).
//
// # Rules chosen where reports disagree
//
//   - DSP: Source.DSP when the caller set it (a report from one service),
//     else the DSP cell (aggregator reports name the store per row).
//     Source.ReportID defaults to Source.FileName.
//   - Title: real statements miss titles, so an empty track title is
//     accepted ("") whenever anything identifies what was used (ISRC, UPC,
//     ISWC, proprietary id or release title). Only a line with none of
//     these is missing_field track_title.
//   - Identifier cells holding only a spreadsheet wrapper ("" or ="") are
//     empty.
//   - ISRC: an empty ISRC is accepted with ISRC nil and NeedsMatch true. A
//     12-digit number in the ISRC column (Traxsource puts UPCs there) is
//     invalid_isrc with a message saying it looks like a UPC. A well-formed
//     ISRC with an unallocated country code is accepted with the warning
//     unknown_isrc_registrant.
//   - UPC: 8, 12, 13 or 14 digits, padded to a 14-digit GTIN, check digit
//     verified; scientific notation (7.31453E+11) and all-zero
//     placeholders are invalid_upc. See NormalizeGTIN.
//   - Territory: an empty cell is missing_field unless
//     Options.DefaultTerritory is set. See NormalizeTerritory for the
//     accepted codes and names.
//   - Currency: the currency cell, else an ISO 4217 code written on the
//     amount ("1.00 USD"), else Options.DefaultCurrency, else
//     missing_field. A code on the amount that disagrees with the currency
//     cell is invalid_currency. Currency symbols ($, €) on amounts are
//     ignored: "$" names a dozen currencies.
//   - Numbers: see ParseAmount and ParseUnits. With no style hint a lone
//     '.' is a decimal point and "1,234" is refused as ambiguous. Amounts
//     keep every digit; more than 15 fractional digits (trailing zeros
//     aside) is invalid_number because the wire format keeps 15.
//   - Units: an empty units cell is missing_field unless
//     Options.UnitsOptional or Line.UnitsNotReported (a layout without
//     units), which give 0 units and the warning units_not_reported.
//     Units must be whole.
//   - Amount: an empty amount cell is missing_field unless
//     Line.AmountNotReported (a layout without revenue, such as DDEX Basic
//     Audio usage records), which gives revenue 0 and the warning
//     revenue_not_reported.
//   - Warnings the caller knows of (Line.Warnings, such as a currency the
//     report's profile assumes: currency_assumed) are copied to the event.
//   - Returns: when SaleType marks a return, void, refund or chargeback
//     (IsReturn), positive units and a positive amount are negated; values
//     the report already wrote negative are kept.
//   - Dates: see ParseDate. Numeric dates ending with the year are month
//     first (10/15/2023) unless Line.DateOrder says DMY; a two-digit year
//     at their end (Bandcamp's 1/5/20 3:42pm) is 1969..2068 as in POSIX; dotted dates
//     (15.10.2023) are day first unless it says MDY. A month or quarter in
//     the start cell alone covers the whole month or quarter; a day alone
//     gives start = end; with an end cell the period runs from the first
//     day of the start to the last day of the end. Times of day and their
//     offsets are dropped: periods are calendar days as the report wrote
//     them.
//   - Use type and commercial model: reported terms map to the canonical
//     vocabulary (MapUseType, MapCommercialModel); unknown terms give
//     "other", an absent commercial model "unknown"; never a rejection.
//     UseTypeReported keeps the cell as written.
//   - Artists: a cell is split on '|' (the DDEX multi-value delimiter),
//     never on commas, which occur inside names ("Earth, Wind & Fire").
//
// # Catalog
//
// Validator.ValidateCatalog checks catalog records for "ledgerline catalog
// load"; ReadCatalogCSV and ReadCatalogJSONLines stream CatalogInputs from
// a file.
package validate
