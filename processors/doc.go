// Package processors defines what a stream processor sees: typed records, a
// small Context (its state stores, emit, where the record came from) and the
// Processor interface. Processors are pure business logic: they never import
// the Kafka client, Badger or Prometheus. The runtime in package topology
// owns consumers, transactions, commits, rebalances and metrics, and wraps
// each processor with them.
//
// Sub-packages hold the processors themselves:
//   - validate: boundary validation and normalisation of reported lines
//     (identifiers, territories, currencies, numbers, dates) into UsageEvents
//     or dead letters with a reason code;
//   - catalog: the versioned catalog view the drift check reads;
//   - drift: metadata drift detection against the catalog and across periods.
package processors
