package reportfile

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// readAll opens r and reads every row, copying Row.Raw.
func readAll(t *testing.T, r io.Reader, opts Options) (*Reader, []Row) {
	t.Helper()
	rd, err := Open(r, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	var rows []Row
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Next after %d rows: %v", len(rows), err)
		}
		row.Raw = append([]byte(nil), row.Raw...)
		rows = append(rows, row)
	}
	st := rd.Structure()
	if st.LineTotal() != st.PhysicalLines {
		t.Errorf("structure %+v does not add up to %d lines", st, st.PhysicalLines)
	}
	return rd, rows
}

// tunecoreHeader is the header of the tunecore profile.
var tunecoreHeader = []string{"Sales Period", "Posted Date", "Store Name", "Country Of Sale", "Artist", "Release Type", "Release Title", "Song Title", "Label", "UPC", "Optional UPC", "TC Song ID", "Optional ISRC", "Sales Type", "# Units Sold", "Per Unit Price", "Net Sales", "Net Sales Currency", "Exchange Rate", "Total Earned", "Currency"}

// tunecoreRow returns a data row with the given song title and units.
func tunecoreRow(title, units string) []string {
	return []string{"2020-04-01", "2020-06-01", "Google Play", "GB", "Artist 1", "Song", "Album 1", title, "Test Records", "567890123456", "", "ABCDE1234567", "BCDEF5678901", "Streaming", units, "0.000342", "0.000342", "USD", "0.79", "0.0271", "GBP"}
}

// joinRows writes rows with delim and eol, quoting nothing.
func joinRows(delim, eol string, rows ...[]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, delim))
		b.WriteString(eol)
	}
	return b.String()
}

func cell(r Row, f Field) string { return r.Cells[f] }
