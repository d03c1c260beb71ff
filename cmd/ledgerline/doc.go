// Command ledgerline turns DSP sales and usage reports into reconciled,
// auditable royalty data on Kafka. It is the one binary: every stage runs
// from it.
//
//	ledgerline demo                 the whole pipeline on an embedded Kafka
//	ledgerline ingest FILE...       report files into the usage topic, exactly once
//	ledgerline catalog load FILE    catalog records onto the catalog topic
//	ledgerline run                  drift stage, lake sink, watched inbox, /metrics
//	ledgerline lake query|compact|reconcile
//	ledgerline topology describe|create
//	ledgerline generate report      synthetic reports for load tests
//
// Commands only parse flags and print; the work is done by the packages
// under topology/. Run `ledgerline help` or `ledgerline COMMAND -h`.
//
// Every flag can also be set by the environment variable
// LEDGERLINE_<FLAG> (upper case, '-' as '_'); a flag on the command line
// wins. Commands that talk to Kafka share the broker, TLS and SASL flags
// (kafka.go, package topology/kafkaconfig); the SASL password comes from
// a file or $LEDGERLINE_SASL_PASSWORD, never from a flag.
package main
