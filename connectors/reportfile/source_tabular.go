package reportfile

import (
	"bytes"
	"io"

	"github.com/ledgerline/ledgerline/connectors/reportfile/linereader"
	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
	"github.com/ledgerline/ledgerline/connectors/reportfile/profile"
	"github.com/ledgerline/ledgerline/connectors/reportfile/tabular"
)

// tabularSource produces rows of a delimited file through a profile.
type tabularSource struct {
	lines   *linereader.Reader
	records *tabular.Reader
	binding *profile.Binding
	layout  *layout
	notes   *model.Notes

	st           model.Structure
	declared     []model.Declared
	inTrailer    bool
	lastCurrency string
	repaired     bool
}

func newTabularSource(lines *linereader.Reader, l *layout, b *profile.Binding, maxBytes int, notes *model.Notes) *tabularSource {
	return &tabularSource{
		lines:   lines,
		records: tabular.NewReader(lines, tabular.Options{Delimiter: l.delimiter, MaxRecordBytes: maxBytes}),
		binding: b,
		layout:  l,
		notes:   notes,
	}
}

func (s *tabularSource) next(row *model.Row) error {
	for {
		rec, err := s.records.Next()
		s.st.PhysicalLines = s.lines.Lines()
		if err != nil {
			if err == io.EOF {
				s.finish()
			}
			return err
		}
		s.st.ContinuationLines += int64(rec.Lines - 1)
		if rec.Repaired && !s.repaired {
			s.repaired = true
			s.notes.Anomalyf(rec.Line, "bytes that are not valid UTF-8 were read as Windows-1252 (first on this line)")
		}
		if s.classify(rec, row) {
			return nil
		}
	}
}

// classify counts a record and reports whether it is a data row, which
// it then writes to row.
func (s *tabularSource) classify(rec *tabular.Record, row *model.Row) bool {
	b := s.binding
	switch {
	case rec.Line < s.layout.headerLine:
		if rec.Blank() {
			s.st.BlankRows++
		} else {
			s.st.TitleRows++
		}
		return false
	case rec.Line == s.layout.headerLine:
		s.st.HeaderRows++
		return false
	case s.inTrailer || b.TrailerStarts(rec.Text):
		s.inTrailer = true
		s.st.TrailerRows++
		s.declared = append(s.declared, b.TrailerTotals(rec.Text, rec.Line)...)
		return false
	case rec.Blank():
		s.st.BlankRows++
		return false
	case s.layout.headerRaw != nil && bytes.Equal(rec.Text, s.layout.headerRaw):
		s.st.HeaderRows++
		s.notes.Anomalyf(rec.Line, "the header row is repeated")
		return false
	}
	c := b.Classify(rec)
	switch c.Kind {
	case profile.KindTotal:
		s.st.TrailerRows++
		s.declared = append(s.declared, b.RowTotals(rec, c, rec.Line, s.lastCurrency)...)
		return false
	case profile.KindSkip:
		s.st.SkippedRows++
		s.notes.Skip(rec.Line, b.SkipReason(c), rec.Text)
		return false
	}
	*row = model.Row{Line: rec.Line, Raw: rec.Text}
	b.FillRow(rec, c, row)
	if rec.Problem != "" {
		if row.Malformed != "" {
			row.Malformed = rec.Problem + "; " + row.Malformed
		} else {
			row.Malformed = rec.Problem
		}
	}
	s.st.DataRows++
	if row.Malformed != "" {
		s.st.MalformedRows++
	}
	if cur := row.Cells[model.FieldCurrency]; cur != "" {
		s.lastCurrency = cur
	}
	return true
}

func (s *tabularSource) finish() {
	if s.layout.headerLine > 0 && s.st.HeaderRows == 0 {
		s.notes.Anomalyf(s.layout.headerLine, "the header row was not found again while reading")
	}
}

func (s *tabularSource) declaredTotals() []model.Declared { return s.declared }
func (s *tabularSource) structure() model.Structure       { return s.st }
