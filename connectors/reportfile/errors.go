package reportfile

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ledgerline/ledgerline/connectors/reportfile/container"
	"github.com/ledgerline/ledgerline/connectors/reportfile/textdecode"
)

// Errors Open and Next wrap; test for them with errors.Is.
var (
	// ErrEmpty: the file holds no text (no bytes, only a byte order mark,
	// or only blank lines).
	ErrEmpty = textdecode.ErrEmpty
	// ErrBinary: the file is binary data, not text.
	ErrBinary = textdecode.ErrBinary
	// ErrTruncated: a gzip stream ends early.
	ErrTruncated = container.ErrTruncated
	// ErrCorrupt: a gzip or zip stream is damaged.
	ErrCorrupt = container.ErrCorrupt
	// ErrUnsupported: an archive or document format that is not a text
	// report (tar, xlsx, xls, pdf).
	ErrUnsupported = container.ErrUnsupported
	// ErrNeedsRandomAccess: zip input given as a plain stream.
	ErrNeedsRandomAccess = container.ErrNeedsRandomAccess
	// ErrNoReportEntry: a zip archive without a report entry.
	ErrNoReportEntry = container.ErrNoReportEntry
	// ErrUnknownLayout: no profile matches the file; see LayoutError.
	ErrUnknownLayout = errors.New("unknown report layout")
	// ErrNotSalesReport: the file is a known layout that holds no sales
	// lines; see NotSalesReportError.
	ErrNotSalesReport = errors.New("not a sales report")
	// ErrUnknownProfile: Options.Profile names no profile.
	ErrUnknownProfile = errors.New("unknown profile")
)

// LayoutError says why no profile matched a tabular file.
type LayoutError struct {
	// Closest is the profile whose required headers matched best.
	Closest string
	// Missing lists the required headers of Closest the file lacks.
	Missing []string
	// Line is the line that came closest to being Closest's header.
	Line int64
	// Delimiter is the delimiter the file seems to use, 0 when unclear.
	Delimiter byte
}

func (e *LayoutError) Error() string {
	var b strings.Builder
	b.WriteString(ErrUnknownLayout.Error())
	b.WriteString(": no profile matches the header")
	if e.Delimiter != 0 {
		fmt.Fprintf(&b, " (the file looks %s-separated)", delimiterName(e.Delimiter))
	}
	if e.Closest != "" {
		quoted := make([]string, len(e.Missing))
		for i, m := range e.Missing {
			quoted[i] = fmt.Sprintf("%q", m)
		}
		fmt.Fprintf(&b, "; closest profile %q (line %d) is missing %s", e.Closest, e.Line, strings.Join(quoted, ", "))
	}
	return b.String()
}

// Unwrap returns ErrUnknownLayout.
func (e *LayoutError) Unwrap() error { return ErrUnknownLayout }

// NotSalesReportError names the known layout of a file that holds no
// sales lines.
type NotSalesReportError struct {
	Profile string
	Reason  string
}

func (e *NotSalesReportError) Error() string {
	return fmt.Sprintf("%s: the file matches profile %q: %s", ErrNotSalesReport, e.Profile, e.Reason)
}

// Unwrap returns ErrNotSalesReport.
func (e *NotSalesReportError) Unwrap() error { return ErrNotSalesReport }

func delimiterName(d byte) string {
	switch d {
	case '\t':
		return "tab"
	case ',':
		return "comma"
	case ';':
		return "semicolon"
	case '|':
		return "pipe"
	}
	return fmt.Sprintf("%q", d)
}
