// Package profile describes tabular report layouts as data. A profile is a
// JSON document naming the header a layout starts with (or, for layouts
// without a header, a pattern for its first line), how its columns map to
// canonical fields, which rows are totals or not sales, and which free-text
// trailer lines state totals. The format is documented in
// connectors/reportfile/PROFILES.md.
//
// Built-in profiles are embedded from builtin/*.json. Load reads user
// profiles from a file or a directory. A profile is bound to the header
// of a file (Bind), and the Binding classifies records and maps them to
// model rows and declared totals.
package profile
