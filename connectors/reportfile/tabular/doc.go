// Package tabular reads delimited records (CSV, TSV, semicolon or pipe
// separated) from physical lines, following RFC 4180 quoting: a cell that
// starts with a quote runs to the matching closing quote, may hold
// delimiters and line breaks, and writes a quote as two quotes. Quotes
// inside an unquoted cell are literal, so a quoted cell in an otherwise
// unquoted TSV is also understood.
//
// Broken input never stops the reader: text after a closing quote keeps
// the cell as written, and a quoted cell that is still open at the end of
// the input (or after MaxRecordLines lines or MaxRecordBytes bytes) makes
// its first line a record of its own, flagged in Record.Problem, and the
// following lines are read again as new records.
//
// Records alias internal buffers and are valid until the next call to
// Next; reading them allocates nothing in the common case.
package tabular
