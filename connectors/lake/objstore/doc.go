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
//
// # S3
//
// S3 (NewS3, or an s3://bucket/prefix root configured from the
// environment by S3ConfigFromEnv) keeps the objects of a store under a key
// prefix of an existing bucket of any S3-compatible server. What it relies
// on, and what it guarantees:
//
//   - Create buffers the object in memory (up to 4 MiB) and in a local
//     temporary file beyond, so a writer's memory is bounded; nothing
//     reaches the bucket before Commit, which uploads with one PUT (a
//     multipart upload of 16 MiB parts above that). S3 makes an object
//     visible only once its PUT or CompleteMultipartUpload succeeded, and a
//     later upload replaces it atomically. A crash before Commit leaves
//     nothing in the bucket (only, for a large object, its buffer file
//     ledgerline-s3-upload-* in the local temporary directory).
//   - PutIfAbsent is a PUT with If-None-Match: *. The server evaluates the
//     condition atomically with the write: of concurrent writers of one
//     name exactly one succeeds, the others get 412 Precondition Failed
//     (fs.ErrExist) or, on servers that report a conflict in progress, 409,
//     on which the request is repeated. A server that ignored the header
//     would silently break the manifests' compare-and-swap, so the server
//     must be one that honours it: AWS S3 (since August 2024) does, and so
//     does SeaweedFS, whose gateway checks the condition under a per-object
//     lock (its contract test races 8 writers per name; with contention a
//     losing writer waits for the lock, about a second per holder). Every
//     request carries a random token in its user metadata: when a request
//     fails ambiguously (an answer lost, the client's retry of a request
//     that had succeeded refused with 412), the stored object's token tells
//     whether this call created it, so a success is never reported as a
//     taken name or the reverse.
//   - Open reads the object's size and ETag; every ReadAt is a ranged GET
//     with If-Match on that ETag (through a 256 KiB read-ahead block), so a
//     reader sees one version of an object: once it is replaced or deleted,
//     reads that reach the server fail with an error matching
//     fs.ErrNotExist instead of mixing versions.
//   - List is a delimited listing (objects are files, common prefixes
//     directories); S3 lists are strongly consistent after writes. A
//     directory exists exactly while objects exist below it.
//   - Delete of a missing object succeeds, as S3's DELETE does.
package objstore
