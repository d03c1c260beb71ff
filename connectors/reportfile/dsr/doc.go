// Package dsr reads DDEX DSR flat files (Digital Sales Report, the
// tab-separated "dsrf" format) such as the Basic Audio and UGC profiles.
//
// A file is a HEAD record, summary records (SYxx), blocks of release,
// resource, work and usage records (RExx, ASxx, MWxx, SUxx, RUxx, LIxx)
// sharing a BlockId, and a FOOT record. Cells are separated by tabs;
// multi-value cells by pipes; a backslash escapes a tab, a pipe or a
// backslash. Lines starting with '#' name the cells of a record type and
// are used as that type's layout when present; otherwise the layouts
// built into the package (the record types of the published samples) are
// used.
//
// The Parser returns one row per usage (SUxx) record, joined with the
// resource and release of its block and with its summary record
// (territory, currency, commercial model, use type). FOOT counts and
// summary totals become declared totals. Defects of the file (a usage
// naming an unknown summary record, a block without the resource a usage
// names, records without a known layout) are reported on the rows or as
// anomalies and never stop parsing. Memory stays constant: only the
// current block and the summary records are kept.
package dsr
