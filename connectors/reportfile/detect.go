package reportfile

import (
	"bytes"
	"fmt"

	"github.com/ledgerline/ledgerline/connectors/reportfile/profile"
	"github.com/ledgerline/ledgerline/connectors/reportfile/tabular"
)

// layout is the outcome of matching a tabular file against profiles.
type layout struct {
	profile    *profile.Profile
	delimiter  byte
	headerLine int64 // 0 for layouts without header
	header     []string
	headerRaw  []byte
}

// headerMatch is a profile whose header was found.
type headerMatch struct {
	layout
	required int
	mapped   int
	order    int
}

func (m *headerMatch) better(o *headerMatch) bool {
	switch {
	case o == nil:
		return true
	case m.required != o.required:
		return m.required > o.required
	case m.mapped != o.mapped:
		return m.mapped > o.mapped
	case m.headerLine != o.headerLine:
		return m.headerLine < o.headerLine
	}
	return m.order < o.order
}

// detectLayout finds the profile whose header (or first line) the sample
// matches. With forced set, only that profile is tried.
func detectLayout(sample []byte, atEOF bool, set *profile.Set, forced *profile.Profile) (*layout, error) {
	if atEOF && firstLine(sample) == nil {
		return nil, fmt.Errorf("%w: the file holds only blank lines", ErrEmpty)
	}
	candidates := set.Profiles()
	if forced != nil {
		candidates = []*profile.Profile{forced}
	}
	var best *headerMatch
	closest := &LayoutError{}
	closestScore := -1.0
	maxSearch := 0
	for _, p := range candidates {
		if p.Header != nil {
			maxSearch = max(maxSearch, p.SearchLines())
		}
	}
	for _, d := range tabular.Delimiters() {
		seen := 0
		err := tabular.EachSampleRecord(sample, atEOF, d, func(rec *tabular.Record) bool {
			if rec.Blank() {
				return true
			}
			seen++
			cells := make([]string, rec.Len())
			for i := range cells {
				cells[i] = string(rec.Value(i))
			}
			h := profile.NewHeaderIndex(cells)
			for order, p := range candidates {
				if p.Header == nil || seen > p.SearchLines() || !delimiterFits(p, d) {
					continue
				}
				missing := p.MissingHeaders(h)
				if len(missing) == 0 {
					m := &headerMatch{
						layout:   layout{profile: p, delimiter: d, headerLine: rec.Line, header: cells, headerRaw: bytes.Clone(rec.Text)},
						required: len(p.Header.Required),
						mapped:   p.MappedPresent(h),
						order:    order,
					}
					if m.better(best) {
						best = m
					}
					continue
				}
				score := float64(len(p.Header.Required)-len(missing)) / float64(len(p.Header.Required))
				if score > closestScore {
					closestScore = score
					closest.Closest, closest.Missing, closest.Line = p.Name, missing, rec.Line
				}
			}
			return seen < maxSearch
		})
		if err != nil {
			return nil, err
		}
	}
	if best != nil {
		return &best.layout, nil
	}
	if l := detectHeaderless(sample, atEOF, candidates); l != nil {
		return l, nil
	}
	closest.Delimiter = tabular.GuessDelimiter(sample, atEOF)
	if closestScore <= 0 && forced == nil {
		closest.Closest, closest.Missing = "", nil
	}
	return nil, closest
}

// detectHeaderless matches the first non-blank line against the profiles
// without header.
func detectHeaderless(sample []byte, atEOF bool, candidates []*profile.Profile) *layout {
	line := firstLine(sample)
	if line == nil {
		return nil
	}
	for _, p := range candidates {
		if p.FirstLine == "" {
			continue
		}
		b, err := profile.Bind(p, nil)
		if err != nil || !b.MatchesFirstLine(line) {
			continue
		}
		d, _ := profile.DelimiterByte(p.Delimiter)
		if d == 0 {
			d = tabular.GuessDelimiter(sample, atEOF)
		}
		if d == 0 {
			d = ','
		}
		return &layout{profile: p, delimiter: d}
	}
	return nil
}

func delimiterFits(p *profile.Profile, d byte) bool {
	want, err := profile.DelimiterByte(p.Delimiter)
	return err == nil && (want == 0 || want == d)
}

// firstLine returns the first line of sample that is not blank, without
// its terminator.
func firstLine(sample []byte) []byte {
	for len(sample) > 0 {
		line := sample
		if i := bytes.IndexByte(sample, '\n'); i >= 0 {
			line, sample = sample[:i], sample[i+1:]
		} else {
			sample = nil
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(bytes.TrimSpace(line)) > 0 {
			return line
		}
	}
	return nil
}
