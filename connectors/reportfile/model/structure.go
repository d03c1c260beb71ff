package model

// Structure holds the counts a reader saw. Every physical line falls in
// exactly one of the line counts, so
//
//	PhysicalLines == DataRows + HeaderRows + TitleRows + SummaryRows +
//	    DetailRows + TrailerRows + CommentRows + BlankRows + SkippedRows +
//	    UnknownRows + ContinuationLines
//
// once the reader has reached the end of the file.
type Structure struct {
	// PhysicalLines is the number of lines in the decoded text.
	PhysicalLines int64
	// DataRows is the number of rows returned by Next, malformed ones
	// included.
	DataRows int64
	// MalformedRows is the number of returned rows with Malformed set.
	MalformedRows int64
	// HeaderRows counts column header lines (DSR: the HEAD record).
	HeaderRows int64
	// TitleRows counts non-blank lines above the column header.
	TitleRows int64
	// SummaryRows counts DSR summary (SY) records.
	SummaryRows int64
	// DetailRows counts DSR release, resource, work, usage-detail and
	// licence records that are joined into usage rows or ignored.
	DetailRows int64
	// TrailerRows counts total rows and free-text trailer lines (DSR:
	// FOOT).
	TrailerRows int64
	// CommentRows counts comment lines (DSR '#' lines).
	CommentRows int64
	// BlankRows counts empty lines and rows whose cells are all empty.
	BlankRows int64
	// SkippedRows counts rows a profile marks as not being sales.
	SkippedRows int64
	// UnknownRows counts DSR lines whose record type is not understood.
	UnknownRows int64
	// ContinuationLines counts the second and later physical lines of
	// rows that span several lines (quoted cells with line breaks).
	ContinuationLines int64
	// Blocks counts DSR blocks.
	Blocks int64
}

// LineTotal returns the sum of the per-kind line counts, which equals
// PhysicalLines at the end of a well-accounted file.
func (s Structure) LineTotal() int64 {
	return s.DataRows + s.HeaderRows + s.TitleRows + s.SummaryRows +
		s.DetailRows + s.TrailerRows + s.CommentRows + s.BlankRows +
		s.SkippedRows + s.UnknownRows + s.ContinuationLines
}
