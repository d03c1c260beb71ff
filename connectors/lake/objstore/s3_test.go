package objstore_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
	"github.com/ledgerline/ledgerline/connectors/lake/objstore/s3test"
)

func TestParseS3Root(t *testing.T) {
	for _, c := range []struct{ root, bucket, prefix string }{
		{"s3://b", "b", ""},
		{"s3://b/", "b", ""},
		{"s3://b/lake", "b", "lake"},
		{"s3://b/lake/prod/", "b", "lake/prod"},
	} {
		bucket, prefix, err := objstore.ParseS3Root(c.root)
		if err != nil || bucket != c.bucket || prefix != c.prefix {
			t.Errorf("ParseS3Root(%q) = %q, %q, %v; want %q, %q", c.root, bucket, prefix, err, c.bucket, c.prefix)
		}
	}
	for _, bad := range []string{"/tmp/lake", "s3://", "s3:///x", "s3://b/a//c", "s3://b/a/../c"} {
		if _, _, err := objstore.ParseS3Root(bad); err == nil {
			t.Errorf("ParseS3Root(%q) accepted", bad)
		}
	}
	if !objstore.IsS3Root("s3://b/x") || objstore.IsS3Root("./s3/x") {
		t.Error("IsS3Root")
	}
}

func TestS3ConfigFromEnv(t *testing.T) {
	t.Setenv(objstore.EnvS3Endpoint, "127.0.0.1:9000")
	t.Setenv(objstore.EnvS3AccessKey, "ak")
	t.Setenv(objstore.EnvS3SecretKey, "sk")
	t.Setenv(objstore.EnvS3Secure, "")
	t.Setenv(objstore.EnvS3Region, "eu-west-1")
	cfg, err := objstore.S3ConfigFromEnv("s3://bucket/lake/prod")
	if err != nil {
		t.Fatal(err)
	}
	want := objstore.S3Config{Endpoint: "127.0.0.1:9000", Bucket: "bucket", Prefix: "lake/prod",
		AccessKey: "ak", SecretKey: "sk", Secure: true, Region: "eu-west-1"}
	if cfg != want {
		t.Fatalf("config %+v, want %+v", cfg, want)
	}
	t.Setenv(objstore.EnvS3Secure, "false")
	if cfg, err := objstore.S3ConfigFromEnv("s3://bucket"); err != nil || cfg.Secure {
		t.Fatalf("secure=false: %+v %v", cfg, err)
	}
	t.Setenv(objstore.EnvS3Secure, "maybe")
	if _, err := objstore.S3ConfigFromEnv("s3://bucket"); err == nil {
		t.Fatal("accepted LEDGERLINE_S3_SECURE=maybe")
	}
	t.Setenv(objstore.EnvS3Secure, "")
	t.Setenv(objstore.EnvS3SecretKey, "")
	if _, err := objstore.S3ConfigFromEnv("s3://bucket"); err == nil || !strings.Contains(err.Error(), objstore.EnvS3SecretKey) {
		t.Fatalf("without a secret key: %v", err)
	}
	t.Setenv(objstore.EnvS3Endpoint, "")
	if _, err := objstore.S3ConfigFromEnv("s3://bucket"); err == nil || !strings.Contains(err.Error(), objstore.EnvS3Endpoint) {
		t.Fatalf("without an endpoint: %v", err)
	}
}

func TestNewS3Errors(t *testing.T) {
	ctx := context.Background()
	for _, cfg := range []objstore.S3Config{
		{Bucket: "b"},
		{Endpoint: "http://127.0.0.1:1", Bucket: "b"},
		{Endpoint: "127.0.0.1:1"},
		{Endpoint: "127.0.0.1:1", Bucket: "b", Prefix: "a/../b"},
	} {
		if _, err := objstore.NewS3(ctx, cfg); err == nil {
			t.Errorf("NewS3(%+v) accepted", cfg)
		}
	}
	cfg, err := objstore.S3ConfigFromEnv(s3test.Root(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Bucket += "-missing"
	if _, err := objstore.NewS3(ctx, cfg); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing bucket: %v, want fs.ErrNotExist", err)
	}
	cfg.Bucket = strings.TrimSuffix(cfg.Bucket, "-missing")
	cfg.SecretKey += "x"
	if _, err := objstore.NewS3(ctx, cfg); err == nil {
		t.Fatal("wrong secret key accepted")
	}
}

// TestS3ReaderSeesOneVersion: a reader reads the object as it was when
// opened; once it is replaced or deleted, reads that reach the server fail
// as not found instead of mixing versions.
func TestS3ReaderSeesOneVersion(t *testing.T) {
	ctx := context.Background()
	st := newS3(t)
	put(t, st, "f", []byte(strings.Repeat("a", 1000)))
	r, err := st.Open(ctx, "f")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	put(t, st, "f", []byte(strings.Repeat("b", 1000)))
	if _, err := r.ReadAt(make([]byte, 10), 0); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("read of a replaced object: %v, want fs.ErrNotExist", err)
	}

	big := []byte(strings.Repeat("c", 600<<10))
	put(t, st, "g", big)
	r2, err := st.Open(ctx, "g")
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	buf := make([]byte, 10)
	if _, err := r2.ReadAt(buf, int64(len(big)-10)); err != nil || string(buf) != "cccccccccc" {
		t.Fatalf("read %q, %v", buf, err)
	}
	if err := st.Delete(ctx, "g"); err != nil {
		t.Fatal(err)
	}
	if _, err := r2.ReadAt(buf, 0); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("read of a deleted object: %v, want fs.ErrNotExist", err)
	}
	if err := r2.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r2.ReadAt(buf, int64(len(big)-10)); err == nil {
		t.Fatal("read after close succeeded")
	}
	if !strings.HasPrefix(st.String(), "s3://") {
		t.Fatalf("String() = %q", st.String())
	}
}
