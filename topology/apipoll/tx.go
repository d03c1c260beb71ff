package apipoll

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/topology/ingest"
)

// syncTx produces a sync's items in transactions, each closed by the
// checkpoint of the position it reaches.
type syncTx struct {
	p    *Poller
	cl   *kgo.Client
	cp   avro.SyncCheckpoint // as read after fencing, then as committed
	open bool

	mu       sync.Mutex
	firstErr error
}

func (p *Poller) openTx(ctx context.Context) (*syncTx, error) {
	if len(p.opts.ClientOpts) == 0 {
		return nil, errors.New("apipoll: no Kafka client options (seed brokers)")
	}
	opts := append(append([]kgo.Opt{}, p.opts.ClientOpts...),
		kgo.TransactionalID(p.transactionalID()),
		kgo.TransactionTimeout(p.opts.TransactionTimeout),
		kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)),
		kgo.ProducerBatchMaxBytes(1<<20),
	)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("apipoll: kafka client: %w", err)
	}
	// Initialising the producer id fences every earlier poller of this
	// sync and aborts its open transaction; only then is the checkpoint
	// read.
	if _, _, err := cl.ProducerID(ctx); err != nil {
		cl.Close()
		return nil, fmt.Errorf("apipoll: initialise transactional producer: %w", err)
	}
	cp, found, err := readCheckpoint(ctx, p.opts.ClientOpts, p.opts.Topics.Checkpoint, p.opts.Codecs, SyncKey(p.profile.Name, p.opts.Account))
	if err != nil {
		cl.Close()
		return nil, err
	}
	if !found {
		cp = p.initial()
	}
	return &syncTx{p: p, cl: cl, cp: cp}, nil
}

func (tx *syncTx) close() {
	if tx.open {
		// An unfinished transaction is aborted by the broker when this
		// producer's id is fenced or times out; try to end it now.
		ctx, cancel := context.WithTimeout(context.Background(), tx.p.opts.TransactionTimeout)
		_ = tx.cl.EndTransaction(ctx, kgo.TryAbort)
		cancel()
	}
	tx.cl.Close()
}

func (tx *syncTx) committed() avro.SyncCheckpoint { return tx.cp }

func (tx *syncTx) produce(ctx context.Context, r *kgo.Record) error {
	if !tx.open {
		if err := tx.cl.BeginTransaction(); err != nil {
			return fmt.Errorf("apipoll: begin transaction: %w", err)
		}
		tx.open = true
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
				tx.firstErr = fmt.Errorf("apipoll: produce: %w", err)
			}
			tx.mu.Unlock()
		}
	})
	return nil
}

func (tx *syncTx) event(ev *avro.UsageEvent) error {
	v, err := tx.p.opts.Codecs.Usage.Encode(ev)
	if err != nil {
		return fmt.Errorf("apipoll: item %d: %w", ev.Source.Line, err)
	}
	return tx.produce(context.Background(), &kgo.Record{Topic: tx.p.opts.Topics.Usage, Key: []byte(ingest.UsageKey(ev)), Value: v})
}

func (tx *syncTx) deadLetter(dl *avro.DeadLetter) error {
	v, err := tx.p.opts.Codecs.DeadLetter.Encode(dl)
	if err != nil {
		return fmt.Errorf("apipoll: dead letter for item %d: %w", dl.Line, err)
	}
	return tx.produce(context.Background(), &kgo.Record{Topic: tx.p.opts.Topics.DeadLetter, Key: []byte(dl.FileSHA256), Value: v})
}

// commit adds the checkpoint to the open transaction (beginning one if
// needed) and commits it.
func (tx *syncTx) commit(ctx context.Context, cp *avro.SyncCheckpoint) error {
	v, err := tx.p.opts.Codecs.Checkpoint.Encode(cp)
	if err != nil {
		return fmt.Errorf("apipoll: checkpoint: %w", err)
	}
	if err := tx.produce(ctx, &kgo.Record{Topic: tx.p.opts.Topics.Checkpoint, Key: []byte(cp.SyncKey), Value: v}); err != nil {
		return err
	}
	if err := tx.cl.Flush(ctx); err != nil {
		return fmt.Errorf("apipoll: flush: %w", err)
	}
	if hook := tx.p.opts.beforeCommit; hook != nil {
		if err := hook(cp); err != nil {
			return err
		}
	}
	tx.mu.Lock()
	perr := tx.firstErr
	tx.mu.Unlock()
	end := kgo.TryCommit
	if perr != nil {
		end = kgo.TryAbort
	}
	if err := tx.cl.EndTransaction(ctx, end); err != nil {
		return fmt.Errorf("apipoll: end transaction: %w", errors.Join(perr, err))
	}
	tx.open = false
	if perr != nil {
		return perr
	}
	tx.cp = *cp
	return nil
}
