package ingest

import (
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/reportfile"
	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
	"github.com/ledgerline/ledgerline/processors/validate"
)

// totals accumulates what reconciliation compares, per scope ("" is the
// whole file). Units and amounts are summed over every data row whose
// numbers parse, accepted or rejected: a DSP's declared total counts the
// rows this boundary rejects for other reasons (an invalid ISRC, say), so
// leaving them out would report a mismatch that is not in the money.
type totals struct {
	scopes map[string]*scopeTotals
}

type scopeTotals struct {
	rows    int64
	units   int64
	amounts map[string]decimal.Decimal // currency ("" when unknown) -> sum
}

func newTotals() *totals { return &totals{scopes: map[string]*scopeTotals{}} }

func (t *totals) scope(name string) *scopeTotals {
	s, ok := t.scopes[name]
	if !ok {
		s = &scopeTotals{amounts: map[string]decimal.Decimal{}}
		t.scopes[name] = s
	}
	return s
}

// each calls fn for the whole-file totals and the row's own scope.
func (t *totals) each(scope string, fn func(*scopeTotals)) {
	fn(t.scope(""))
	if scope != "" {
		fn(t.scope(scope))
	}
}

func (t *totals) addRow(scope string) {
	t.each(scope, func(s *scopeTotals) { s.rows++ })
}

func (t *totals) addAccepted(scope string, ev *avro.UsageEvent) {
	t.each(scope, func(s *scopeTotals) {
		s.units += ev.Units
		s.amounts[ev.Currency] = s.amounts[ev.Currency].Add(ev.Revenue)
	})
}

func (t *totals) addRejected(row *reportfile.Row) {
	c := &row.Cells
	units, uerr := validate.ParseUnits(c[reportfile.FieldUnits], row.Numbers.Decimal, row.Numbers.Thousands)
	amount, aerr := validate.ParseAmount(c[reportfile.FieldAmount], row.Numbers.Decimal, row.Numbers.Thousands)
	cur, cerr := validate.NormalizeCurrency(c[reportfile.FieldCurrency])
	if cerr != nil {
		cur = ""
	}
	t.each(row.Scope, func(s *scopeTotals) {
		if uerr == nil {
			s.units += units
		}
		if aerr == nil {
			s.amounts[cur] = s.amounts[cur].Add(amount)
		}
	})
}

// reconcile compares each declared total with what was computed.
func reconcile(declared []reportfile.Declared, st reportfile.Structure, t *totals) Reconciliation {
	r := Reconciliation{Declared: map[string]string{}, Computed: map[string]string{}, Matched: true}
	for _, d := range declared {
		f := compare(d, st, t)
		r.Findings = append(r.Findings, f)
		r.Declared[f.Key] = f.Declared
		r.Computed[f.Key] = f.Computed
		if !f.Matched {
			r.Matched = false
		}
	}
	sort.SliceStable(r.Findings, func(i, j int) bool { return r.Findings[i].Key < r.Findings[j].Key })
	return r
}

func compare(d reportfile.Declared, st reportfile.Structure, t *totals) Finding {
	f := Finding{Measure: d.Measure, Scope: d.Scope, Tolerance: d.Tolerance, Declared: d.Value}
	if f.Tolerance == "" {
		f.Tolerance = "0"
	}
	cur := ""
	if d.Currency != "" {
		if c, err := validate.NormalizeCurrency(d.Currency); err == nil {
			cur = c
		} else {
			cur = strings.ToUpper(strings.TrimSpace(d.Currency))
		}
	}
	s := t.scope(d.Scope)
	var computed decimal.Decimal
	known := true
	switch d.Measure {
	case model.MeasureRows:
		computed = decimal.NewFromInt(s.rows)
	case model.MeasureUnits, model.MeasureUsages:
		computed = decimal.NewFromInt(s.units)
	case model.MeasureAmount, model.MeasureNetRevenue:
		var note string
		computed, cur, note = amountFor(s, cur)
		f.Note = note
	case model.MeasureLinesInFile, model.MeasureLinesInReport:
		computed = decimal.NewFromInt(st.PhysicalLines)
	case model.MeasureBlocks, model.MeasureBlocksInReport:
		computed = decimal.NewFromInt(st.Blocks)
	case model.MeasureSummaryRecords:
		computed = decimal.NewFromInt(st.SummaryRows)
	default:
		known = false
	}
	f.Currency = cur
	f.Key = d.Measure
	if cur != "" {
		f.Key += "." + cur
	}
	if d.Scope != "" {
		f.Key = d.Scope + "/" + f.Key
	}
	if !known {
		f.Computed = "n/a"
		f.Note = "no computed counterpart for this measure"
		return f
	}
	f.Computed = computed.String()
	dec, err := validate.ParseAmount(d.Value, 0, 0)
	if err != nil {
		f.Note = "declared value unreadable: " + err.Error()
		return f
	}
	f.Declared = dec.String()
	tol, err := decimal.NewFromString(f.Tolerance)
	if err != nil {
		tol = decimal.Zero
	}
	f.Matched = dec.Sub(computed).Abs().LessThanOrEqual(tol)
	if !f.Matched && f.Note == "" {
		f.Note = "differs by " + dec.Sub(computed).String()
	}
	return f
}

// amountFor returns the sum of amounts in cur, or, when the declared total
// names no currency, the sum of the only currency seen.
func amountFor(s *scopeTotals, cur string) (decimal.Decimal, string, string) {
	if cur != "" {
		return s.amounts[cur], cur, ""
	}
	seen := make([]string, 0, len(s.amounts))
	for c := range s.amounts {
		seen = append(seen, c)
	}
	sort.Strings(seen)
	switch len(seen) {
	case 0:
		return decimal.Zero, "", ""
	case 1:
		return s.amounts[seen[0]], seen[0], ""
	}
	sum := decimal.Zero
	for _, c := range seen {
		sum = sum.Add(s.amounts[c])
	}
	return sum, "", "rows carry " + strconv.Itoa(len(seen)) + " currencies: " + strings.Join(seen, ", ")
}
