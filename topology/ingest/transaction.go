package ingest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
)

// fileTx produces one file's rows in chunked transactions.
type fileTx struct {
	in    *Ingester
	job   *fileJob
	cl    *kgo.Client
	entry avro.IngestLedgerEntry // the ledger as read after fencing, then as committed

	open     bool
	rows     int   // rows in the open transaction
	lastLine int64 // last line in the open transaction
	accepted int64
	units    int64                      // of accepted events, for the ledger
	revenue  map[string]decimal.Decimal // of accepted events, per currency
	rejected int64
	produced int64
	mu       sync.Mutex
	firstErr error
	usage    string
	dead     string
	recon    string
	ledger   string
}

func (in *Ingester) openTx(ctx context.Context, j *fileJob) (*fileTx, error) {
	if len(in.opts.ClientOpts) == 0 {
		return nil, errors.New("ingest: no Kafka client options (seed brokers)")
	}
	tx := &fileTx{in: in, job: j, revenue: map[string]decimal.Decimal{}}
	tx.usage, tx.dead, tx.recon, tx.ledger = in.topics()
	opts := append(append([]kgo.Opt{}, in.opts.ClientOpts...),
		kgo.TransactionalID(in.transactionalID(j.sha256)),
		kgo.TransactionTimeout(in.opts.TransactionTimeout),
		kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)),
		kgo.ProducerBatchMaxBytes(1<<20),
	)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("ingest: kafka client: %w", err)
	}
	tx.cl = cl
	// Initialising the producer id fences every earlier producer of this
	// file and aborts its open transaction; only then is the ledger read.
	if _, _, err := cl.ProducerID(ctx); err != nil {
		cl.Close()
		return nil, fmt.Errorf("ingest: initialise transactional producer: %w", err)
	}
	entries, err := readLedger(ctx, in.opts.ClientOpts, tx.ledger, in.opts.Codecs, j.sha256)
	if err != nil {
		cl.Close()
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

func (tx *fileTx) close() {
	if tx.open {
		// An unfinished transaction is aborted by the broker when this
		// producer's id is fenced or times out; try to end it now.
		ctx, cancel := context.WithTimeout(context.Background(), tx.in.opts.TransactionTimeout)
		_ = tx.cl.EndTransaction(ctx, kgo.TryAbort)
		cancel()
	}
	tx.cl.Close()
}

func (tx *fileTx) skipThrough() int64 { return tx.entry.LinesCommitted }

func (tx *fileTx) begin() error {
	if tx.open {
		return nil
	}
	if err := tx.cl.BeginTransaction(); err != nil {
		return fmt.Errorf("ingest: begin transaction: %w", err)
	}
	tx.open = true
	return nil
}

func (tx *fileTx) produce(ctx context.Context, r *kgo.Record) error {
	if err := tx.begin(); err != nil {
		return err
	}
	tx.mu.Lock()
	err := tx.firstErr
	tx.mu.Unlock()
	if err != nil {
		return err
	}
	tx.cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
		if err != nil {
			tx.mu.Lock()
			if tx.firstErr == nil {
				tx.firstErr = fmt.Errorf("ingest: produce: %w", err)
			}
			tx.mu.Unlock()
		}
	})
	return nil
}

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
	if !tx.open && status == avro.LedgerInProgress && tx.rows == 0 {
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
	if hook := tx.in.opts.beforeCommit; hook != nil {
		if err := hook(lines); err != nil {
			return err
		}
	}
	if err := tx.cl.Flush(ctx); err != nil {
		return fmt.Errorf("ingest: flush: %w", err)
	}
	tx.mu.Lock()
	perr := tx.firstErr
	tx.mu.Unlock()
	end := kgo.TryCommit
	if perr != nil {
		end = kgo.TryAbort
	}
	if err := tx.cl.EndTransaction(ctx, end); err != nil {
		return fmt.Errorf("ingest: end transaction: %w", errors.Join(perr, err))
	}
	tx.open = false
	if perr != nil {
		return perr
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
