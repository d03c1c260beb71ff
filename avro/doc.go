// Package avro owns ledgerline's data contracts: the Avro schemas of every
// record that crosses a Kafka topic (schemas/*.avsc, embedded), the Go types
// that mirror them, and the codec that turns one into the other.
//
// Every Kafka value is framed with Avro single-object encoding: the two
// marker bytes 0xC3 0x01, the 8-byte little-endian CRC-64-AVRO (Rabin)
// fingerprint of the writer schema's canonical form, then the Avro binary
// body. A reader looks the fingerprint up in its Registry, decodes with the
// writer's schema and projects the result onto the reader's Go type, filling
// fields the writer did not know with the reader schema's defaults. So
// schemas can evolve by adding fields with defaults; a field without a
// default that the writer lacks is an incompatibility and a decode error.
//
// Framing is behind the small Framing interface so that a Confluent Schema
// Registry framing (magic byte 0 and a 4-byte schema id) can be added
// without touching the typed codecs.
//
// Money is exact decimal everywhere: revenue is the Avro decimal logical
// type (bytes, precision 38, scale 15) and the Go side uses
// github.com/shopspring/decimal. Values with more than 15 fractional digits
// are refused on encode rather than rounded.
package avro
