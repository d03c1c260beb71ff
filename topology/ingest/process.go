package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/reportfile"
	"github.com/ledgerline/ledgerline/processors/validate"
)

// StageName is the stage recorded in dead letters written here.
const StageName = "ingest"

// sink receives what processing a file yields, in line order. It must not
// keep the event or dead letter it is given after returning.
type sink interface {
	// skipThrough returns the last line already ingested (0: none).
	skipThrough() int64
	event(ev *avro.UsageEvent) error
	deadLetter(dl *avro.DeadLetter) error
	// rowDone is called after each row at or past skipThrough.
	rowDone(ctx context.Context, line int64) error
}

// Progress is told how far a file has got.
type Progress interface {
	Update(bytesRead, lines int64)
	Done()
}

// fileJob is one file being processed.
type fileJob struct {
	path      string
	file      *os.File // when set, the open file to read instead of path
	name      string   // base name, for lineage only
	sha256    string
	size      int64
	profile   string // requested profile ("" or "auto": detect)
	profiles  *reportfile.ProfileSet
	validator *validate.Validator
	now       func() time.Time
	progress  Progress
	assumed   map[reportfile.FieldSet][]string // warnings per set of assumed fields
}

// HashFile returns the lowercase hex SHA-256 and size of the file at path.
func HashFile(path string) (string, int64, error) {
	return hashFile(path)
}

// errQuarantine marks a file that cannot be read as a whole.
type errQuarantine struct{ err error }

func (e *errQuarantine) Error() string { return e.err.Error() }
func (e *errQuarantine) Unwrap() error { return e.err }

// IsQuarantine reports whether err means the file as a whole is unreadable
// (unknown layout, binary garbage, truncated compression) and belongs in
// quarantine rather than being retried.
func IsQuarantine(err error) bool {
	var q *errQuarantine
	return errors.As(err, &q)
}

// process parses and validates the file, feeding s, and returns the
// summary. Rows at or before s.skipThrough() are counted but not fed.
func (j *fileJob) process(ctx context.Context, s sink) (Summary, error) {
	sum := Summary{File: j.name, SHA256: j.sha256, RejectedByReason: map[string]int64{},
		Revenue: map[string]decimal.Decimal{}, Warnings: map[string]int64{}}
	var src io.Reader
	if j.file != nil {
		src = io.NewSectionReader(j.file, 0, j.size)
	} else {
		f, err := os.Open(j.path)
		if err != nil {
			return sum, fmt.Errorf("ingest: %w", err)
		}
		defer f.Close()
		src = f
	}
	rd, err := reportfile.Open(src, reportfile.Options{Profile: j.profile, Profiles: j.profiles})
	if err != nil {
		sum.Quarantine = err.Error()
		return sum, &errQuarantine{fmt.Errorf("ingest: %s: %w", j.name, err)}
	}
	sum.Profile = rd.Profile()
	skip := s.skipThrough()
	sum.ResumedAt = skip
	acc := newTotals()
	rev := revenueSums{}
	// One line, event and scratch serve every row: the sink does not
	// keep the event, and the scratch amortises the event's strings.
	var (
		row     reportfile.Row
		l       validate.Line
		ev      avro.UsageEvent
		scratch validate.Scratch
		last    int64 // the line of the last row read
	)
	for {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		err := rd.Read(&row)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// The rest of the file is unreadable (for example a
			// truncated gzip stream): what was read stays in, the
			// file goes to quarantine.
			sum.Quarantine = err.Error()
			rev.into(sum.Revenue)
			return sum, &errQuarantine{fmt.Errorf("ingest: %s after line %d: %w", j.name, last, err)}
		}
		sum.Rows++
		last = row.Line
		if j.progress != nil && sum.Rows%4096 == 0 {
			j.progress.Update(rd.BytesRead(), sum.Rows)
		}
		j.fillLine(&l, &row, sum.Profile)
		rej := j.validator.ValidateInto(&l, j.now(), &scratch, &ev)
		if rej != nil {
			sum.Rejected++
			sum.RejectedByReason[rej.Reason]++
			acc.addRow(&row, nil)
		} else {
			sum.Accepted++
			sum.Units += ev.Units
			rev.get(ev.Currency).add(ev.Revenue)
			for _, w := range ev.Warnings {
				sum.Warnings[w]++
			}
			acc.addRow(&row, &ev)
		}
		if row.Line <= skip {
			continue
		}
		if rej != nil {
			dl := validate.DeadLetter(&l, rej, StageName, j.now())
			if err := s.deadLetter(&dl); err != nil {
				return sum, err
			}
		} else if err := s.event(&ev); err != nil {
			return sum, err
		}
		if err := s.rowDone(ctx, row.Line); err != nil {
			return sum, err
		}
	}
	if j.progress != nil {
		j.progress.Update(rd.BytesRead(), sum.Rows)
		j.progress.Done()
	}
	rev.into(sum.Revenue)
	st := rd.Structure()
	sum.Structure = fmt.Sprintf("%d lines: %d data, %d header, %d title, %d trailer, %d comment, %d blank, %d skipped",
		st.PhysicalLines, st.DataRows, st.HeaderRows, st.TitleRows, st.TrailerRows, st.CommentRows, st.BlankRows, st.SkippedRows)
	sum.Reconciliation = reconcile(rd.Declared(), st, acc)
	return sum, nil
}

