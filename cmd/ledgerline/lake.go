package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/connectors/lake"
	"github.com/ledgerline/ledgerline/topology/ingest"
)

func runLake(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, "Usage: ledgerline lake query|compact|reconcile --lake DIR [flags]")
		return errUsage
	}
	switch args[0] {
	case "query":
		return lakeQuery(ctx, e, args[1:])
	case "compact":
		return lakeCompact(ctx, e, args[1:])
	case "reconcile":
		return lakeReconcile(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "ledgerline lake: unknown subcommand %q (query|compact|reconcile)\n", args[0])
	return errUsage
}

// list splits a comma-separated flag value.
func list(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func lakeQuery(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "lake query", "lake query --lake DIR [--group-by isrc,dsp,territory,period] [filters] [--format table|csv|json]")
	root := fs.String("lake", "", "root folder of the lake")
	groupBy := fs.String("group-by", "", "comma-separated dimensions: isrc, dsp, territory, period")
	from := fs.String("from", "", "first ingest day, YYYY-MM-DD")
	to := fs.String("to", "", "last ingest day, YYYY-MM-DD")
	periodFrom := fs.String("period-from", "", "first reporting month, YYYY-MM")
	periodTo := fs.String("period-to", "", "last reporting month, YYYY-MM")
	dsps := fs.String("dsp", "", "comma-separated DSPs")
	territories := fs.String("territory", "", "comma-separated territory codes")
	isrcs := fs.String("isrc", "", "comma-separated ISRCs")
	format := fs.String("format", "table", "table, csv or json")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *root == "" {
		fs.Usage()
		return errUsage
	}
	f, err := lake.ParseFormat(*format)
	if err != nil {
		return err
	}
	spec := lake.QuerySpec{IngestFrom: *from, IngestTo: *to, PeriodFrom: *periodFrom, PeriodTo: *periodTo,
		DSPs: list(*dsps), Territories: list(*territories), ISRCs: list(*isrcs)}
	for _, d := range list(*groupBy) {
		spec.GroupBy = append(spec.GroupBy, lake.Dimension(d))
	}
	res, err := lake.Query(ctx, *root, spec)
	if err != nil {
		return err
	}
	if err := lake.RenderResult(e.stdout, res, f); err != nil {
		return err
	}
	if f == lake.FormatTable {
		return nil // the table says what was read
	}
	st := res.Stats
	fmt.Fprintf(e.stderr, "read %d partitions, %d files, %d row groups (%d skipped), %d rows scanned, %d matched\n",
		st.Partitions, st.Files, st.RowGroupsRead, st.RowGroupsSkipped, st.RowsScanned, st.RowsMatched)
	return nil
}

func lakeCompact(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "lake compact", "lake compact --lake DIR [--target 128MiB] [--after 1h]")
	root := fs.String("lake", "", "root folder of the lake")
	target := fs.String("target", "128MiB", "target size of merged files")
	after := fs.Duration("after", time.Hour, "compact partitions without appends for this long")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *root == "" {
		fs.Usage()
		return errUsage
	}
	size, err := parseSize(*target)
	if err != nil {
		return err
	}
	if *after <= 0 {
		*after = time.Nanosecond
	}
	st, err := lake.Compact(ctx, lake.Options{Root: *root, CompactTargetBytes: size, CompactAfter: *after})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "examined %d partitions: %d compactions merged %d files (%s) into %d (%s); %d replaced files removed\n",
		st.Partitions, st.Compacted, st.FilesIn, humanBytes(st.BytesIn), st.FilesOut, humanBytes(st.BytesOut), st.ReplacedRemoved)
	return nil
}

// lakeReconcile compares the lake, per source file, with what ingestion
// accepted (the ingest ledger) and with the file's declared totals (the
// reconciliation topic).
func lakeReconcile(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "lake reconcile", "lake reconcile --lake DIR [--brokers HOST:PORT] [--format table|csv|json]")
	root := fs.String("lake", "", "root folder of the lake")
	kafka := addKafkaFlags(fs, e)
	format := fs.String("format", "table", "table, csv or json")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *root == "" {
		fs.Usage()
		return errUsage
	}
	f, err := lake.ParseFormat(*format)
	if err != nil {
		return err
	}
	opts, err := kafka.connect(ctx, false)
	if err != nil {
		return err
	}
	expected, err := expectedTotals(ctx, opts, *kafka.topicPrefix)
	if err != nil {
		return err
	}
	rep, err := lake.Reconcile(ctx, *root, expected)
	if err != nil {
		return err
	}
	if err := lake.RenderReconcile(e.stdout, rep, f); err != nil {
		return err
	}
	if len(rep.Differences) > 0 {
		return fmt.Errorf("%d differences", len(rep.Differences))
	}
	return nil
}

// expectedTotals builds, per file, what ingestion accepted and what the
// file declared about itself (whole-file totals only).
func expectedTotals(ctx context.Context, opts []kgo.Opt, topicPrefix string) (map[string]lake.ExpectedTotals, error) {
	ledger, err := ingest.ReadLedger(ctx, opts, topicPrefix)
	if err != nil {
		return nil, err
	}
	findings, err := ingest.ReadFindings(ctx, opts, topicPrefix)
	if err != nil {
		return nil, err
	}
	out := map[string]lake.ExpectedTotals{}
	for sha, l := range ledger {
		accepted, units := l.Accepted, l.AcceptedUnits
		exp := lake.ExpectedTotals{FileName: l.FileName,
			Accepted: lake.Totals{Rows: &accepted, Units: &units, Revenue: l.AcceptedRevenue}}
		var declared lake.Totals
		any := false
		for _, f := range findings[sha] {
			if strings.Contains(f.Measure, "/") {
				continue // a total over part of the file
			}
			d, err := decimal.NewFromString(f.Declared)
			if err != nil {
				continue
			}
			switch {
			case f.Measure == "rows":
				n := d.IntPart()
				declared.Rows, any = &n, true
			case f.Measure == "units":
				n := d.IntPart()
				declared.Units, any = &n, true
			case strings.HasPrefix(f.Measure, "amount.") && f.Currency != nil:
				if declared.Revenue == nil {
					declared.Revenue = map[string]decimal.Decimal{}
				}
				declared.Revenue[*f.Currency], any = d, true
			}
		}
		if any {
			exp.Declared = &declared
		}
		out[sha] = exp
	}
	return out, nil
}
