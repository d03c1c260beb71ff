package profile

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
)

// Binding is a profile bound to the header of one file. It is not safe
// for concurrent use.
type Binding struct {
	// Profile is the bound profile.
	Profile *Profile
	// HeaderLen is the number of header cells, 0 without header.
	HeaderLen int
	// Numbers and DateOrder are copied to every row.
	Numbers   model.NumberStyle
	DateOrder string

	columns      fieldMap
	rules        []rule
	malformedOdd bool
	firstLine    *regexp.Regexp
	trailerStart *regexp.Regexp
	trailer      []total
	terms        []termDef

	buf      []byte
	scratch  []byte
	rowTerms []model.Term
	strs     stringArena
}

type fieldMap [model.NumFields]column

type column struct {
	set         bool
	idx         []int
	konst       string
	when        []cond
	assumed     bool
	notReported bool
}

type condOp uint8

const (
	opEquals condOp = iota
	opPattern
	opEmpty
)

type cond struct {
	idx    int
	op     condOp
	values []string
	re     *regexp.Regexp
	empty  bool
}

type rule struct {
	kind    string
	when    []cond
	reason  string
	cells   int
	columns *fieldMap
	scope   *scope
	totals  []total
}

type scope struct {
	idx    int
	prefix string
}

type total struct {
	measure       string
	idx           int
	re            *regexp.Regexp
	curIdx        int
	curConst      string
	curFromRows   bool
	tolerance     string
	computed      bool
	notComputable string
}

// termDef is a declared total computed from cells of the data rows.
type termDef struct {
	measure string
	idx     []int
	when    []cond
	negate  bool
}

// Bind resolves the profile's column names against header, the cells of
// the file's header row (nil for a layout without header).
func Bind(p *Profile, header []string) (*Binding, error) {
	b := &Binding{Profile: p, HeaderLen: len(header), DateOrder: p.DateOrder}
	if p.NumberStyle.Decimal != "" {
		b.Numbers.Decimal = p.NumberStyle.Decimal[0]
	}
	if p.NumberStyle.Thousands != "" {
		b.Numbers.Thousands = p.NumberStyle.Thousands[0]
	}
	h := NewHeaderIndex(header)
	res := resolver{h: h}
	var err error
	if b.columns, err = res.fieldMap(p.Columns); err != nil {
		return nil, err
	}
	for i, r := range p.Rows {
		br := rule{kind: r.Kind, reason: r.Reason, cells: r.Cells}
		if br.when, err = res.conds(r.When); err != nil {
			return nil, fmt.Errorf("rows[%d]: %w", i, err)
		}
		if len(r.Columns) > 0 {
			fm, err := res.fieldMap(r.Columns)
			if err != nil {
				return nil, fmt.Errorf("rows[%d]: %w", i, err)
			}
			br.columns = &fm
		}
		if r.Scope != nil {
			br.scope = &scope{idx: res.ref(r.Scope.Column), prefix: r.Scope.Prefix}
		}
		for _, t := range r.Totals {
			bt, err := b.bindTotal(res, t)
			if err != nil {
				return nil, fmt.Errorf("rows[%d]: %w", i, err)
			}
			br.totals = append(br.totals, bt)
		}
		b.rules = append(b.rules, br)
	}
	b.malformedOdd = p.Unmatched == "malformed"
	if p.FirstLine != "" {
		if b.firstLine, err = regexp.Compile(p.FirstLine); err != nil {
			return nil, err
		}
	}
	if t := p.TextTrailer; t != nil {
		if b.trailerStart, err = regexp.Compile(t.Start); err != nil {
			return nil, err
		}
		for i, tot := range t.Totals {
			bt, err := b.bindTotal(res, tot)
			if err != nil {
				return nil, fmt.Errorf("text_trailer.totals[%d]: %w", i, err)
			}
			if bt.re, err = regexp.Compile(tot.Pattern); err != nil {
				return nil, err
			}
			b.trailer = append(b.trailer, bt)
		}
	}
	return b, nil
}

type resolver struct {
	h HeaderIndex
}

func (r resolver) ref(x Ref) int {
	if x.Name != "" {
		return r.h.Lookup(x.Name)
	}
	return x.Index - 1
}

func (r resolver) fieldMap(cols map[string]ColumnSpec) (fieldMap, error) {
	var fm fieldMap
	for name, spec := range cols {
		f, ok := model.ParseField(name)
		if !ok {
			return fm, fmt.Errorf("%w: %q is not a canonical field", ErrInvalid, name)
		}
		c := column{set: true, konst: spec.Const, assumed: spec.Assumed, notReported: spec.NotReported}
		for _, x := range spec.Columns {
			if i := r.ref(x); i >= 0 {
				c.idx = append(c.idx, i)
			}
		}
		var err error
		if c.when, err = r.conds(spec.When); err != nil {
			return fm, err
		}
		fm[f] = c
	}
	return fm, nil
}

func (r resolver) conds(cs Conditions) ([]cond, error) {
	out := make([]cond, 0, len(cs))
	for _, c := range cs {
		bc := cond{idx: r.ref(c.Column)}
		switch {
		case c.Equals != nil:
			bc.op, bc.values = opEquals, []string{strings.TrimSpace(*c.Equals)}
		case c.In != nil:
			bc.op = opEquals
			for _, v := range c.In {
				bc.values = append(bc.values, strings.TrimSpace(v))
			}
		case c.Pattern != "":
			re, err := regexp.Compile(c.Pattern)
			if err != nil {
				return nil, err
			}
			bc.op, bc.re = opPattern, re
		case c.Empty != nil:
			bc.op, bc.empty = opEmpty, *c.Empty
		}
		out = append(out, bc)
	}
	return out, nil
}

// bindTotal resolves a total and registers the row terms of a computed
// one; a measure is computed one way only.
func (b *Binding) bindTotal(res resolver, t Total) (total, error) {
	bt := res.total(t)
	c := t.Computed
	if c == nil {
		return bt, nil
	}
	bt.computed = true
	for _, d := range b.terms {
		if d.measure == t.Measure {
			return bt, nil
		}
	}
	d := termDef{measure: t.Measure, negate: c.Negate}
	for _, x := range c.Columns {
		d.idx = append(d.idx, res.ref(x))
	}
	var err error
	if d.when, err = res.conds(c.When); err != nil {
		return bt, err
	}
	b.terms = append(b.terms, d)
	return bt, nil
}

func (r resolver) total(t Total) total {
	bt := total{measure: t.Measure, idx: -1, curIdx: -1, curConst: t.CurrencyConst, curFromRows: t.CurrencyFromRows,
		tolerance: t.Tolerance, notComputable: t.NotComputable}
	if t.Value != nil {
		bt.idx = r.ref(*t.Value)
	}
	if t.Currency != nil {
		bt.curIdx = r.ref(*t.Currency)
	}
	return bt
}
