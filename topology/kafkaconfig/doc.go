// Package kafkaconfig turns the security settings of a deployment into the
// franz-go options every Kafka client of ledgerline is built with: TLS
// (a private CA, an optional client certificate for mutual TLS, the
// server name to verify) and SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512).
//
// A Config is validated once, by Options: a CA file that is missing or
// holds no certificate, a client certificate without its key, an unknown
// mechanism or a mechanism without credentials is an error that names the
// setting, before any connection is tried. Errors of settings wrap
// ErrInvalid.
//
// Secrets are never part of a Config's printable fields: the SASL
// password comes from PasswordFile (a mounted secret) or from Password,
// which a command fills from an environment variable, never from a flag.
// A password file is read when the options are built, so a missing or
// empty file fails at start-up, and again at every authentication, so a
// rotated secret is used from the next connection on without a restart.
//
// Ping connects once and maps authentication and TLS failures to errors
// that say which setting to check, so a misconfigured instance stops at
// start-up with a clear message instead of retrying in the background.
package kafkaconfig
