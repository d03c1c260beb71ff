package container

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// reportExtensions are the entry name endings that look like a report.
var reportExtensions = []string{".csv", ".tsv", ".txt", ".tab", ".dsr", ".csv.gz", ".tsv.gz", ".txt.gz"}

// sizeOf returns the size of r when r supports random access.
func sizeOf(r io.Reader) (io.ReaderAt, int64, bool) {
	ra, ok := r.(io.ReaderAt)
	if !ok {
		return nil, 0, false
	}
	if s, ok := r.(interface{ Size() int64 }); ok {
		return ra, s.Size(), true
	}
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			return ra, st.Size(), true
		}
	}
	return nil, 0, false
}

// openZip opens the report entry of the archive held by r.
func openZip(r io.Reader, c *Counter) (io.ReadCloser, string, error) {
	ra, size, ok := sizeOf(r)
	if !ok {
		return nil, "", ErrNeedsRandomAccess
	}
	c.n.Store(0)
	c.limit.Store(size)
	zr, err := zip.NewReader(countingReaderAt{r: ra, c: c}, size)
	if err != nil {
		return nil, "", fmt.Errorf("%w: zip archive unreadable: %w", ErrCorrupt, err)
	}
	f, err := pickEntry(zr.File)
	if err != nil {
		return nil, "", err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, "", fmt.Errorf("%w: zip entry %q: %w", ErrCorrupt, f.Name, err)
	}
	return rc, f.Name, nil
}

// pickEntry chooses the first or only regular file of an archive,
// ignoring macOS resource forks and hidden files. When there are several,
// the first whose name looks like a report wins.
func pickEntry(files []*zip.File) (*zip.File, error) {
	var all, candidates []string
	var picked []*zip.File
	isWorkbook := false
	for _, f := range files {
		all = append(all, f.Name)
		if f.Name == "[Content_Types].xml" || strings.HasPrefix(f.Name, "xl/") {
			isWorkbook = true
		}
		if !f.Mode().IsRegular() || strings.HasPrefix(f.Name, "__MACOSX/") || strings.HasPrefix(path.Base(f.Name), ".") {
			continue
		}
		candidates = append(candidates, f.Name)
		picked = append(picked, f)
	}
	if isWorkbook {
		return nil, fmt.Errorf("%w: the zip archive is an Excel workbook (xlsx); export the sheet as CSV", ErrUnsupported)
	}
	switch len(picked) {
	case 0:
		return nil, fmt.Errorf("%w: entries: %s", ErrNoReportEntry, listNames(all))
	case 1:
		return picked[0], nil
	}
	for _, f := range picked {
		name := strings.ToLower(f.Name)
		for _, ext := range reportExtensions {
			if strings.HasSuffix(name, ext) {
				return f, nil
			}
		}
	}
	return nil, fmt.Errorf("%w: %d entries and none ends in .csv, .tsv or .txt: %s", ErrNoReportEntry, len(picked), listNames(candidates))
}

func listNames(names []string) string {
	const max = 10
	if len(names) == 0 {
		return "(none)"
	}
	quoted := make([]string, 0, max)
	for i, n := range names {
		if i == max {
			quoted = append(quoted, fmt.Sprintf("and %d more", len(names)-max))
			break
		}
		quoted = append(quoted, fmt.Sprintf("%q", n))
	}
	return strings.Join(quoted, ", ")
}
