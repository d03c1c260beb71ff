// Package catalogload runs the catalog-load stage: catalog records from CSV
// (with a header row) or JSON lines are validated by processors/validate
// with the same discipline as report ingestion, and published to the
// compacted catalog topic keyed by ISRC; rejected records go to the
// dead-letter topic with their raw text and a reason code.
//
// Loading is transactional per chunk and idempotent: a record's identity is
// its ISRC and version, and the catalog view every instance materialises
// ignores a version that is not newer than the one it holds, so loading the
// same file twice changes nothing downstream.
package catalogload
