package apipoll

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/topology/ingest"
	"github.com/ledgerline/ledgerline/topology/txproducer"
)

// syncTx produces a sync's items in transactions, each closed by the
// checkpoint of the position it reaches.
type syncTx struct {
	p  *Poller
	tp *txproducer.Producer
	cp avro.SyncCheckpoint // as read after fencing, then as committed
}

func (p *Poller) openTx(ctx context.Context) (*syncTx, error) {
	// Opening the producer fences every earlier poller of this sync and
	// aborts its open transaction; only then is the checkpoint read.
	tp, err := txproducer.Open(ctx, "apipoll", p.opts.ClientOpts, p.transactionalID(), p.opts.TransactionTimeout)
	if err != nil {
		return nil, err
	}
	cp, found, err := readCheckpoint(ctx, p.opts.ClientOpts, p.opts.Topics.Checkpoint, p.opts.Codecs, SyncKey(p.profile.Name, p.opts.Account))
	if err != nil {
		tp.Close()
		return nil, err
	}
	if !found {
		cp = p.initial()
	}
	return &syncTx{p: p, tp: tp, cp: cp}, nil
}

func (tx *syncTx) close() { tx.tp.Close() }

func (tx *syncTx) committed() avro.SyncCheckpoint { return tx.cp }

func (tx *syncTx) produce(ctx context.Context, r *kgo.Record) error { return tx.tp.Produce(ctx, r) }

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
	var beforeEnd func() error
	if hook := tx.p.opts.beforeCommit; hook != nil {
		beforeEnd = func() error { return hook(cp) }
	}
	if err := tx.tp.Commit(ctx, beforeEnd); err != nil {
		return err
	}
	tx.cp = *cp
	return nil
}
