package objstore_test

import (
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// FuzzParseS3Root checks that an accepted root names a bucket and a valid
// key prefix, and that the canonical root built from them parses to the
// same bucket and prefix.
func FuzzParseS3Root(f *testing.F) {
	for _, s := range []string{"s3://b", "s3://b/", "s3://b/lake", "s3://b/lake/prod/", "/tmp/lake", "s3://", "s3:///x",
		"s3://b/a//c", "s3://b/a/../c", "s3://b//lake", "S3://b/x", "s3://b/x\x00y", "s3://my-bucket.example/ledgerline/lake"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, root string) {
		bucket, prefix, err := objstore.ParseS3Root(root)
		if err != nil {
			if bucket != "" || prefix != "" {
				t.Fatalf("ParseS3Root(%q) fails but returns %q, %q", root, bucket, prefix)
			}
			return
		}
		if !objstore.IsS3Root(root) {
			t.Fatalf("ParseS3Root(%q) accepts a root IsS3Root refuses", root)
		}
		if bucket == "" || strings.Contains(bucket, "/") {
			t.Fatalf("ParseS3Root(%q) bucket %q", root, bucket)
		}
		if prefix != "" && objstore.CheckName(prefix) != nil {
			t.Fatalf("ParseS3Root(%q) prefix %q: %v", root, prefix, objstore.CheckName(prefix))
		}
		if !strings.HasPrefix(root, objstore.S3Scheme+bucket) || !strings.Contains(root, prefix) {
			t.Fatalf("ParseS3Root(%q) = %q, %q: not taken from the root", root, bucket, prefix)
		}
		canonical := objstore.S3Scheme + bucket
		if prefix != "" {
			canonical += "/" + prefix
		}
		b2, p2, err := objstore.ParseS3Root(canonical)
		if err != nil || b2 != bucket || p2 != prefix {
			t.Fatalf("ParseS3Root(%q) = %q, %q; the canonical %q parses as %q, %q, %v", root, bucket, prefix, canonical, b2, p2, err)
		}
		if b3, p3, err := objstore.ParseS3Root(canonical + "/"); err != nil || b3 != bucket || p3 != prefix {
			t.Fatalf("%q/ parses as %q, %q, %v", canonical, b3, p3, err)
		}
	})
}