// fillLine maps a parsed row onto the validator's input, reusing l.
func (j *fileJob) fillLine(l *validate.Line, row *reportfile.Row, profile string) {
	c := &row.Cells
	*l = validate.Line{
		Source: avro.Source{FileName: j.name, FileSHA256: j.sha256, Line: row.Line, Profile: profile, ReportID: j.name},
		Raw:    row.Raw,
		DSP:    c[reportfile.FieldDSP], ISRC: c[reportfile.FieldISRC], UPC: c[reportfile.FieldUPC],
		ISWC: c[reportfile.FieldISWC], ProprietaryID: c[reportfile.FieldProprietaryID],
		TrackTitle: c[reportfile.FieldTrackTitle], VersionTitle: c[reportfile.FieldVersionTitle],
		Artists: c[reportfile.FieldArtists], ReleaseTitle: c[reportfile.FieldReleaseTitle], Label: c[reportfile.FieldLabel],
		Territory: c[reportfile.FieldTerritory], Currency: c[reportfile.FieldCurrency],
		Units: c[reportfile.FieldUnits], Amount: c[reportfile.FieldAmount],
		PeriodStart: c[reportfile.FieldPeriodStart], PeriodEnd: c[reportfile.FieldPeriodEnd],
		UseType: c[reportfile.FieldUseType], CommercialModel: c[reportfile.FieldCommercialModel],
		SaleType:  c[reportfile.FieldSaleType],
		Malformed: row.Malformed,
		Decimal:   row.Numbers.Decimal, Thousands: row.Numbers.Thousands,
		DateOrder:         row.DateOrder,
		UnitsNotReported:  row.NotReported.Has(reportfile.FieldUnits),
		AmountNotReported: row.NotReported.Has(reportfile.FieldAmount),
		Warnings:          j.assumedWarnings(row.Assumed),
	}
}

// assumedWarnings returns the warning codes of the assumed fields of a
// row: the field's name and "_assumed" ("currency_assumed"). The slices
// are shared by the rows with the same set and must not be modified.
func (j *fileJob) assumedWarnings(set reportfile.FieldSet) []string {
	if set == 0 {
		return nil
	}
	if w, ok := j.assumed[set]; ok {
		return w
	}
	var w []string
	for f := range reportfile.NumFields {
		if set.Has(f) {
			w = append(w, f.String()+"_assumed")
		}
	}
	if j.assumed == nil {
		j.assumed = map[reportfile.FieldSet][]string{}
	}
	j.assumed[set] = w
	return w
}

// revenueSums sums accepted revenue per currency, exactly.
type revenueSums struct {
	cur  string
	last *exactSum
	by   map[string]*exactSum
}

func (r *revenueSums) get(cur string) *exactSum {
	if r.last != nil && cur == r.cur {
		return r.last
	}
	if r.by == nil {
		r.by = map[string]*exactSum{}
	}
	s, ok := r.by[cur]
	if !ok {
		s = new(exactSum)
		r.by[cur] = s
	}
	r.cur, r.last = cur, s
	return s
}

func (r *revenueSums) into(m map[string]decimal.Decimal) {
	for c, s := range r.by {
		m[c] = s.value()
	}
}

// baseName is the file name used for lineage: never a path.
func baseName(path string) string { return filepath.Base(path) }
