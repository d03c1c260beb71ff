package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/ledgerline/ledgerline/connectors/reportfile"
)

// runGenerate writes synthetic data for load tests and benchmarks.
func runGenerate(_ context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "report" {
		fmt.Fprintln(e.stderr, "Usage: ledgerline generate report [--rows N | --size 1GiB] [--bad FRACTION] [--seed N] --out FILE")
		return errUsage
	}
	fs := newFlags(e, "generate report", "generate report [--rows N | --size 1GiB] [--bad FRACTION] [--seed N] --out FILE")
	rows := fs.Int("rows", 0, "data rows to write")
	size := fs.String("size", "", "approximate file size instead of --rows (e.g. 512MiB, 2GiB)")
	bad := fs.Float64("bad", reportfile.DefaultBadFraction, "fraction of rows written broken")
	seed := fs.Int64("seed", 1, "random seed; the same seed gives the same bytes")
	out := fs.String("out", "", "output file (- for standard output)")
	if err := e.parse(fs, args[1:]); err != nil {
		return err
	}
	if *out == "" || (*rows == 0) == (*size == "") {
		fs.Usage()
		return errUsage
	}
	n := *rows
	if *size != "" {
		want, err := parseSize(*size)
		if err != nil {
			return err
		}
		// Measure the average row size on a sample with the same seed.
		var cw countingDiscard
		st, err := reportfile.GenerateReport(&cw, reportfile.GenerateOptions{Rows: 20000, Seed: *seed, BadFraction: *bad})
		if err != nil {
			return err
		}
		n = int(want * int64(st.Rows) / st.Bytes)
	}
	var w io.Writer = e.stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		bw := bufio.NewWriterSize(f, 1<<20)
		defer bw.Flush()
		w = bw
	}
	st, err := reportfile.GenerateReport(w, reportfile.GenerateOptions{Rows: n, Seed: *seed, BadFraction: *bad})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %d rows (%d broken, %d voids), %s\n", st.Rows, st.BadRows, st.Voids, humanBytes(st.Bytes))
	return nil
}

type countingDiscard struct{ n int64 }

func (c *countingDiscard) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// parseSize reads sizes like 100MB, 512MiB, 2GiB, 1G.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}}
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), 64)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("bad size %q", s)
			}
			return int64(v * float64(u.mult)), nil
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("bad size %q (use e.g. 512MiB or 2GiB)", s)
	}
	return v, nil
}
