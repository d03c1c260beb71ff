package state

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
)

// db is one Badger database plus the lock that makes it ours.
type db struct {
	path string
	bdb  *badger.DB
	lock *dirLock
}

// openDB opens (creating if needed) the Badger database at path. If Badger
// cannot open it, or it does not carry this package's format marker, the
// directory is wiped and started empty: every database here is a cache of a
// Kafka topic and is rebuilt from it. rebuilt reports whether that happened.
func openDB(path string, log *slog.Logger) (d *db, rebuilt bool, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, false, fmt.Errorf("state: create %s: %w", filepath.Dir(path), err)
	}
	lock, err := lockFile(path + ".lock")
	if err != nil {
		return nil, false, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, lock.release())
		}
	}()

	opts := badgerOptions(path, newQuietLogger(log))
	bdb, err := badger.Open(opts)
	if err != nil {
		log.Warn("state: local database unreadable, rebuilding it from Kafka", "path", path, "err", err)
		if rmErr := os.RemoveAll(path); rmErr != nil {
			return nil, false, fmt.Errorf("state: remove unreadable database %s: %w", path, rmErr)
		}
		rebuilt = true
		if bdb, err = badger.Open(opts); err != nil {
			return nil, false, fmt.Errorf("state: open badger %s: %w", path, err)
		}
	}
	d = &db{path: path, bdb: bdb, lock: lock}
	wiped, err := d.ensureFormat()
	if err != nil {
		return nil, false, errors.Join(err, bdb.Close())
	}
	if wiped {
		log.Warn("state: local database has an unknown format, rebuilding it from Kafka", "path", path)
	}
	return d, rebuilt || wiped, nil
}

// ensureFormat writes the format marker into an empty database, and wipes a
// non-empty one whose marker is missing or different.
func (d *db) ensureFormat() (wiped bool, err error) {
	var marker []byte
	var nonEmpty bool
	err = d.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(formatKey)
		switch {
		case err == nil:
			marker, err = item.ValueCopy(nil)
			return err
		case errors.Is(err, badger.ErrKeyNotFound):
			it := txn.NewIterator(badger.IteratorOptions{})
			defer it.Close()
			it.Rewind()
			nonEmpty = it.Valid()
			return nil
		default:
			return err
		}
	})
	if err != nil {
		return false, fmt.Errorf("state: read format of %s: %w", d.path, err)
	}
	if bytes.Equal(marker, []byte(formatVersion)) {
		return false, nil
	}
	if marker != nil || nonEmpty {
		if err := d.bdb.DropAll(); err != nil {
			return false, fmt.Errorf("state: wipe %s: %w", d.path, err)
		}
		wiped = true
	}
	err = d.bdb.Update(func(txn *badger.Txn) error {
		return txn.Set(formatKey, []byte(formatVersion))
	})
	if err != nil {
		return false, fmt.Errorf("state: write format of %s: %w", d.path, err)
	}
	return wiped, nil
}

// readOffset returns the offset stored under key, or ok=false.
func (d *db) readOffset(key []byte) (off int64, ok bool, err error) {
	err = d.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(key)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			off, err = decodeOffset(v)
			ok = err == nil
			return err
		})
	})
	if err != nil {
		return 0, false, fmt.Errorf("state: read checkpoint of %s: %w", d.path, err)
	}
	return off, ok, nil
}

// get reads a user key. A present key always yields a non-nil value.
func (d *db) get(key []byte) (val []byte, ok bool, err error) {
	return d.getRaw(dataKey(key))
}

// getRaw reads a Badger key of any key space.
func (d *db) getRaw(bkey []byte) (val []byte, ok bool, err error) {
	err = d.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(bkey)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		val, err = item.ValueCopy(nil)
		if val == nil {
			val = []byte{}
		}
		ok = err == nil
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("state: get from %s: %w", d.path, err)
	}
	return val, ok, nil
}

// wipe deletes every key, including the checkpoint, keeping the format
// marker.
func (d *db) wipe() error {
	if err := d.bdb.DropAll(); err != nil {
		return fmt.Errorf("state: wipe %s: %w", d.path, err)
	}
	_, err := d.ensureFormat()
	return err
}

// close closes Badger (flushing its memtables) and releases the lock.
func (d *db) close() error {
	var errs []error
	if err := d.bdb.Close(); err != nil {
		errs = append(errs, fmt.Errorf("state: close badger %s: %w", d.path, err))
	}
	if err := d.lock.release(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
