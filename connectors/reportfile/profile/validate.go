package profile

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
	"github.com/ledgerline/ledgerline/connectors/reportfile/textdecode"
)

// ErrInvalid is wrapped by every profile validation error.
var ErrInvalid = errors.New("invalid profile")

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// reservedPrefix starts the names of the DSR reader's profiles.
const reservedPrefix = "ddex-dsr"

// Validate checks a profile for mistakes a user could make when writing
// one.
func (p *Profile) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	if !namePattern.MatchString(p.Name) {
		bad("name %q: use lower-case letters, digits and dashes", p.Name)
	}
	if strings.HasPrefix(p.Name, reservedPrefix) {
		bad("name %q: names starting with %q are reserved for DDEX DSR flat files", p.Name, reservedPrefix)
	}
	switch {
	case p.Header == nil && p.FirstLine == "":
		bad("set either header.required or first_line")
	case p.Header != nil && p.FirstLine != "":
		bad("set header or first_line, not both")
	case p.Header != nil && len(p.Header.Required) == 0:
		bad("header.required is empty")
	}
	if p.FirstLine != "" {
		if _, err := regexp.Compile(p.FirstLine); err != nil {
			bad("first_line: %w", err)
		}
	}
	if _, err := DelimiterByte(p.Delimiter); err != nil {
		bad("delimiter: %w", err)
	}
	if p.Encoding != "" && !textdecode.Known(p.Encoding) {
		bad("encoding %q is not known", p.Encoding)
	}
	if !oneOf(p.NumberStyle.Decimal, "", ".", ",") {
		bad("number_style.decimal %q: use \".\" or \",\"", p.NumberStyle.Decimal)
	}
	if !oneOf(p.NumberStyle.Thousands, "", ",", ".", " ", "'") {
		bad("number_style.thousands %q: use \",\", \".\", \" \" or \"'\"", p.NumberStyle.Thousands)
	}
	if !oneOf(p.DateOrder, "", model.DateOrderMDY, model.DateOrderDMY, model.DateOrderYMD) {
		bad("date_order %q: use MDY, DMY or YMD", p.DateOrder)
	}
	if !oneOf(p.Unmatched, "", KindData, "malformed") {
		bad("unmatched %q: use \"data\" or \"malformed\"", p.Unmatched)
	}
	headerless := p.Header == nil
	validateColumns("columns", p.Columns, headerless, bad)
	for i, r := range p.Rows {
		validateRule(fmt.Sprintf("rows[%d]", i), r, headerless, bad)
	}
	if t := p.TextTrailer; t != nil {
		if _, err := regexp.Compile(t.Start); err != nil || t.Start == "" {
			bad("text_trailer.start: a regular expression is required")
		}
		for i, tot := range t.Totals {
			where := fmt.Sprintf("text_trailer.totals[%d]", i)
			if tot.Pattern == "" || tot.Value != nil || tot.Currency != nil || tot.CurrencyFromRows {
				bad("%s: trailer totals take a pattern (and currency_const), not cells", where)
			}
			validateTotal(where, tot, headerless, bad)
		}
	}
	if len(errs) > 0 {
		name := p.Name
		if name == "" {
			name = "(unnamed)"
		}
		return fmt.Errorf("%w %s: %w", ErrInvalid, name, errors.Join(errs...))
	}
	return nil
}

func validateColumns(where string, cols map[string]ColumnSpec, headerless bool, bad func(string, ...any)) {
	for name, spec := range cols {
		w := where + "." + name
		if _, ok := model.ParseField(name); !ok {
			bad("%s: %q is not a canonical field", where, name)
		}
		f, _ := model.ParseField(name)
		switch {
		case spec.NotReported && (len(spec.Columns) > 0 || spec.Const != "" || spec.Assumed):
			bad("%s: not_reported takes no column, const or assumed", w)
		case spec.NotReported && f != model.FieldUnits && f != model.FieldAmount:
			bad("%s: only units and amount can be not_reported", w)
		case !spec.NotReported && len(spec.Columns) == 0 && spec.Const == "":
			bad("%s: give a column or a const", w)
		}
		for _, r := range spec.Columns {
			validateRef(w, r, headerless, bad)
		}
		validateConditions(w+".when", spec.When, headerless, bad)
	}
}

