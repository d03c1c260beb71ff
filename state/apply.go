package state

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// write is one Badger mutation; del deletes key, otherwise key is set to val.
type write struct {
	key []byte
	val []byte
	del bool
}

// apply writes data and then meta (the checkpoints) to Badger.
//
// It uses one Badger transaction when it fits. When Badger reports
// ErrTxnTooBig the transaction so far is committed and a new one is begun,
// so a large set is applied in several atomic pieces, in order. The meta
// writes always come after every data write, so whichever piece a crash
// interrupts, the stored checkpoint never claims data that is not stored:
// the data is replayed from the old checkpoint, and replaying a changelog
// over a state that already holds part of it gives the same state, since
// every record sets or deletes its key outright.
func (d *db) apply(data, meta []write) (err error) {
	txn := d.bdb.NewTransaction(true)
	defer func() { txn.Discard() }()

	put := func(w write) error {
		err := stage(txn, w)
		if !errors.Is(err, badger.ErrTxnTooBig) {
			return err
		}
		if err := txn.Commit(); err != nil {
			return err
		}
		txn = d.bdb.NewTransaction(true)
		return stage(txn, w)
	}
	for _, w := range data {
		if err := put(w); err != nil {
			return fmt.Errorf("state: write to %s: %w", d.path, err)
		}
	}
	for _, w := range meta {
		if err := put(w); err != nil {
			return fmt.Errorf("state: write checkpoint to %s: %w", d.path, err)
		}
	}
	if err := txn.Commit(); err != nil {
		return fmt.Errorf("state: commit to %s: %w", d.path, err)
	}
	return nil
}

func stage(txn *badger.Txn, w write) error {
	if w.del {
		return txn.Delete(w.key)
	}
	return txn.Set(w.key, w.val)
}
