// Package kafkatest connects tests to the real Apache Kafka broker that the
// test harness under deploy/kafka starts.
//
// `make test` runs the test binaries through deploy/kafka/with-broker.sh,
// which fetches Apache Kafka from Maven Central, starts a single-node KRaft
// broker on a free port of 127.0.0.1 and exports its address as
// LEDGERLINE_KAFKA_BROKERS (and its version as LEDGERLINE_KAFKA_VERSION).
// To run a single package by hand:
//
//	deploy/kafka/with-broker.sh go test ./internal/yourpkg/
//
// or start a broker once and reuse it for many runs:
//
//	state=$(mktemp -d); LEDGERLINE_KAFKA_STATE=$state deploy/kafka/start.sh
//	source $state/env; go test ./...
//	deploy/kafka/stop.sh $state
//
// Integration tests call [Brokers] (or [NewClient] / [NewAdmin], which call
// it): without LEDGERLINE_KAFKA_BROKERS the test is skipped, except under
// CI=true, where it fails, so CI can never silently pass without a broker.
//
// Topics are shared broker state: give each test its own with [TopicName]
// and create it explicitly (the broker runs with auto.create.topics.enable
// false).
package kafkatest
