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

// notComputed is the Computed value of a declared total that cannot be
// computed from the file's rows.
const notComputed = "n/a"

// totals accumulates what reconciliation compares, per scope ("" is the
// whole file). Units and amounts are summed over every data row whose
// numbers parse, accepted or rejected: a DSP's declared total counts the
// rows this boundary rejects for other reasons (an invalid ISRC, say), so
// leaving them out would report a mismatch that is not in the money.
type totals struct {
	scopes map[string]*scopeTotals
	whole  *scopeTotals
	// The scope of the previous row, as rows of one scope come together.
	lastName  string
	lastScope *scopeTotals
}

type scopeTotals struct {
	rows    int64
	units   int64
	amounts map[string]*exactSum // currency ("" when unknown) -> sum
	terms   map[string]*termSum  // measure -> sum of the rows' terms
}

type termSum struct {
	sum        exactSum
	unreadable int64
}

func newTotals() *totals {
	t := &totals{scopes: map[string]*scopeTotals{}}
	t.whole = t.scope("")
	return t
}

func (t *totals) scope(name string) *scopeTotals {
	s, ok := t.scopes[name]
	if !ok {
		s = &scopeTotals{amounts: map[string]*exactSum{}}
		t.scopes[name] = s
	}
	return s
}

// rowScope returns the totals of a row's own scope, nil for the whole
// file.
func (t *totals) rowScope(name string) *scopeTotals {
	if name == "" {
		return nil
	}
	if t.lastScope == nil || name != t.lastName {
		t.lastName, t.lastScope = name, t.scope(name)
	}
	return t.lastScope
}

func (s *scopeTotals) amount(cur string) *exactSum {
	a, ok := s.amounts[cur]
	if !ok {
		a = new(exactSum)
		s.amounts[cur] = a
	}
	return a
}

func (s *scopeTotals) addAccepted(ev *avro.UsageEvent) {
	s.rows++
	s.units += ev.Units
	s.amount(ev.Currency).add(ev.Revenue)
}

// addRow adds a row: the accepted event's numbers, or for a rejected row
// the numbers that parse, and the row's terms.
func (t *totals) addRow(row *reportfile.Row, ev *avro.UsageEvent) {
	whole := t.whole
	own := t.rowScope(row.Scope)
	if ev != nil {
		whole.addAccepted(ev)
		if own != nil {
			own.addAccepted(ev)
		}
	} else {
		t.addRejected(row, whole, own)
	}
	for i := range row.Terms {
		term := &row.Terms[i]
		v, err := validate.ParseAmount(term.Value, row.Numbers.Decimal, row.Numbers.Thousands)
		if term.Negate {
			v = v.Neg()
		}
		for _, s := range [2]*scopeTotals{whole, own} {
			if s == nil {
				continue
			}
			ts := s.term(term.Measure)
			if err != nil {
				ts.unreadable++
				continue
			}
			ts.sum.add(v)
		}
	}
}

func (s *scopeTotals) term(measure string) *termSum {
	if s.terms == nil {
		s.terms = map[string]*termSum{}
	}
	ts, ok := s.terms[measure]
	if !ok {
		ts = new(termSum)
		s.terms[measure] = ts
	}
	return ts
}

func (t *totals) addRejected(row *reportfile.Row, whole, own *scopeTotals) {
	c := &row.Cells
	units, uerr := validate.ParseUnits(c[reportfile.FieldUnits], row.Numbers.Decimal, row.Numbers.Thousands)
	amount, aerr := validate.ParseAmount(c[reportfile.FieldAmount], row.Numbers.Decimal, row.Numbers.Thousands)
	cur, cerr := validate.NormalizeCurrency(c[reportfile.FieldCurrency])
	if cerr != nil {
		cur = ""
	}
	for _, s := range [2]*scopeTotals{whole, own} {
		if s == nil {
			continue
		}
		s.rows++
		if uerr == nil {
			s.units += units
		}
		if aerr == nil {
			s.amount(cur).add(amount)
		}
	}
}

