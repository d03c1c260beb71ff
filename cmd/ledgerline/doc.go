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
package main