func validateRule(where string, r RowRule, headerless bool, bad func(string, ...any)) {
	if !oneOf(r.Kind, KindData, KindTotal, KindSkip) {
		bad("%s.kind %q: use data, total or skip", where, r.Kind)
	}
	if len(r.When) == 0 {
		bad("%s.when: at least one condition is required", where)
	}
	validateConditions(where+".when", r.When, headerless, bad)
	if r.Kind == KindSkip && r.Reason == "" {
		bad("%s.reason: say why these rows are not sales", where)
	}
	if r.Kind != KindData && (len(r.Columns) > 0 || r.Cells > 0) {
		bad("%s: columns and cells apply to data rows only", where)
	}
	if r.Kind != KindTotal && len(r.Totals) > 0 {
		bad("%s: totals apply to total rows only", where)
	}
	if r.Kind == KindData && headerless && len(r.Columns) == 0 {
		bad("%s: a data rule of a layout without header needs columns", where)
	}
	validateColumns(where+".columns", r.Columns, headerless, bad)
	if r.Scope != nil {
		validateRef(where+".scope", r.Scope.Column, headerless, bad)
	}
	for i, t := range r.Totals {
		w := fmt.Sprintf("%s.totals[%d]", where, i)
		if t.Value == nil || t.Pattern != "" {
			bad("%s: total rows take a value cell, not a pattern", w)
		}
		validateTotal(w, t, headerless, bad)
	}
}

func validateTotal(where string, t Total, headerless bool, bad func(string, ...any)) {
	if t.Measure == "" {
		bad("%s.measure is required", where)
	}
	if t.Value != nil {
		validateRef(where+".value", *t.Value, headerless, bad)
	}
	if t.Currency != nil {
		validateRef(where+".currency", *t.Currency, headerless, bad)
	}
	if t.Pattern != "" {
		re, err := regexp.Compile(t.Pattern)
		if err != nil {
			bad("%s.pattern: %w", where, err)
		} else if re.NumSubexp() < 1 {
			bad("%s.pattern: needs a group around the value", where)
		}
	}
	if !isDecimal(t.Tolerance) {
		bad("%s.tolerance %q: give a decimal number such as \"0\" or \"0.01\"", where, t.Tolerance)
	}
	if c := t.Computed; c != nil {
		if t.NotComputable != "" {
			bad("%s: computed and not_computable exclude each other", where)
		}
		if len(c.Columns) == 0 {
			bad("%s.computed.columns: name at least one column to sum", where)
		}
		for _, r := range c.Columns {
			validateRef(where+".computed.columns", r, headerless, bad)
		}
		validateConditions(where+".computed.when", c.When, headerless, bad)
	}
}

func validateConditions(where string, cs Conditions, headerless bool, bad func(string, ...any)) {
	for i, c := range cs {
		w := fmt.Sprintf("%s[%d]", where, i)
		validateRef(w+".column", c.Column, headerless, bad)
		n := 0
		if c.Equals != nil {
			n++
		}
		if c.In != nil {
			n++
		}
		if c.Pattern != "" {
			n++
			if _, err := regexp.Compile(c.Pattern); err != nil {
				bad("%s.pattern: %w", w, err)
			}
		}
		if c.Empty != nil {
			n++
		}
		if n != 1 {
			bad("%s: give exactly one of equals, in, pattern, empty", w)
		}
	}
}

func validateRef(where string, r Ref, headerless bool, bad func(string, ...any)) {
	switch {
	case r.Name == "" && r.Index < 1:
		bad("%s: a column name or a position from 1 is required", where)
	case headerless && r.Name != "":
		bad("%s: a layout without header names columns by position, not %q", where, r.Name)
	}
}

func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	dot := false
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		default:
			return false
		}
	}
	return true
}

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if s == o {
			return true
		}
	}
	return false
}

// DelimiterByte turns a profile delimiter into a byte; 0 means detect.
func DelimiterByte(s string) (byte, error) {
	switch strings.ToLower(s) {
	case "":
		return 0, nil
	case "tab", "\t", `\t`:
		return '\t', nil
	case "comma", ",":
		return ',', nil
	case "semicolon", ";":
		return ';', nil
	case "pipe", "|":
		return '|', nil
	}
	return 0, fmt.Errorf("%q: use tab, comma, semicolon or pipe", s)
}
