package ingest

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/topology/txproducer"
)

// fileTx produces one file's rows in chunked transactions.
type fileTx struct {
	in    *Ingester
	job   *fileJob
	tp    *txproducer.Producer
	entry avro.IngestLedgerEntry // the ledger as read after fencing, then as committed

	rows     int   // rows in the open transaction
	lastLine int64 // last line in the open transaction
	accepted int64
	units    int64                      // of accepted events, for the ledger
	revenue  map[string]decimal.Decimal // of accepted events, per currency
	rejected int64
	produced int64
	usage    string
	dead     string
	recon    string
	ledger   string
}

func (in *Ingester) openTx(ctx context.Context, j *fileJob) (*fileTx, error) {
	tx := &fileTx{in: in, job: j, revenue: map[string]decimal.Decimal{}}
	tx.usage, tx.dead, tx.recon, tx.ledger = in.topics()
	// Opening the producer fences every earlier producer of this file and
	// aborts its open transaction; only then is the ledger read.
	tp, err := txproducer.Open(ctx, "ingest", in.opts.ClientOpts, in.transactionalID(j.sha256), in.opts.TransactionTimeout)
	if err != nil {
		return nil, err
	}
	tx.tp = tp
	entries, err := readLedger(ctx, in.opts.ClientOpts, tx.ledger, in.opts.Codecs, j.sha256)
	if err != nil {
		tp.Close()
		return nil, err
	}
	if e, ok := entries[j.sha256]; ok {
		tx.entry = e
		tx.accepted, tx.rejected, tx.units = e.Accepted, e.Rejected, e.AcceptedUnits
		for c, v := range e.AcceptedRevenue {
			tx.revenue[c] = v
		}
	}
	return tx, nil
}

func (tx *fileTx) close() { tx.tp.Close() }

func (tx *fileTx) skipThrough() int64 { return tx.entry.LinesCommitted }

func (tx *fileTx) produce(ctx context.Context, r *kgo.Record) error { return tx.tp.Produce(ctx, r) }

func (tx *fileTx) event(ev *avro.UsageEvent) error {
	v, err := tx.in.opts.Codecs.Usage.Encode(ev)
	if err != nil {
		return fmt.Errorf("ingest: line %d: %w", ev.Source.Line, err)
	}
	key := UsageKey(ev)
	tx.accepted++
	tx.produced++
	tx.units += ev.Units
	tx.revenue[ev.Currency] = tx.revenue[ev.Currency].Add(ev.Revenue)
	return tx.produce(context.Background(), &kgo.Record{Topic: tx.usage, Key: []byte(key), Value: v})
}

func (tx *fileTx) deadLetter(dl *avro.DeadLetter) error {
	v, err := tx.in.opts.Codecs.DeadLetter.Encode(dl)
	if err != nil {
		return fmt.Errorf("ingest: dead letter for line %d: %w", dl.Line, err)
	}
	tx.rejected++
	tx.produced++
	return tx.produce(context.Background(), &kgo.Record{Topic: tx.dead, Key: []byte(dl.FileSHA256), Value: v})
}

func (tx *fileTx) rowDone(ctx context.Context, line int64) error {
	tx.rows++
	tx.lastLine = line
	if tx.rows < tx.in.opts.ChunkRows {
		return nil
	}
	return tx.commit(ctx, avro.LedgerInProgress, tx.job.profile, nil)
}

// commit ends the open transaction (beginning one if needed) after adding
// the ledger entry; with a final summary it adds the reconciliation
// findings.
func (tx *fileTx) commit(ctx context.Context, status, profile string, final *Summary) error {
	if !tx.tp.InTransaction() && status == avro.LedgerInProgress && tx.rows == 0 {
		return nil
	}
	lines := tx.entry.LinesCommitted
	if tx.lastLine > lines {
		lines = tx.lastLine
	}
	if final != nil {
		profile = final.Profile
		for _, f := range final.Reconciliation.Findings {
			rec := avro.ReconciliationFinding{FileSHA256: tx.job.sha256, FileName: tx.job.name, Profile: profile,
				Measure: f.Key, Declared: f.Declared, Computed: f.Computed, Tolerance: f.Tolerance, Matched: f.Matched}
			if f.Currency != "" {
				c := f.Currency
				rec.Currency = &c
			}
			v, err := tx.in.opts.Codecs.Reconciliation.Encode(&rec)
			if err != nil {
				return fmt.Errorf("ingest: reconciliation: %w", err)
			}
			if err := tx.produce(ctx, &kgo.Record{Topic: tx.recon, Key: []byte(tx.job.sha256 + "/" + f.Key), Value: v}); err != nil {
				return err
			}
		}
	}
	entry := avro.IngestLedgerEntry{FileSHA256: tx.job.sha256, FileName: tx.job.name, Profile: profile,
		Status: status, LinesCommitted: lines, Accepted: tx.accepted, Rejected: tx.rejected,
		AcceptedUnits: tx.units, AcceptedRevenue: maps.Clone(tx.revenue), Updated: tx.job.now()}
	v, err := tx.in.opts.Codecs.Ledger.Encode(&entry)
	if err != nil {
		return fmt.Errorf("ingest: ledger entry: %w", err)
	}
	if err := tx.produce(ctx, &kgo.Record{Topic: tx.ledger, Key: []byte(tx.job.sha256), Value: v}); err != nil {
		return err
	}
	var beforeEnd func() error
	if hook := tx.in.opts.beforeCommit; hook != nil {
		beforeEnd = func() error { return hook(lines) }
	}
	if err := tx.tp.Commit(ctx, beforeEnd); err != nil {
		return err
	}
	tx.entry = entry
	tx.rows = 0
	return nil
}

// UsageKey is the Kafka key of a usage event: its ISRC, so that keyed
// state of a recording lives in one partition; for a line without ISRC,
// its DSP, UPC and title, so that every sighting of the same unidentified
// recording is counted in one place. Every source of the usage topic keys
// its events with it.
func UsageKey(ev *avro.UsageEvent) string {
	if ev.ISRC != nil {
		return *ev.ISRC
	}
	upc := ""
	if ev.UPC != nil {
		upc = *ev.UPC
	}
	return "noisrc\x00" + ev.Source.DSP + "\x00" + upc + "\x00" + strings.ToLower(strings.TrimSpace(ev.TrackTitle))
}