// reconcile compares each declared total with what was computed. Matched
// is true when every total that can be computed from the file's rows
// agrees within its tolerance; totals that cannot be (computed "n/a") are
// reported and do not affect it.
func reconcile(declared []reportfile.Declared, st reportfile.Structure, t *totals) Reconciliation {
	r := Reconciliation{Declared: map[string]string{}, Computed: map[string]string{}, Matched: true}
	for _, d := range declared {
		f := compare(d, st, t)
		r.Findings = append(r.Findings, f)
		r.Declared[f.Key] = f.Declared
		r.Computed[f.Key] = f.Computed
		if f.Compared && !f.Matched {
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
	why := ""
	switch {
	case d.NotComputable != "":
		why = d.NotComputable
	case d.FromTerms:
		if ts := s.terms[d.Measure]; ts != nil {
			computed = ts.sum.value()
			if ts.unreadable > 0 {
				f.Note = strconv.FormatInt(ts.unreadable, 10) + " row values unreadable and left out"
			}
		}
	default:
		var ok bool
		computed, cur, ok = builtin(d.Measure, cur, s, st, &f)
		if !ok {
			why = "no computed counterpart for this measure"
		}
	}
	f.Currency = cur
	f.Key = d.Measure
	if cur != "" {
		f.Key += "." + cur
	}
	if d.Scope != "" {
		f.Key = d.Scope + "/" + f.Key
	}
	dec, derr := validate.ParseAmount(d.Value, 0, 0)
	if derr == nil {
		f.Declared = dec.String()
	}
	if why != "" {
		f.Computed, f.Note = notComputed, why
		return f
	}
	f.Compared = true
	f.Computed = computed.String()
	if derr != nil {
		f.Note = "declared value unreadable: " + derr.Error()
		return f
	}
	tol, err := decimal.NewFromString(f.Tolerance)
	if err != nil {
		tol = decimal.Zero
	}
	diff := dec.Sub(computed)
	f.Matched = diff.Abs().LessThanOrEqual(tol)
	if !f.Matched && f.Note == "" {
		f.Note = "differs by " + diff.String()
	} else if f.Matched && !diff.IsZero() && f.Note == "" {
		f.Note = "differs by " + diff.String() + ", within tolerance"
	}
	return f
}

// builtin returns the computed counterpart of a measure the reader
// defines, and false for any other measure.
func builtin(measure, cur string, s *scopeTotals, st reportfile.Structure, f *Finding) (decimal.Decimal, string, bool) {
	switch measure {
	case model.MeasureRows:
		return decimal.NewFromInt(s.rows), cur, true
	case model.MeasureUnits, model.MeasureUsages:
		return decimal.NewFromInt(s.units), cur, true
	case model.MeasureAmount, model.MeasureNetRevenue:
		v, c, note := amountFor(s, cur)
		f.Note = note
		return v, c, true
	case model.MeasureLinesInFile, model.MeasureLinesInReport:
		return decimal.NewFromInt(st.PhysicalLines), cur, true
	case model.MeasureBlocks, model.MeasureBlocksInReport:
		return decimal.NewFromInt(st.Blocks), cur, true
	case model.MeasureSummaryRecords:
		return decimal.NewFromInt(st.SummaryRows), cur, true
	}
	return decimal.Zero, cur, false
}

// amountFor returns the sum of amounts in cur, or, when the declared total
// names no currency, the sum of the only currency seen.
func amountFor(s *scopeTotals, cur string) (decimal.Decimal, string, string) {
	if cur != "" {
		if a := s.amounts[cur]; a != nil {
			return a.value(), cur, ""
		}
		return decimal.Zero, cur, ""
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
		return s.amounts[seen[0]].value(), seen[0], ""
	}
	var sum exactSum
	for _, c := range seen {
		sum.addSum(s.amounts[c])
	}
	return sum.value(), "", "rows carry " + strconv.Itoa(len(seen)) + " currencies: " + strings.Join(seen, ", ")
}
