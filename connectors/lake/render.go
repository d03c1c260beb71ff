package lake

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Format is an output format of the renderers.
type Format string

// Output formats.
const (
	FormatTable Format = "table"
	FormatCSV   Format = "csv"
	FormatJSON  Format = "json"
)

// ParseFormat accepts "table", "csv" or "json".
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case FormatTable, FormatCSV, FormatJSON:
		return f, nil
	}
	return "", fmt.Errorf("lake: unknown output format %q (table, csv, json)", s)
}

// RenderResult writes a query result. Revenue is printed exactly, as a
// decimal string; JSON carries it as a string too, so no reader rounds it
// through a float.
func RenderResult(w io.Writer, r Result, f Format) error {
	header := make([]string, 0, len(r.GroupBy)+4)
	for _, d := range r.GroupBy {
		header = append(header, string(d))
	}
	header = append(header, "currency", "rows", "units", "revenue")
	rows := make([][]string, 0, len(r.Groups))
	for _, g := range r.Groups {
		row := append(append([]string(nil), g.Key...), g.Currency, itoa(g.Rows), itoa(g.Units), g.Revenue.String())
		rows = append(rows, row)
	}
	switch f {
	case FormatCSV:
		return writeCSV(w, header, rows)
	case FormatJSON:
		return writeJSON(w, resultJSON(r))
	case FormatTable:
		if err := writeTable(w, header, rows); err != nil {
			return err
		}
		totals := make([][]string, 0, len(r.Totals))
		for _, t := range r.Totals {
			totals = append(totals, []string{"TOTAL", t.Currency, itoa(t.Rows), itoa(t.Units), t.Revenue.String()})
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return fmt.Errorf("lake: render: %w", err)
		}
		if err := writeTable(w, []string{"", "currency", "rows", "units", "revenue"}, totals); err != nil {
			return err
		}
		s := r.Stats
		_, err := fmt.Fprintf(w, "\nread %d partitions, %d files, %d row groups (%d skipped), %d rows scanned, %d matched\n",
			s.Partitions, s.Files, s.RowGroupsRead, s.RowGroupsSkipped, s.RowsScanned, s.RowsMatched)
		if err != nil {
			return fmt.Errorf("lake: render: %w", err)
		}
		return nil
	}
	return fmt.Errorf("lake: unknown output format %q", f)
}

type jsonGroup struct {
	Key      map[string]string `json:"key,omitempty"`
	Currency string            `json:"currency"`
	Rows     int64             `json:"rows"`
	Units    int64             `json:"units"`
	Revenue  string            `json:"revenue"`
}

func resultJSON(r Result) any {
	groups := make([]jsonGroup, 0, len(r.Groups))
	for _, g := range r.Groups {
		key := make(map[string]string, len(r.GroupBy))
		for i, d := range r.GroupBy {
			key[string(d)] = g.Key[i]
		}
		groups = append(groups, jsonGroup{Key: key, Currency: g.Currency, Rows: g.Rows, Units: g.Units, Revenue: g.Revenue.String()})
	}
	totals := make([]jsonGroup, 0, len(r.Totals))
	for _, t := range r.Totals {
		totals = append(totals, jsonGroup{Currency: t.Currency, Rows: t.Rows, Units: t.Units, Revenue: t.Revenue.String()})
	}
	return struct {
		GroupBy []Dimension `json:"group_by"`
		Groups  []jsonGroup `json:"groups"`
		Totals  []jsonGroup `json:"totals"`
		Stats   QueryStats  `json:"stats"`
	}{r.GroupBy, groups, totals, r.Stats}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("lake: render csv: %w", err)
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("lake: render csv: %w", err)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("lake: render json: %w", err)
	}
	return nil
}

func writeTable(w io.Writer, header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	line := func(cells []string) {
		for _, c := range cells {
			fmt.Fprintf(tw, "%s\t", tableCell(c))
		}
		fmt.Fprintln(tw)
	}
	line(header)
	for _, r := range rows {
		line(r)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("lake: render table: %w", err)
	}
	return nil
}

// tableCell keeps untrusted text (a DSP name) from breaking the table.
func tableCell(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r < 0x20 {
			return ' '
		}
		return r
	}, s)
}
