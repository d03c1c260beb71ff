// Package topicmetrics counts what arrives on the topics that record the
// pipeline's outcomes, by content: dead letters by stage and reason code,
// drift alerts by kind and severity, and critical alerts queued for
// review by kind. Whoever wrote them (the ingest stage of any instance
// or command, catalog loads, the drift stage), the topics are the one
// place where every outcome shows, so the counts are taken there.
//
// A Counter reads the topics as a plain consumer without a group,
// committed records only, from their end at start-up: it counts what
// arrives while it runs and never commits offsets. Every instance of an
// app counts every record, so aggregate across instances with max, not
// sum: max by (reason) (rate(ledgerline_dead_letters_total[5m])).
// A record that does not decode is counted with reason, kind or severity
// "undecodable".
//
// Metrics, namespace ledgerline:
//
//	dead_letters_total{stage,reason}          records on dead-letter
//	drift_alerts_total{kind,severity}         records on drift-alerts (a new alert, or a later count of one)
//	drift_review_total{kind}                  records on drift-review (critical alerts for manual review)
//
// The known reason codes, kinds and severities are created at zero, so a
// dashboard shows zero rather than no data before the first record.
package topicmetrics
