package dsr

import (
	"bytes"
	"io"
	"strings"

	"github.com/ledgerline/ledgerline/connectors/reportfile/linereader"
	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
)

// LineSource yields physical lines; *linereader.Reader implements it.
type LineSource interface {
	Next() (linereader.Line, error)
}

// Parser reads a DSR flat file. It is not safe for concurrent use.
type Parser struct {
	src   LineSource
	notes *model.Notes
	book  *layoutBook

	head     head
	sums     map[string]*summary
	sumsNorm map[string]string
	blk      block
	footSeen bool

	st        model.Structure
	declared  []model.Declared
	sumTotals []sumTotal
	sumCount  map[string]int
	warned    map[string]bool

	cells    [][]byte
	strs     []string
	repaired bool
}

// New returns a Parser reading lines from src; anomalies go to notes.
func New(src LineSource, notes *model.Notes) *Parser {
	return &Parser{
		src:      src,
		notes:    notes,
		book:     newLayoutBook(),
		sums:     map[string]*summary{},
		sumsNorm: map[string]string{},
		warned:   map[string]bool{},
		sumCount: map[string]int{},
		head:     head{profile: ProfileGeneric},
	}
}

// Detect reports whether sample, the start of a decoded file, is a DSR
// flat file: its first line that is not blank is a HEAD record or a #HEAD
// comment.
func Detect(sample []byte) bool {
	for len(sample) > 0 {
		line := sample
		if i := bytes.IndexByte(sample, '\n'); i >= 0 {
			line, sample = sample[:i], sample[i+1:]
		} else {
			sample = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		return bytes.HasPrefix(line, []byte("HEAD\t")) || bytes.HasPrefix(line, []byte("#HEAD\t"))
	}
	return false
}

// Profile returns the reader profile named by the HEAD record
// ("ddex-dsr-basic-audio", "ddex-dsr-ugc", or "ddex-dsr").
func (p *Parser) Profile() string { return p.head.profile }

// Declared returns the totals read so far from FOOT and summary records.
func (p *Parser) Declared() []model.Declared { return p.declared }

// Structure returns the counts seen so far.
func (p *Parser) Structure() model.Structure { return p.st }

// Next returns the next usage row, io.EOF at the end of the file, or the
// error of the line source. Row.Raw is valid until the next call.
func (p *Parser) Next() (model.Row, error) {
	for {
		l, err := p.src.Next()
		if err == io.EOF {
			p.finish()
			return model.Row{}, io.EOF
		}
		if err != nil {
			return model.Row{}, err
		}
		p.st.PhysicalLines++
		if row, ok := p.line(l); ok {
			return row, nil
		}
	}
}

// line handles one physical line and reports whether it is a usage row.
func (p *Parser) line(l linereader.Line) (model.Row, bool) {
	text := l.Text
	if l.Repaired && !p.repaired {
		p.repaired = true
		p.notes.Anomalyf(l.Number, "bytes that are not valid UTF-8 were read as Windows-1252 (first on this line)")
	}
	switch {
	case l.Truncated:
		p.st.UnknownRows++
		p.notes.Anomalyf(l.Number, "line longer than the length limit; skipped")
		return model.Row{}, false
	case len(bytes.TrimSpace(text)) == 0:
		p.st.BlankRows++
		return model.Row{}, false
	case text[0] == '#':
		p.st.CommentRows++
		p.comment(text, l.Number)
		return model.Row{}, false
	}
	p.cells = splitCells(text, p.cells)
	t := strings.ToUpper(string(bytes.TrimSpace(p.cells[0])))
	if !recordType.MatchString(t) {
		p.st.UnknownRows++
		p.notes.Anomalyf(l.Number, "line is not a DSR record (it starts with %q)", clip(p.cells[0]))
		return model.Row{}, false
	}
	lay, note := p.book.lookup(t)
	if note != "" && !p.warned[t] {
		p.warned[t] = true
		p.notes.Anomalyf(l.Number, "%s", note)
	}
	switch fam := family(t); fam {
	case "HEAD":
		p.st.HeaderRows++
		p.onHead(lay, l.Number)
	case "FOOT":
		p.st.TrailerRows++
		p.onFoot(lay, l.Number)
	case "SY":
		p.st.SummaryRows++
		p.onSummary(lay, l.Number)
	default:
		p.enterBlock(lay, l.Number)
		switch fam {
		case "SU":
			p.st.DataRows++
			row := p.usage(lay, note, l)
			if row.Malformed != "" {
				p.st.MalformedRows++
			}
			return row, true
		case "RE":
			p.st.DetailRows++
			p.onRelease(lay, l.Number)
		case "AS":
			p.st.DetailRows++
			p.onResource(lay, l.Number)
		case "MW":
			p.st.DetailRows++
			p.onWork(lay)
		default:
			p.st.DetailRows++
		}
	}
	return model.Row{}, false
}

func (p *Parser) comment(text []byte, line int64) {
	p.strs = p.strs[:0]
	for _, c := range splitCells(text, p.cells) {
		p.strs = append(p.strs, string(c))
	}
	p.book.addComment(p.strs, line)
}

// raw returns the cell named by one of names, trimmed, escapes kept.
func (p *Parser) raw(l *layout, names ...string) []byte {
	i := l.cell(names...)
	if i < 0 || i >= len(p.cells) {
		return nil
	}
	return p.cells[i]
}

// str returns the cell named by one of names, escapes undone.
func (p *Parser) str(l *layout, names ...string) string {
	return unescape(p.raw(l, names...))
}

// id returns an identifier cell, trimmed.
func (p *Parser) id(l *layout, names ...string) string {
	return unescape(bytes.TrimSpace(p.raw(l, names...)))
}

func (p *Parser) finish() {
	p.scopeSharedSummaries()
	if !p.head.seen {
		p.notes.Anomalyf(0, "the file has no HEAD record")
	}
	if !p.footSeen {
		p.notes.Anomalyf(0, "the file has no FOOT record")
	}
}

func clip(b []byte) string {
	const max = 40
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}

// describe formats a problem list as a row message.
func describe(problems []string) string {
	return strings.Join(problems, "; ")
}
