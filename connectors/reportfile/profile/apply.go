package profile

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
)

// Cells gives access to the cells of one record; *tabular.Record
// implements it.
type Cells interface {
	// Len returns the number of cells.
	Len() int
	// AppendValue appends the value of cell i to dst.
	AppendValue(dst []byte, i int) []byte
}

// Class is what a record is according to the profile.
type Class struct {
	// Kind is KindData, KindTotal or KindSkip.
	Kind string
	// Rule is the index of the matching rule, -1 for none.
	Rule int
	// Malformed is set for data rows a record-type layout does not know.
	Malformed string
}

// Classify applies the profile's row rules to rec.
func (b *Binding) Classify(rec Cells) Class {
	for i := range b.rules {
		if b.holds(rec, b.rules[i].when) {
			return Class{Kind: b.rules[i].kind, Rule: i}
		}
	}
	c := Class{Kind: KindData, Rule: -1}
	if b.malformedOdd {
		c.Malformed = fmt.Sprintf("the row matches no record type of profile %s", b.Profile.Name)
	}
	return c
}

// SkipReason returns the reason of a skip rule.
func (b *Binding) SkipReason(c Class) string {
	if c.Rule < 0 {
		return ""
	}
	return b.rules[c.Rule].reason
}

// MatchesFirstLine reports whether line matches the first_line pattern of
// a layout without header.
func (b *Binding) MatchesFirstLine(line []byte) bool {
	return b.firstLine != nil && b.firstLine.Match(line)
}

func (b *Binding) value(rec Cells, i int) []byte {
	if i < 0 || i >= rec.Len() {
		return nil
	}
	b.scratch = rec.AppendValue(b.scratch[:0], i)
	return bytes.TrimSpace(b.scratch)
}

