package lake

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// Result is the answer to a QuerySpec.
type Result struct {
	GroupBy []Dimension
	Groups  []Group // sorted by key, then currency
	Totals  []Total // per currency, sorted
	Stats   QueryStats
}

// Group is the total of one combination of GroupBy values in one currency.
type Group struct {
	Key      []string // values in GroupBy order
	Currency string
	Rows     int64
	Units    int64
	Revenue  decimal.Decimal
}

// Total is the total of all matching rows in one currency.
type Total struct {
	Currency string
	Rows     int64
	Units    int64
	Revenue  decimal.Decimal
}

// QueryStats tells how much of the lake a query read.
type QueryStats struct {
	Partitions       int   // partitions read (after path pruning)
	Files            int   // files opened
	RowGroupsRead    int   // row groups read
	RowGroupsSkipped int   // row groups skipped by statistics or bloom filter
	RowsScanned      int64 // rows decoded
	RowsMatched      int64 // rows that passed the filters
}

// aggRecord is the projection of a lake row that queries and
// reconciliation read; only these columns are decoded.
type aggRecord struct {
	ISRC        *string            `parquet:"isrc,optional"`
	DSP         string             `parquet:"dsp"`
	Territory   string             `parquet:"territory"`
	PeriodStart int32              `parquet:"period_start,date"`
	IngestTime  int64              `parquet:"ingest_time,timestamp(millisecond)"`
	Units       int64              `parquet:"units"`
	Revenue     [revenueWidth]byte `parquet:"revenue,decimal(15:38)"`
	Currency    string             `parquet:"currency"`
	FileSHA256  string             `parquet:"file_sha256"`
	FileName    string             `parquet:"file_name"`
	Line        int64              `parquet:"line"`
}

// Query totals units and revenue of the lake at root as spec asks, reading
// only partitions whose path can match and row groups whose statistics and
// ISRC bloom filter can match.
func Query(ctx context.Context, root string, spec QuerySpec) (Result, error) {
	st, err := openRoot(root)
	if err != nil {
		return Result{}, err
	}
	return queryStore(ctx, st, spec)
}

func queryStore(ctx context.Context, st objstore.Store, spec QuerySpec) (Result, error) {
	f, err := spec.compile()
	if err != nil {
		return Result{}, err
	}
	agg := newAggregator(spec.GroupBy)
	stats, err := readMatching(ctx, st, f, func(r *aggRecord) { agg.add(r) })
	if err != nil {
		return Result{}, err
	}
	res := agg.result()
	res.Stats = stats
	return res, nil
}

// readMatching calls fn for every live row that passes f.
func readMatching(ctx context.Context, st objstore.Store, f *filter, fn func(*aggRecord)) (QueryStats, error) {
	var stats QueryStats
	l, err := readLayout(ctx, st)
	if err != nil {
		return stats, err
	}
	parts, err := listPartitions(ctx, st, l.PartitionKeys, f.partition)
	if err != nil {
		return stats, err
	}
	for _, p := range parts {
		if err := readPartition(ctx, st, p, f, &stats, fn); err != nil {
			return stats, err
		}
	}
	return stats, nil
}

func readPartition(ctx context.Context, st objstore.Store, partition string, f *filter, stats *QueryStats, fn func(*aggRecord)) error {
	_, files, err := openPartition(ctx, st, partition)
	if err != nil {
		return err
	}
	defer closeFiles(files)
	stats.Partitions++
	stats.Files += len(files)
	for _, of := range files {
		cols := columnsOf(of.pf)
		for i, rg := range of.pf.RowGroups() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if !rowGroupMayMatch(of.pf, cols, i, f) {
				stats.RowGroupsSkipped++
				continue
			}
			stats.RowGroupsRead++
			err := readRows(rg, func(recs []aggRecord) error {
				stats.RowsScanned += int64(len(recs))
				for j := range recs {
					if f.row(&recs[j]) {
						stats.RowsMatched++
						fn(&recs[j])
					}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("lake: read %s/%s: %w", partition, of.entry.Name, err)
			}
		}
	}
	return nil
}

// aggregator sums exactly: revenue as unscaled big integers.
type aggregator struct {
	dims    []Dimension
	groups  map[string]*groupAcc
	totals  map[string]*groupAcc
	scratch big.Int
}

type groupAcc struct {
	key      []string
	currency string
	rows     int64
	units    int64
	revenue  big.Int // unscaled, scale 15
}

func newAggregator(dims []Dimension) *aggregator {
	return &aggregator{dims: dims, groups: map[string]*groupAcc{}, totals: map[string]*groupAcc{}}
}

func (a *aggregator) add(r *aggRecord) {
	key := make([]string, len(a.dims))
	for i, d := range a.dims {
		switch d {
		case DimISRC:
			if r.ISRC != nil {
				key[i] = *r.ISRC
			}
		case DimDSP:
			key[i] = r.DSP
		case DimTerritory:
			key[i] = r.Territory
		case DimPeriod:
			key[i] = dayTime(r.PeriodStart).Format("2006-01")
		}
	}
	unscaledInto(&a.scratch, r.Revenue)
	id := strings.Join(key, "\x00") + "\x00" + r.Currency
	g := a.groups[id]
	if g == nil {
		g = &groupAcc{key: key, currency: r.Currency}
		a.groups[id] = g
	}
	g.addRow(r.Units, &a.scratch)
	t := a.totals[r.Currency]
	if t == nil {
		t = &groupAcc{currency: r.Currency}
		a.totals[r.Currency] = t
	}
	t.addRow(r.Units, &a.scratch)
}

func (g *groupAcc) addRow(units int64, unscaled *big.Int) {
	g.rows++
	g.units += units
	g.revenue.Add(&g.revenue, unscaled)
}

func (a *aggregator) result() Result {
	res := Result{GroupBy: a.dims}
	for _, g := range a.groups {
		res.Groups = append(res.Groups, Group{Key: g.key, Currency: g.currency, Rows: g.rows, Units: g.units,
			Revenue: decimal.NewFromBigInt(new(big.Int).Set(&g.revenue), -revenueScale)})
	}
	sort.Slice(res.Groups, func(i, j int) bool {
		a, b := res.Groups[i], res.Groups[j]
		if c := strings.Compare(strings.Join(a.Key, "\x00"), strings.Join(b.Key, "\x00")); c != 0 {
			return c < 0
		}
		return a.Currency < b.Currency
	})
	for _, t := range a.totals {
		res.Totals = append(res.Totals, Total{Currency: t.currency, Rows: t.rows, Units: t.units,
			Revenue: decimal.NewFromBigInt(new(big.Int).Set(&t.revenue), -revenueScale)})
	}
	sort.Slice(res.Totals, func(i, j int) bool { return res.Totals[i].Currency < res.Totals[j].Currency })
	return res
}
