// Package txproducer is the transactional producer the sources of the
// usage topic share (report-file ingestion, API polling).
//
// Open creates a Kafka client with a transactional id and initialises its
// producer id, which fences every earlier producer of that id and aborts
// its open transaction: a source reads its progress (ledger, checkpoint)
// only after Open, so what it reads cannot change behind it. A
// transaction begins with its first record; the first record that fails
// to produce is remembered, makes Produce refuse further records and
// makes Commit abort instead of commit, so a transaction is committed
// only when every record of it was written.
package txproducer
