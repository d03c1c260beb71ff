// Package reportfile turns one DSP sales or usage report file into a
// stream of rows whose raw string cells are mapped to canonical fields,
// plus the totals the file declares about itself.
//
// Open sniffs the input: gzip and zip layers, the character encoding
// (UTF-8 with or without byte order mark, UTF-16, Windows-1252), and the
// format. DDEX DSR flat files are recognised by their HEAD record; other
// files are tabular and matched against profiles by their header row.
// Profiles are data (JSON, see PROFILES.md), built in for Apple, DistroKid,
// TuneCore, CD Baby, Beatport, Traxsource, Bandcamp, Cargo, PRS,
// ClicknClear and two distributor statements, and loadable from files with
// LoadProfiles.
//
// Reading is streaming with constant memory. Row.Raw and Row.Terms alias
// internal buffers until the next call to Next; the cell strings do not
// and stay valid (the cells of many rows share one allocation of 16 KiB,
// so clone the few cells kept for long). Reader.Read fills a caller's Row
// and saves copying it. A Reader is not safe for concurrent use, except
// BytesRead, which may be polled from another goroutine for progress.
//
// This package does not validate or normalise identifiers, numbers or
// dates: cells are returned as written, with the file's number style and
// date order as hints. It never fails on a bad row: structurally broken
// rows are returned with Row.Malformed set. An error from Open means the
// file as a whole cannot be read (and should be quarantined); an error
// from Next other than io.EOF means the rest of the file cannot be read.
//
// # Decisions about the published samples
//
// The Apple "Payments and Financial Reports" summary CSV is recognised by
// the apple-payments-summary profile and rejected by Open with
// ErrNotSalesReport: it holds per-region payment totals, not sales lines,
// and its totals repeat those of the per-region financial reports.
//
// A profile may assume a value the file does not state (the currency of a
// distributor statement that names none) or declare a value the layout
// does not report (units, amount); rows say so in Row.Assumed and
// Row.NotReported, for the consumer to mark or accept.
//
// A DSR summary record's NetRevenue is the service's revenue, and the
// Usages of an allocation summary record (SY02, naming a rights
// controller) are the whole service's: both are declared with
// Declared.NotComputable, as the usage records cannot add up to them. A
// usage record type without a revenue column (Basic Audio SU02) marks the
// amount NotReported.
//
// In a DSR file, a usage record whose SummaryRecordId matches no summary
// record is joined leniently (to the record whose id folds to the same
// value, "SY1" to "1", or to the only summary record) and the row is
// marked Malformed saying so, so the caller can decide whether to trust
// the join.
package reportfile
