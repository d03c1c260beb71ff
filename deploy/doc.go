// Package deploy holds the files that run ledgerline outside a developer's
// machine (docker/, k8s/, monitoring/, RUNBOOK.md) next to the test
// harnesses (kafka/, s3/, bench/, lib/). It has no code: its tests keep
// the deployment files true to the code they deploy. They check that
// every YAML and JSON file parses; that every ledgerline_* metric the
// alert rules and the dashboard name is registered by a running instance;
// that the StatefulSet passes only flags and variables `ledgerline run`
// accepts, and mounts what its settings point at; that the KEDA triggers
// name the consumer groups and topics the code derives, and do not scale
// past the usage topic's partitions; and that every alert has a summary,
// a description and a runbook section that exists.
package deploy
