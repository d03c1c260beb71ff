package container

import "errors"

// Errors returned by Open and by reads from the payload stream. They are
// wrapped with details; test for them with errors.Is.
var (
	// ErrTruncated means a compressed stream ended before its end marker.
	ErrTruncated = errors.New("compressed stream truncated")
	// ErrCorrupt means a compressed stream is damaged.
	ErrCorrupt = errors.New("compressed stream corrupt")
	// ErrNeedsRandomAccess means zip input was given as a plain stream.
	ErrNeedsRandomAccess = errors.New("zip input needs random access (an *os.File or an io.ReaderAt with Size)")
	// ErrNoReportEntry means a zip archive has no entry that can be read
	// as a report.
	ErrNoReportEntry = errors.New("zip archive has no report entry")
	// ErrUnsupported means the input is an archive or document format
	// that is not a text report (tar, xlsx, xls, pdf, nested zip).
	ErrUnsupported = errors.New("unsupported container")
)
