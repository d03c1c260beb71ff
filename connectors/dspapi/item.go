package dspapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ledgerline/ledgerline/processors/validate"
)

// MapItem fills l's cells from one item's raw JSON as the profile maps
// them and returns the item's own id ("" when the profile names none or
// the item has none). It sets l.Raw to raw (not copied). An item that is
// not a JSON object, or whose mapped value is not text, a number, a
// boolean or, for artists, an array of those, gets l.Malformed saying
// why: the validator rejects it as malformed_row. Lineage (l.Source) is
// the caller's.
func (p *Profile) MapItem(raw []byte, l *validate.Line) (id string) {
	src := l.Source
	*l = validate.Line{Source: src, Raw: raw, DSP: p.DSP}
	if p.Decimal != "" {
		l.Decimal = p.Decimal[0]
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		l.Malformed = fmt.Sprintf("item is not valid JSON: %v", err)
		return ""
	}
	obj, ok := v.(map[string]any)
	if !ok {
		l.Malformed = fmt.Sprintf("item is %s, want an object", jsonKind(v))
		return ""
	}
	if p.itemID != nil {
		if s, err := text(lookup(obj, p.itemID), false); err == nil {
			id = s
		}
	}
	for _, f := range p.fields {
		name := FieldNames[f.field]
		s, err := text(lookup(obj, f.path), name == "artists")
		if err != nil {
			if l.Malformed == "" {
				l.Malformed = fmt.Sprintf("field %s (%s): %v", name, strings.Join(f.path, "."), err)
			}
			continue
		}
		if s == "" && name == "dsp" {
			continue // the profile's DSP stands
		}
		*cell(l, f.field) = s
	}
	return id
}

// cell returns the Line cell of FieldNames[i].
func cell(l *validate.Line, i int) *string {
	switch FieldNames[i] {
	case "dsp":
		return &l.DSP
	case "isrc":
		return &l.ISRC
	case "upc":
		return &l.UPC
	case "iswc":
		return &l.ISWC
	case "proprietary_id":
		return &l.ProprietaryID
	case "track_title":
		return &l.TrackTitle
	case "version_title":
		return &l.VersionTitle
	case "artists":
		return &l.Artists
	case "release_title":
		return &l.ReleaseTitle
	case "label":
		return &l.Label
	case "territory":
		return &l.Territory
	case "currency":
		return &l.Currency
	case "units":
		return &l.Units
	case "amount":
		return &l.Amount
	case "period_start":
		return &l.PeriodStart
	case "period_end":
		return &l.PeriodEnd
	case "use_type":
		return &l.UseType
	case "commercial_model":
		return &l.CommercialModel
	case "sale_type":
		return &l.SaleType
	}
	panic("dspapi: field table out of step: " + FieldNames[i])
}

// lookup follows a dotted path through nested objects; nil when absent.
func lookup(obj map[string]any, path []string) any {
	var v any = obj
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// text renders a mapped value as a cell: null and absent give "".
func text(v any, list bool) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		return t, nil
	case json.Number:
		return t.String(), nil
	case bool:
		if t {
			return "true", nil
		}
		return "false", nil
	case []any:
		if !list {
			return "", fmt.Errorf("got an array, want a single value")
		}
		parts := make([]string, 0, len(t))
		for _, e := range t {
			s, err := text(e, false)
			if err != nil {
				return "", fmt.Errorf("array element: %w", err)
			}
			if strings.IndexByte(s, '|') >= 0 {
				return "", fmt.Errorf("array element %q holds '|', the artists separator", s)
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, "|"), nil
	}
	return "", fmt.Errorf("got %s, want text or a number", jsonKind(v))
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// ItemIDOf returns the API's id of an item ("" when the profile names
// none or the item has none or is not an object).
func (p *Profile) ItemIDOf(raw []byte) string {
	if p.itemID == nil {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return ""
	}
	s, err := text(lookup(obj, p.itemID), false)
	if err != nil {
		return ""
	}
	return s
}
