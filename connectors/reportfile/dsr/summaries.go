package dsr

import (
	"fmt"
	"strings"

	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
)

// maxSummaries bounds the summary records kept for joining.
const maxSummaries = 100000

// Why summary totals are not compared with the usage records.
const (
	// A summary record that allocates revenue to a rights controller
	// (SY02) states the usages of the whole service; the file's usage
	// records cover only the recipient's repertoire.
	notComputableAllocated = "the usages of the whole service, which an allocation summary record states; the usage records cover only the recipient's repertoire"
	// NetRevenue of a summary record is the service's revenue for its
	// terms, the base of the royalty calculation, not a sum of the usage
	// records (which, in Basic Audio, carry no revenue at all).
	notComputableNetRevenue = "the service's net revenue, the base of the royalty calculation, not a sum of the usage records"
)

// summary is a summary (SYxx) record.
type summary struct {
	id                 string
	line               int64
	commercialModel    string
	useType            string
	territory          string
	serviceDescription string
	currency           string
	conflict           bool
}

// sameTerms reports whether two summary records with one id agree on the
// values joined into usage rows.
func (s *summary) sameTerms(o *summary) bool {
	return s.commercialModel == o.commercialModel && s.useType == o.useType &&
		s.territory == o.territory && s.currency == o.currency
}

func (p *Parser) onSummary(l *layout, line int64) {
	s := &summary{
		id:                 p.id(l, "summaryrecordid"),
		line:               line,
		commercialModel:    p.str(l, "commercialmodel"),
		useType:            p.str(l, "usetype"),
		territory:          p.id(l, "territory"),
		serviceDescription: p.str(l, "servicedescription"),
		currency:           p.id(l, "currency", "currencyofreporting"),
	}
	scope := scopeName(s.id)
	rc := p.id(l, "rightscontroller")
	if rc != "" {
		p.sumTotals = append(p.sumTotals, sumTotal{index: len(p.declared), id: s.id, rightsController: rc})
	}
	if v := p.id(l, "totalusages", "usages", "numberofusages"); v != "" {
		d := model.Declared{Measure: model.MeasureUsages, Value: v, Tolerance: "0", Scope: scope, Line: line}
		if rc != "" {
			d.NotComputable = notComputableAllocated
		}
		p.declared = append(p.declared, d)
	}
	if v := p.id(l, "netrevenue"); v != "" {
		p.declared = append(p.declared, model.Declared{Measure: model.MeasureNetRevenue, Value: v, Currency: s.currency, Tolerance: "0.01", Scope: scope, Line: line,
			NotComputable: notComputableNetRevenue})
	}
	p.sumCount[s.id]++
	if prev, ok := p.sums[s.id]; ok {
		if !prev.sameTerms(s) && !prev.conflict {
			prev.conflict = true
			p.notes.Anomalyf(line, "summary record %q repeats the id of line %d with a different territory, currency, commercial model or use type", s.id, prev.line)
		}
		return
	}
	if len(p.sums) >= maxSummaries {
		p.notes.Anomalyf(line, "more than %d summary records; summary record %q is not kept for joining", maxSummaries, s.id)
		return
	}
	p.sums[s.id] = s
	if n := normSummaryID(s.id); n != "" {
		if _, dup := p.sumsNorm[n]; !dup {
			p.sumsNorm[n] = s.id
		}
	}
}

// normSummaryID folds a summary record id for a lenient join: "SY1",
// "S1", "001" and "1" all fold to "1".
func normSummaryID(id string) string {
	s := strings.ToUpper(strings.TrimSpace(id))
	s = strings.TrimPrefix(s, "SY")
	s = strings.TrimPrefix(s, "S")
	s = strings.TrimLeft(s, "0")
	if s == "" && id != "" {
		return "0"
	}
	return s
}

// scopeName is the Row.Scope and Declared.Scope of a summary record.
func scopeName(id string) string {
	if id == "" {
		return "summary"
	}
	return "summary " + id
}

// sumTotal locates the totals of a summary record naming a rights
// controller.
type sumTotal struct {
	index            int
	id               string
	rightsController string
}

// scopeSharedSummaries narrows the scope of the totals of summary records
// that share their id with other summary records (one per rights
// controller, as in the UGC profile): such totals describe the service,
// not the usage rows of the id, so they get a scope of their own.
func (p *Parser) scopeSharedSummaries() {
	for _, t := range p.sumTotals {
		if p.sumCount[t.id] < 2 {
			continue
		}
		for i := t.index; i < len(p.declared) && p.declared[i].Line == p.declared[t.index].Line; i++ {
			p.declared[i].Scope = scopeName(t.id) + " (" + t.rightsController + ")"
		}
	}
}

// findSummary joins a usage record to its summary record. A reference
// that matches no id exactly is joined leniently ("SY1" to "1", or to the
// only summary record) and reported.
func (p *Parser) findSummary(ref string, hasRef bool) (*summary, string) {
	if ref != "" || !hasRef {
		if s, ok := p.sums[ref]; ok {
			return s, conflictNote(s)
		}
	}
	if ref != "" {
		if id, ok := p.sumsNorm[normSummaryID(ref)]; ok {
			return p.sums[id], fmt.Sprintf("SummaryRecordId %q does not exist; joined to summary record %q", ref, id)
		}
	}
	switch len(p.sums) {
	case 0:
		return nil, "no summary record precedes the usage record"
	case 1:
		for id, s := range p.sums {
			switch {
			case ref != "":
				return s, fmt.Sprintf("SummaryRecordId %q does not exist; joined to the only summary record %q", ref, id)
			case hasRef:
				return s, fmt.Sprintf("the SummaryRecordId cell is empty; joined to the only summary record %q", id)
			}
			return s, conflictNote(s)
		}
	}
	if ref == "" {
		return nil, "the usage record names no summary record"
	}
	return nil, fmt.Sprintf("SummaryRecordId %q does not exist", ref)
}

func conflictNote(s *summary) string {
	if s.conflict {
		return fmt.Sprintf("summary record %q is declared more than once with different terms; the first (line %d) is used", s.id, s.line)
	}
	return ""
}
