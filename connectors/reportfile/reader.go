package reportfile

import (
	"io"

	"github.com/ledgerline/ledgerline/connectors/reportfile/container"
	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
)

// source is a format reader.
type source interface {
	// next overwrites row with the next data row.
	next(row *model.Row) error
	declaredTotals() []model.Declared
	structure() model.Structure
}

// Reader streams the rows of one report file.
type Reader struct {
	src       source
	counter   *container.Counter
	payload   *container.Payload
	notes     *model.Notes
	profile   string
	encoding  string
	delimiter byte
	err       error
	done      bool
}

// Profile returns the name of the layout: a tabular profile name
// ("apple-financial", "beatport", ...) or a DSR profile
// ("ddex-dsr-basic-audio", "ddex-dsr-ugc", "ddex-dsr").
func (r *Reader) Profile() string { return r.profile }

// Encoding returns the source encoding: "utf-8", "utf-8-bom",
// "utf-16le", "utf-16be", "windows-1252", ...
func (r *Reader) Encoding() string { return r.encoding }

// Container describes the compression layers removed ("gzip",
// "zip entry \"x.csv\""), "" for plain input.
func (r *Reader) Container() string { return r.payload.Info.String() }

// Delimiter returns the cell delimiter.
func (r *Reader) Delimiter() byte { return r.delimiter }

// Next returns the next data row. It returns io.EOF at the end of the
// file. Any other error means the rest of the file is unreadable (for
// example gzip data truncated mid-way); rows already returned stay valid,
// and later calls return the same error. Row.Raw is valid until the next
// call.
func (r *Reader) Next() (Row, error) {
	var row Row
	if err := r.Read(&row); err != nil {
		return Row{}, err
	}
	return row, nil
}

// Read is Next writing the row into *row, which it overwrites entirely:
// a caller reusing one Row saves copying it. On error *row is undefined.
func (r *Reader) Read(row *Row) error {
	if r.err != nil {
		return r.err
	}
	if err := r.src.next(row); err != nil {
		r.err = err
		if err == io.EOF {
			r.done = true
		}
		return err
	}
	return nil
}

// Declared returns the totals the file states about itself: trailer and
// total rows, DSR FOOT and summary records, free-text trailers. It is
// complete once Next has returned io.EOF.
func (r *Reader) Declared() []Declared { return r.src.declaredTotals() }

// Structure returns the counts the reader saw; they are complete once
// Next has returned io.EOF.
func (r *Reader) Structure() Structure { return r.src.structure() }

// Anomalies returns oddities noticed outside data rows, up to
// model.DefaultNoteLimit.
func (r *Reader) Anomalies() []Anomaly { return r.notes.Anomalies() }

// Skipped returns rows the profile recognised as not being sales, up to
// model.DefaultNoteLimit; Structure().SkippedRows counts all of them.
func (r *Reader) Skipped() []Skipped { return r.notes.Skipped() }

// BytesRead returns the raw (compressed) input bytes consumed so far. It
// may be called from another goroutine.
func (r *Reader) BytesRead() int64 { return r.counter.Load() }
