package apipoll

import (
	"context"

	"github.com/ledgerline/ledgerline/avro"
)

// sink receives what polling a window yields, in item order. It must not
// keep the event or dead letter it is given after returning.
type sink interface {
	event(ev *avro.UsageEvent) error
	deadLetter(dl *avro.DeadLetter) error
	// commit makes what was given since the last commit durable together
	// with cp, the position it reaches.
	commit(ctx context.Context, cp *avro.SyncCheckpoint) error
	// committed returns the last checkpoint committed (or read).
	committed() avro.SyncCheckpoint
}

// discard is the sink of a dry run.
type discard struct{ cp avro.SyncCheckpoint }

func (*discard) event(*avro.UsageEvent) error      { return nil }
func (*discard) deadLetter(*avro.DeadLetter) error { return nil }
func (d *discard) commit(_ context.Context, cp *avro.SyncCheckpoint) error {
	d.cp = *cp
	return nil
}
func (d *discard) committed() avro.SyncCheckpoint { return d.cp }
