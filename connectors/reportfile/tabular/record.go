package tabular

import (
	"bytes"
)

// Cell flags.
const (
	// CellQuoted marks a cell whose value was enclosed in quotes; Start
	// and End delimit the text between them.
	CellQuoted uint8 = 1 << iota
	// CellEscaped marks a quoted cell holding doubled quotes.
	CellEscaped
	// CellRaw marks a cell with text after its closing quote; Start and
	// End delimit the cell as written, quotes included.
	CellRaw
)

// Cell locates one cell in Record.Text.
type Cell struct {
	Start, End int
	Flags      uint8
}

// Record is one logical row: one physical line, or several when a quoted
// cell holds line breaks.
type Record struct {
	// Text is the record as written, without the final line terminator;
	// the terminators between its lines are kept.
	Text []byte
	// Line is the number of the record's first line.
	Line int64
	// Lines is the number of physical lines the record spans.
	Lines int
	// Cells locates the cells in Text.
	Cells []Cell
	// Problem is non-empty when the record is structurally broken.
	Problem string
	// Repaired reports that a line of the record held invalid UTF-8 that
	// was decoded as Windows-1252.
	Repaired bool

	quote byte
}

// Len returns the number of cells.
func (r *Record) Len() int { return len(r.Cells) }

// AppendValue appends the value of cell i to dst: the text between the
// quotes with doubled quotes undone for a quoted cell, the cell as written
// otherwise.
func (r *Record) AppendValue(dst []byte, i int) []byte {
	c := r.Cells[i]
	v := r.Text[c.Start:c.End]
	if c.Flags&CellEscaped == 0 {
		return append(dst, v...)
	}
	for {
		k := bytes.IndexByte(v, r.quote)
		if k < 0 {
			break
		}
		dst = append(dst, v[:k+1]...)
		v = v[k+1:]
		if len(v) > 0 && v[0] == r.quote {
			v = v[1:]
		}
	}
	return append(dst, v...)
}

// Value returns the value of cell i. It allocates only for quoted cells
// holding doubled quotes.
func (r *Record) Value(i int) []byte {
	c := r.Cells[i]
	if c.Flags&CellEscaped == 0 {
		return r.Text[c.Start:c.End]
	}
	return r.AppendValue(nil, i)
}

// ValueLen returns an upper bound of the length of cell i's value.
func (r *Record) ValueLen(i int) int {
	c := r.Cells[i]
	return c.End - c.Start
}

// Blank reports whether every cell is empty or white space.
func (r *Record) Blank() bool {
	for _, c := range r.Cells {
		if len(bytes.TrimSpace(r.Text[c.Start:c.End])) > 0 {
			return false
		}
	}
	return true
}
