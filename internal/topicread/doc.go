// Package topicread reads Kafka topics from their start to their last
// stable offset with a read_committed consumer: what a command needs to
// rebuild a view of a compacted topic (the ingest ledger, reconciliation
// findings) or to count what a run produced.
package topicread
