// Package runtime runs a processors.Processor exactly-once on Kafka: one
// task per input partition, state stores restored from their changelogs,
// and every transaction committing the outputs, the changelog writes and
// the consumed offsets together.
//
// # Model
//
// A Runner is one instance of a consumer group (cooperative-sticky
// balancing) with one transactional producer (Config.TransactionalID). The
// group assigns it input partitions; for each the Runner starts a task: a
// goroutine that restores the partition's stores (Config.Stores, each a
// state.Store backed by the compacted topic state.ChangelogTopic(App,
// store)), then decodes and processes the partition's records in order.
// Processors see only processors.Context: their stores, Emit, the record's
// position and the processing time.
//
// One loop goroutine polls and hands records to the tasks' bounded queues;
// a partition whose queue is full, or whose stores are restoring, is paused
// (kgo's PauseFetchPartitions) and resumed when its queue is half empty.
// kgo fetches a resumed partition only with its next fetch request, once
// the one in flight returns; the group member therefore waits at most
// 500ms for a fetch (kgo.FetchMaxWait, unless Config.GroupOpts sets it),
// which bounds how long a newly assigned partition waits for its first
// records after its stores are restored.
//
// # Transactions
//
// Everything an instance does between two commits is one Kafka
// transaction, ended by the loop every Config.CommitEvery records or
// Config.CommitInterval (kgo.GroupTransactSession):
//
//  1. stop polling and let the tasks process every record consumed (the
//     GroupTransactSession commits the offsets of all polled records);
//  2. run pending broadcasts, then Flush processors that are
//     processors.Flusher, each in its task's context;
//  3. seal each store's write-set (state.Store.Pending) and produce it to
//     the store's changelog partition (same number as the input partition);
//  4. end the transaction. Committed: each store applies its write-set with
//     the offset of its last changelog record as checkpoint. Aborted: the
//     write-sets are discarded, and the GroupTransactSession rewinds consumption to the
//     committed offsets, so the records are processed again.
//
// Processors keeping in-memory state per partition implement Revoker: it
// is called when a transaction aborts and when a task stops.
//
// Store writes thus become durable only with the transaction that logged
// them, and a read_committed consumer of the outputs sees every input
// record's effects exactly once, across crashes, rebalances and aborts.
//
// A rebalance that revokes partitions from an instance aborts the
// instance's open transaction (the GroupTransactSession marks it, and onRevoked taints
// it too); the revoked tasks stop at a record boundary and their stores are
// closed by the loop. The next owner restores them from the changelog: its
// restore waits until the previous owner's transaction has ended. When the
// next owner is the same instance (the partition is assigned back before
// the loop closed the stores), the new task waits for the old task's
// stores to close before it opens them; the callbacks never wait.
//
// # Failures
//
// Undecodable input is routed by Config.DeadLetter to an output, inside
// the transaction; it never stops the Runner. A processor error, a failed
// produce, a failed store or an unreachable cluster aborts the transaction,
// stops the Runner and is returned from Run as an *Error with a Class:
// Retryable (run again; the record is processed again) or Fatal (a person
// must fix configuration or code). Group membership errors kgo would retry
// forever because the broker gives them on every join (a session timeout
// outside the broker's group.min/max.session.timeout.ms, no rights to the
// group or input topic, an invalid group id, a full group) are Fatal too,
// with Op OpGroup; transient ones (a lost session, a moved coordinator)
// are left to kgo, which rejoins.
//
// # Operation
//
// Ready and StoreReadiness serve a readiness endpoint; Broadcast (and
// BroadcastAsync) runs a function on every task inside a transaction (a
// changed global catalog);
// Drain runs until the input present at its start is processed, then
// stops cleanly (tests, the demo). Metrics (records, transactions, queue
// depths, paused partitions, restore progress, processing latency) go to
// Config.Registerer.
//
// DESIGN.md in this directory maps the files.
package runtime
