// Package topicread reads Kafka topics from their start with a
// read_committed consumer: what a command needs to rebuild a view of a
// compacted topic (the ingest ledger, reconciliation findings) or to count
// what a run produced. All stops at the last stable offset as of the call;
// Settled stops at the high watermark, once every transaction below it has
// ended, so it also sees a commit whose markers the broker is still
// writing.
package topicread
