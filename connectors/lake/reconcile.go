package lake

import (
	"context"
	"math/big"
	"sort"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// Totals are counts and sums of a source file's lines. A nil field was not
// stated (a report that declares no unit total, say).
type Totals struct {
	Rows    *int64
	Units   *int64
	Revenue map[string]decimal.Decimal // per currency; nil when not stated
}

// ExpectedTotals is what the lake should hold for one source file.
type ExpectedTotals struct {
	FileName string
	// Accepted is what ingestion accepted into the usage topic.
	Accepted Totals
	// Declared is what the file itself declares (its trailer or summary
	// rows), nil when it declares nothing.
	Declared *Totals
}

// FileTotals are the lake's totals for one source file.
type FileTotals struct {
	FileSHA256 string
	FileName   string
	Rows       int64
	Units      int64
	Revenue    map[string]decimal.Decimal
	// DuplicateLines counts rows whose source line is in the lake more
	// than once.
	DuplicateLines int64
}

// Difference is one disagreement found by Reconcile.
type Difference struct {
	FileSHA256 string
	FileName   string
	Against    string // "accepted", "declared" or "lake" (a file nothing expected)
	Measure    string // "rows", "units", "revenue", "duplicate_lines" or "file"
	Currency   string // for revenue
	Expected   string
	Lake       string
}

// ReconcileReport lists the lake's totals per source file and every
// difference from the expectations.
type ReconcileReport struct {
	Files       []FileTotals // sorted by FileSHA256
	Differences []Difference
	Stats       QueryStats
}

// Reconcile totals the lake at root per source file (by file SHA-256) and
// compares rows, units and revenue per currency with what ingestion
// accepted and with what the file declared. Files in the lake that are not
// expected, and lines present more than once, are differences too.
func Reconcile(ctx context.Context, root string, expected map[string]ExpectedTotals) (ReconcileReport, error) {
	st, err := openRoot(root)
	if err != nil {
		return ReconcileReport{}, err
	}
	return reconcileStore(ctx, st, expected)
}

// maxTrackedLine bounds the per-file line bitmap used to find duplicates.
const maxTrackedLine = 1 << 28

type fileAcc struct {
	name    string
	rows    int64
	units   int64
	revenue map[string]*big.Int
	lines   []uint64 // bitmap of seen line numbers
	dups    int64
}

func reconcileStore(ctx context.Context, st objstore.Store, expected map[string]ExpectedTotals) (ReconcileReport, error) {
	f, err := QuerySpec{}.compile()
	if err != nil {
		return ReconcileReport{}, err
	}
	accs := map[string]*fileAcc{}
	var scratch big.Int
	stats, err := readMatching(ctx, st, f, func(r *aggRecord) {
		a := accs[r.FileSHA256]
		if a == nil {
			a = &fileAcc{name: r.FileName, revenue: map[string]*big.Int{}}
			accs[r.FileSHA256] = a
		}
		a.rows++
		a.units += r.Units
		sum := a.revenue[r.Currency]
		if sum == nil {
			sum = new(big.Int)
			a.revenue[r.Currency] = sum
		}
		sum.Add(sum, unscaledInto(&scratch, r.Revenue))
		a.markLine(r.Line)
	})
	if err != nil {
		return ReconcileReport{}, err
	}
	rep := ReconcileReport{Stats: stats}
	for sha, a := range accs {
		ft := FileTotals{FileSHA256: sha, FileName: a.name, Rows: a.rows, Units: a.units,
			Revenue: map[string]decimal.Decimal{}, DuplicateLines: a.dups}
		for c, v := range a.revenue {
			ft.Revenue[c] = decimal.NewFromBigInt(v, -revenueScale)
		}
		rep.Files = append(rep.Files, ft)
	}
	sort.Slice(rep.Files, func(i, j int) bool { return rep.Files[i].FileSHA256 < rep.Files[j].FileSHA256 })
	rep.Differences = differences(rep.Files, expected)
	return rep, nil
}

func (a *fileAcc) markLine(line int64) {
	if line < 0 || line >= maxTrackedLine {
		return
	}
	w := int(line / 64)
	if w >= len(a.lines) {
		a.lines = append(a.lines, make([]uint64, w+1-len(a.lines))...)
	}
	bit := uint64(1) << (line % 64)
	if a.lines[w]&bit != 0 {
		a.dups++
	}
	a.lines[w] |= bit
}

func differences(files []FileTotals, expected map[string]ExpectedTotals) []Difference {
	var out []Difference
	inLake := map[string]FileTotals{}
	for _, ft := range files {
		inLake[ft.FileSHA256] = ft
		if _, ok := expected[ft.FileSHA256]; !ok {
			out = append(out, Difference{FileSHA256: ft.FileSHA256, FileName: ft.FileName, Against: "lake",
				Measure: "file", Expected: "absent", Lake: strconv.FormatInt(ft.Rows, 10) + " rows"})
		}
		if ft.DuplicateLines > 0 {
			out = append(out, Difference{FileSHA256: ft.FileSHA256, FileName: ft.FileName, Against: "lake",
				Measure: "duplicate_lines", Expected: "0", Lake: strconv.FormatInt(ft.DuplicateLines, 10)})
		}
	}
	shas := make([]string, 0, len(expected))
	for sha := range expected {
		shas = append(shas, sha)
	}
	sort.Strings(shas)
	for _, sha := range shas {
		exp := expected[sha]
		ft := inLake[sha] // zero totals when the lake has none of the file
		name := exp.FileName
		if name == "" {
			name = ft.FileName
		}
		out = append(out, compareTotals(sha, name, "accepted", exp.Accepted, ft)...)
		if exp.Declared != nil {
			out = append(out, compareTotals(sha, name, "declared", *exp.Declared, ft)...)
		}
	}
	return out
}

func compareTotals(sha, name, against string, want Totals, got FileTotals) []Difference {
	var out []Difference
	diff := func(measure, currency, expected, lake string) {
		out = append(out, Difference{FileSHA256: sha, FileName: name, Against: against,
			Measure: measure, Currency: currency, Expected: expected, Lake: lake})
	}
	if want.Rows != nil && *want.Rows != got.Rows {
		diff("rows", "", strconv.FormatInt(*want.Rows, 10), strconv.FormatInt(got.Rows, 10))
	}
	if want.Units != nil && *want.Units != got.Units {
		diff("units", "", strconv.FormatInt(*want.Units, 10), strconv.FormatInt(got.Units, 10))
	}
	if want.Revenue != nil {
		currencies := map[string]bool{}
		for c := range want.Revenue {
			currencies[c] = true
		}
		for c := range got.Revenue {
			currencies[c] = true
		}
		for _, c := range set(currencies).sorted() {
			w, g := want.Revenue[c], got.Revenue[c]
			if !w.Equal(g) {
				diff("revenue", c, w.String(), g.String())
			}
		}
	}
	return out
}
