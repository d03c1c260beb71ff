// Package objstore is the small storage interface the Parquet lake is built
// on, with a local-filesystem implementation and a fault-injecting wrapper
// for crash tests.
//
// A Store holds objects under slash-separated names relative to its root
// ("ingest_date=2024-05-01/dsp=Spotify/_manifest/00000000000000000007.json").
// It offers exactly the operations the lake's commit protocol needs, each of
// which an S3-compatible bucket also provides:
//
//   - Create + Writer.Commit: write an object that becomes visible at its
//     name atomically and durably on Commit, replacing any previous object
//     (local: temporary file in the same directory, fsync, rename, fsync of
//     the directory; S3: a PUT or a completed multipart upload).
//   - PutIfAbsent: create an object only if the name is free, atomically
//     (local: fsync'ed temporary file hard-linked to the name; S3: PUT with
//     If-None-Match: *). This is the compare-and-swap the manifests use.
//   - Open, List, Delete.
//
// Directories are not objects: List reports a name as a directory when
// objects exist below it, and deleting the last object of a directory may or
// may not remove the directory.
//
// Missing objects are reported with errors matching fs.ErrNotExist, taken
// names in PutIfAbsent with errors matching fs.ErrExist.
package objstore
