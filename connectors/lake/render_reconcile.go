package lake

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// RenderReconcile writes a reconciliation report: the differences, then
// (table only) a per-file summary.
func RenderReconcile(w io.Writer, r ReconcileReport, f Format) error {
	header := []string{"file_sha256", "file_name", "against", "measure", "currency", "expected", "lake"}
	rows := make([][]string, 0, len(r.Differences))
	for _, d := range r.Differences {
		rows = append(rows, []string{d.FileSHA256, d.FileName, d.Against, d.Measure, d.Currency, d.Expected, d.Lake})
	}
	switch f {
	case FormatCSV:
		return writeCSV(w, header, rows)
	case FormatJSON:
		return writeJSON(w, reconcileJSON(r))
	case FormatTable:
		if len(rows) == 0 {
			if _, err := fmt.Fprintf(w, "no differences in %d files\n", len(r.Files)); err != nil {
				return fmt.Errorf("lake: render: %w", err)
			}
		} else if err := writeTable(w, header, rows); err != nil {
			return err
		}
		files := make([][]string, 0, len(r.Files))
		for _, ft := range r.Files {
			files = append(files, []string{ft.FileSHA256, ft.FileName, itoa(ft.Rows), itoa(ft.Units), revenueList(ft.Revenue)})
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return fmt.Errorf("lake: render: %w", err)
		}
		return writeTable(w, []string{"file_sha256", "file_name", "rows", "units", "revenue"}, files)
	}
	return fmt.Errorf("lake: unknown output format %q", f)
}

func revenueList[V fmt.Stringer](m map[string]V) string {
	cs := make([]string, 0, len(m))
	for c := range m {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = m[c].String() + " " + c
	}
	return strings.Join(parts, ", ")
}

func reconcileJSON(r ReconcileReport) any {
	type file struct {
		FileSHA256     string            `json:"file_sha256"`
		FileName       string            `json:"file_name"`
		Rows           int64             `json:"rows"`
		Units          int64             `json:"units"`
		Revenue        map[string]string `json:"revenue"`
		DuplicateLines int64             `json:"duplicate_lines"`
	}
	type diff struct {
		FileSHA256 string `json:"file_sha256"`
		FileName   string `json:"file_name"`
		Against    string `json:"against"`
		Measure    string `json:"measure"`
		Currency   string `json:"currency,omitempty"`
		Expected   string `json:"expected"`
		Lake       string `json:"lake"`
	}
	files := make([]file, 0, len(r.Files))
	for _, ft := range r.Files {
		rev := map[string]string{}
		for c, v := range ft.Revenue {
			rev[c] = v.String()
		}
		files = append(files, file{ft.FileSHA256, ft.FileName, ft.Rows, ft.Units, rev, ft.DuplicateLines})
	}
	diffs := make([]diff, 0, len(r.Differences))
	for _, d := range r.Differences {
		diffs = append(diffs, diff(d))
	}
	return struct {
		Differences []diff     `json:"differences"`
		Files       []file     `json:"files"`
		Stats       QueryStats `json:"stats"`
	}{diffs, files, r.Stats}
}
