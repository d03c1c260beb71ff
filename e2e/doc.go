// Package e2e proves ledgerline's end-to-end guarantees through the real
// binary, the way an operator runs it: the tests build cmd/ledgerline once,
// start and kill `ledgerline run` instances and `ledgerline ingest`
// processes against the real Apache Kafka broker, and then count what came
// out. The package holds tests only.
//
// # What is proven
//
// TestChaosNothingLostNothingDoubled: two instances process while report
// files are ingested; one instance is killed with SIGKILL mid-stream (its
// unflushed lake buffers and open drift transaction die with it) and a
// replacement with an empty state folder takes its place; an ingestion
// runs in slices of a few milliseconds between freezes (SIGCONT/SIGSTOP)
// and is killed with SIGKILL, frozen, as soon as the ingest ledger shows
// the file in progress, then re-run; one file is ingested a second time
// under a new name. Once the pipeline is drained, for every input file:
//
//   - its usage events and dead letters on Kafka carry every line exactly
//     once: events == accepted lines, dead letters == rejected lines;
//   - its ingest ledger entry is complete with the accepted and rejected
//     counts, units and exact revenue of the reference;
//   - the lake, totalled per file by `ledgerline lake reconcile --format
//     json`, holds exactly the accepted rows, units and revenue per
//     currency (exact decimals), with no duplicate line and no difference
//     against the ledger (a difference against the totals a file declares
//     about itself is accepted only when the file has rejected lines or
//     its dry run finds the same disagreement, and is logged);
//   - the sum of lake rows equals the sum of accepted lines over the ledger;
//   - every drift alert's latest state is the only alert for its (ISRC,
//     DSP, kind, reported value, period), and its count never goes back.
//
// The reference is independent of Kafka: `ledgerline ingest --dry-run
// --format json` of each file, and for generated files the generator's own
// statement of how many rows it wrote broken (only those may be rejected).
//
// TestRestartEndsLikeUndisturbedRun: the same input is processed three
// times by three applications, one after the other: undisturbed, with a
// restart (SIGTERM, then start) that keeps the local state, and with a
// restart after the state folder was deleted (the drift stores and the
// catalog table must be restored from Kafka; the runtime's
// store_restored_records metric must show records restored). Each run
// ingests a report, lets the drift stage finish it, (re)starts as its
// mode says and ingests the same report again as a new file. Each run's
// files pass the same per-file counts as above; all three end with the
// same lake totals per file and the same set of alert ids with the same
// counts; and every alert raised by a catalog comparison has exactly
// twice the count it had after the first sending: the restart lost no
// deduplication state.
//
// TestTopicPrefixKeepsDeploymentsApart runs two deployments side by side,
// each under its own --topic-prefix: each one's topics, ledger and lake
// hold exactly its own report, and `lake reconcile` finds no difference.
//
// # How the tests stay apart on a shared broker
//
// The chaos and restart tests run without a topic prefix, on the default
// topic names (usage, usage-enriched, ...), shared with every other test
// using the broker; only consumer groups, changelogs and transactional ids
// are named by --app. So each test, and each run in it, uses its own --app, and its drift and lake-sink groups are given
// committed offsets at the current end of usage and usage-enriched before
// the first instance starts, the way an operator points a new deployment
// at new data only. Runs that must not see each other's output execute one
// after the other. Everything counted is selected by the SHA-256 of the
// test's own input files, the system's own identity of a file: usage
// events, dead letters and ledger entries carry it, lake rows carry it,
// and alerts are attributed by their first sample event id. Generated
// reports get a per-test ISRC registrant code and artist suffix, so no
// alert of another test's data can count one of this test's sightings;
// their generator seeds are drawn per run (and logged). The public sample
// reports and the report the restart test sends twice are wrapped in gzip
// with a header naming the run, so the same contents are a new file to
// the ingest ledger in every run and in every sending.
//
// # Drained
//
// A stage is drained when its consumer group holds no committed record
// beyond its committed offsets (state.HasRecordsBefore, exact even with
// transaction markers at the end of a partition). The tests wait for the
// drift stage to drain, stop the instances with SIGTERM (the lake sink
// writes and commits its buffers on shutdown) and check that the lake
// sink is drained; if it is not, the instances are started again and the
// wait repeats. Deadlines are generous and only bound the wait: no
// assertion is about speed.
//
// An instance that exits without the test stopping or killing it fails
// the test: it is named in the log (phase CRASH, with its last log line)
// and started again, as its supervisor would, so that the counts still
// show whether the exit lost or doubled anything.
//
// # Running
//
//	deploy/kafka/with-broker.sh go test -count=1 -v ./e2e/...
//
// Without LEDGERLINE_KAFKA_BROKERS the tests skip, except under CI=true,
// where they fail (package internal/kafkatest). The public sample reports
// in ../shared/realdata beside the module are read when present and never
// copied into the module.
package e2e
