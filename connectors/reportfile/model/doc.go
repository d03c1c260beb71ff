// Package model defines the values a report reader produces: canonical
// fields, rows, declared totals, structure counts and anomalies.
//
// The types are shared by the format readers (tabular profiles and DDEX DSR
// flat files) and re-exported by package reportfile, which is the package
// callers should import.
package model
