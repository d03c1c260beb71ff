// Package demo runs ledgerline end to end with no external service: an
// in-process Kafka cluster (kfake) gets the real topology, a catalog is
// loaded, bundled and generated reports (some with bad lines) are
// ingested, the drift stage and the lake sink drain everything, and a
// summary is returned. Every stage is the production code path; only the
// brokers differ.
package demo