func (b *Binding) holds(rec Cells, cs []cond) bool {
	for i := range cs {
		c := &cs[i]
		if c.idx < 0 || c.idx >= rec.Len() {
			if c.op == opEmpty && c.empty {
				continue
			}
			return false
		}
		v := b.value(rec, c.idx)
		switch c.op {
		case opEquals:
			ok := false
			for _, want := range c.values {
				if len(v) == len(want) && bytes.EqualFold(v, []byte(want)) {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		case opPattern:
			if !c.re.Match(v) {
				return false
			}
		case opEmpty:
			if (len(v) == 0) != c.empty {
				return false
			}
		}
	}
	return true
}

// FillRow maps a data record to row: canonical cells, scope, the missing
// field of a short row, and a message when the cell count is wrong.
// The cells of many rows share one allocation (see stringArena).
func (b *Binding) FillRow(rec Cells, c Class, row *model.Row) {
	fm := &b.columns
	want := b.HeaderLen
	var sc *scope
	if c.Rule >= 0 {
		r := &b.rules[c.Rule]
		if r.columns != nil {
			fm = r.columns
		}
		if r.cells > 0 {
			want = r.cells
		}
		sc = r.scope
	}
	row.Numbers, row.DateOrder = b.Numbers, b.DateOrder
	if c.Malformed != "" {
		row.Malformed = c.Malformed
	}
	n := rec.Len()
	if want > 0 && n != want && row.Malformed == "" && !(n > want && b.extraBlank(rec, want)) {
		row.Malformed = fmt.Sprintf("the row has %d cells; %d expected", n, want)
	}

	var spans [model.NumFields][2]int32
	var have [model.NumFields]bool
	buf := b.buf[:0]
	for f := range fm {
		col := &fm[f]
		if !col.set || (len(col.when) > 0 && !b.holds(rec, col.when)) {
			continue
		}
		short := false
		for _, i := range col.idx {
			if i >= n {
				short = true
				continue
			}
			start := len(buf)
			buf = rec.AppendValue(buf, i)
			if blank(buf[start:]) {
				buf = buf[:start]
				continue
			}
			spans[f] = [2]int32{int32(start), int32(len(buf))}
			have[f] = true
			break
		}
		if !have[f] {
			row.Cells[f] = col.konst
			if short && col.konst == "" && !row.HasMissing {
				row.HasMissing, row.MissingField = true, model.Field(f)
			}
			if col.notReported {
				row.NotReported = row.NotReported.With(model.Field(f))
			}
		}
		if col.assumed && (have[f] || col.konst != "") {
			row.Assumed = row.Assumed.With(model.Field(f))
		}
	}
	var termSpans [][2]int32
	if len(b.terms) > 0 {
		buf, termSpans = b.appendTerms(rec, buf)
	}
	if len(buf) > 0 {
		s := b.strs.string(buf)
		for f := range spans {
			if have[f] {
				row.Cells[f] = s[spans[f][0]:spans[f][1]]
			}
		}
		for i, sp := range termSpans {
			b.rowTerms[i].Value = s[sp[0]:sp[1]]
		}
	}
	if len(b.rowTerms) > 0 {
		row.Terms = b.rowTerms
	}
	b.buf = buf
	if sc != nil {
		row.Scope = b.scopeOf(rec, sc)
	}
}

// appendTerms appends the row's values for computed totals to buf and
// fills b.rowTerms (values set by the caller from the returned spans).
func (b *Binding) appendTerms(rec Cells, buf []byte) ([]byte, [][2]int32) {
	b.rowTerms = b.rowTerms[:0]
	var spans [][2]int32
	n := rec.Len()
	for i := range b.terms {
		d := &b.terms[i]
		if len(d.when) > 0 && !b.holds(rec, d.when) {
			continue
		}
		for _, j := range d.idx {
			if j < 0 || j >= n {
				continue
			}
			start := len(buf)
			buf = rec.AppendValue(buf, j)
			v := bytes.TrimSpace(buf[start:])
			if len(v) == 0 {
				buf = buf[:start]
				continue
			}
			off := int32(start + bytes.Index(buf[start:], v))
			spans = append(spans, [2]int32{off, off + int32(len(v))})
			b.rowTerms = append(b.rowTerms, model.Term{Measure: d.measure, Negate: d.negate})
		}
	}
	return buf, spans
}

// blank reports whether v is empty or white space only, as
// bytes.TrimSpace sees it, quickly for the common cell that starts with
// a printable ASCII character.
func blank(v []byte) bool {
	if len(v) > 0 && v[0] > ' ' && v[0] < utf8.RuneSelf {
		return false
	}
	return len(bytes.TrimSpace(v)) == 0
}

func (b *Binding) extraBlank(rec Cells, want int) bool {
	for i := want; i < rec.Len(); i++ {
		if len(b.value(rec, i)) > 0 {
			return false
		}
	}
	return true
}

func (b *Binding) scopeOf(rec Cells, sc *scope) string {
	v := b.value(rec, sc.idx)
	if len(v) == 0 {
		return ""
	}
	return sc.prefix + string(v)
}

// RowTotals returns the totals stated by a total row. lastCurrency is the
// currency of the last data row, for totals that take it.
func (b *Binding) RowTotals(rec Cells, c Class, line int64, lastCurrency string) []model.Declared {
	if c.Rule < 0 {
		return nil
	}
	r := &b.rules[c.Rule]
	sc := ""
	if r.scope != nil {
		sc = b.scopeOf(rec, r.scope)
	}
	var out []model.Declared
	for _, t := range r.totals {
		v := b.value(rec, t.idx)
		if len(v) == 0 {
			continue
		}
		d := model.Declared{Measure: t.measure, Value: string(v), Tolerance: t.tolerance, Scope: sc, Line: line,
			FromTerms: t.computed, NotComputable: t.notComputable}
		switch {
		case t.curIdx >= 0:
			d.Currency = string(b.value(rec, t.curIdx))
		case t.curConst != "":
			d.Currency = t.curConst
		case t.curFromRows:
			d.Currency = lastCurrency
		}
		out = append(out, d)
	}
	return out
}

// HasTextTrailer reports whether the profile describes a free-text
// trailer.
func (b *Binding) HasTextTrailer() bool { return b.trailerStart != nil }

// TrailerStarts reports whether line starts the free-text trailer.
func (b *Binding) TrailerStarts(line []byte) bool {
	return b.trailerStart != nil && b.trailerStart.Match(line)
}

// TrailerTotals returns the totals a free-text trailer line states.
func (b *Binding) TrailerTotals(line []byte, n int64) []model.Declared {
	var out []model.Declared
	for _, t := range b.trailer {
		m := t.re.FindSubmatch(line)
		if len(m) < 2 {
			continue
		}
		v := bytes.TrimSpace(m[1])
		if len(v) == 0 {
			continue
		}
		out = append(out, model.Declared{Measure: t.measure, Value: string(v), Currency: t.curConst, Tolerance: t.tolerance, Line: n,
			FromTerms: t.computed, NotComputable: t.notComputable})
	}
	return out
}
