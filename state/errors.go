package state

import "errors"

var (
	// ErrClosed is returned by operations on a closed Store or GlobalTable.
	ErrClosed = errors.New("state: store closed")

	// ErrSealed is returned by Put and Delete between Pending and
	// Commit/Abort: the write-set has been handed to the changelog
	// producer and may not change until the Kafka transaction ends.
	ErrSealed = errors.New("state: write-set sealed until Commit or Abort")

	// ErrNotSealed is returned by Commit when the store holds pending
	// writes that were never returned by Pending, so they cannot have
	// been produced to the changelog.
	ErrNotSealed = errors.New("state: Commit of pending writes that were not taken with Pending")

	// ErrOffsetRegression is returned by Commit when the changelog offset
	// is not after the store's checkpoint.
	ErrOffsetRegression = errors.New("state: changelog offset not after checkpoint")

	// ErrNoOffset is returned by Commit when pending writes exist but no
	// changelog offset was given for them.
	ErrNoOffset = errors.New("state: Commit of pending writes without a changelog offset")

	// ErrEmptyKey is returned for zero-length keys, which neither Badger
	// nor a compacted topic can hold.
	ErrEmptyKey = errors.New("state: empty key")
)
