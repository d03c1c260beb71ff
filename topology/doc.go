// Package topology is ledgerline's wiring as a value: the topics (names,
// partitions, cleanup policy, retention, key and value contracts), the
// stages that read and write them, their state stores and the global
// catalog table. A Topology is built, validated, described (text or
// Graphviz dot) and then run; the same value drives the embedded demo and a
// production deployment — only the brokers differ.
//
// Sub-packages run the stages: runtime (exactly-once per-partition tasks
// with Badger state), ingest (report files into the usage topic),
// pipeline (drift check and lake sink wired on the runtime) and demo (the
// zero-setup end-to-end run on an in-process cluster).
package topology
