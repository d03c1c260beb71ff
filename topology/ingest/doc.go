// Package ingest runs the ingest stage: a report file is parsed by
// connectors/reportfile, every row is validated at the boundary by
// processors/validate, and the resulting usage events and dead letters are
// produced to Kafka, together with the file's reconciliation findings.
//
// # Exactly once
//
// A file's identity is the SHA-256 of its bytes; every line's event_id is
// that hash and the line number, so the same line always has the same id,
// whatever the file is called. Ingestion is recorded in the compacted
// ingest-ledger topic, keyed by the file hash, and every write goes through
// Kafka transactions:
//
//  1. The file is hashed, then a transactional producer is created whose
//     transactional.id is derived from the hash. Initialising it fences any
//     earlier producer of the same file (a crashed or still running
//     ingestion) and aborts its open transaction.
//  2. Only then is the ledger read up to its last stable offset. A
//     "complete" entry means the file is in: nothing is produced. An
//     "in_progress" entry says up to which line the file is in.
//  3. Rows are produced in chunks. Each chunk is one transaction holding
//     its usage events, its dead letters and a ledger entry saying
//     "lines up to N are in". The last transaction also holds the
//     reconciliation findings and marks the entry complete.
//
// A crash loses at most the open transaction, which read_committed
// consumers never see; a re-run resumes after the last committed line.
// A second ingestion of the same file, even renamed, finds the complete
// entry and skips. Two concurrent ingestions of one file cannot both
// commit: whichever initialised last fences the other, and it read the
// ledger after fencing, so it never repeats a committed chunk.
//
// # Reconciliation
//
// The totals a file declares (trailer rows, DSR FOOT and summary records,
// free-text trailers) are compared with the same totals computed from its
// data rows, accepted or rejected, within each total's documented
// tolerance (see the reportfile profiles' documentation). A total that
// cannot be computed from the file (a DSR summary record's service-wide
// usages or revenue, a balance brought forward, a measure without a
// counterpart) is reported with the computed value "n/a" and does not
// affect Reconciliation.Matched; any other total that disagrees makes it
// false.
//
// Values a profile assumes rather than the file states are kept with the
// event's warning "<field>_assumed" (currency_assumed,
// period_start_assumed, territory_assumed).
//
// Dry runs parse and validate without Kafka and report the same summary.
package ingest
