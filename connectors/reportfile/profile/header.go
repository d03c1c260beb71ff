package profile

import (
	"strings"
	"unicode"
)

// NormalizeHeader folds a header name for comparison: lower case, without
// white space, underscores, byte order marks or zero-width characters.
func NormalizeHeader(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '_', r == '\ufeff', r == '\u200b':
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// HeaderIndex maps normalized header names to their first column.
type HeaderIndex map[string]int

// NewHeaderIndex indexes the header cells.
func NewHeaderIndex(cells []string) HeaderIndex {
	idx := make(HeaderIndex, len(cells))
	for i, c := range cells {
		n := NormalizeHeader(c)
		if _, dup := idx[n]; !dup && n != "" {
			idx[n] = i
		}
	}
	return idx
}

// Lookup returns the column of name, or -1.
func (h HeaderIndex) Lookup(name string) int {
	if i, ok := h[NormalizeHeader(name)]; ok {
		return i
	}
	return -1
}

// MissingHeaders returns the required headers of p absent from h.
func (p *Profile) MissingHeaders(h HeaderIndex) []string {
	if p.Header == nil {
		return nil
	}
	var missing []string
	for _, name := range p.Header.Required {
		if h.Lookup(name) < 0 {
			missing = append(missing, name)
		}
	}
	return missing
}

// MappedPresent counts the columns named in p.Columns that h has; it
// breaks ties between profiles matching the same header.
func (p *Profile) MappedPresent(h HeaderIndex) int {
	n := 0
	for _, spec := range p.Columns {
		for _, r := range spec.Columns {
			if r.Name != "" && h.Lookup(r.Name) >= 0 {
				n++
			}
		}
	}
	return n
}

// SearchLines returns how many leading non-blank lines may hold the
// header.
func (p *Profile) SearchLines() int {
	if p.Header != nil && p.Header.SearchLines > 0 {
		return p.Header.SearchLines
	}
	return 20
}
