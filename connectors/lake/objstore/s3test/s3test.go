package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// The variables objstore.S3ConfigFromEnv reads. (This package does not
// import objstore, so that objstore's own tests can use it.)
const (
	envEndpoint  = "LEDGERLINE_S3_ENDPOINT"
	envAccessKey = "LEDGERLINE_S3_ACCESS_KEY"
	envSecretKey = "LEDGERLINE_S3_SECRET_KEY"
	envSecure    = "LEDGERLINE_S3_SECURE"
	envRegion    = "LEDGERLINE_S3_REGION"
)

// EnvBucket names the bucket the tests use (default DefaultBucket).
const EnvBucket = "LEDGERLINE_S3_TEST_BUCKET"

// DefaultBucket is the test bucket when EnvBucket is unset.
const DefaultBucket = "ledgerline-test"

// InCI reports whether the tests run in CI (env CI=true), where a missing
// S3 server is an error rather than a reason to skip.
func InCI() bool {
	switch strings.TrimSpace(os.Getenv("CI")) {
	case "true", "TRUE", "True", "1":
		return true
	}
	return false
}

// Root returns a new s3://bucket/prefix root for t, empty, in the test
// bucket, and removes every object below it when t ends. It skips t (or
// fails it under CI=true) when no S3 server is configured.
func Root(t testing.TB) string {
	t.Helper()
	endpoint := os.Getenv(envEndpoint)
	if endpoint == "" {
		if InCI() {
			t.Fatal(envEndpoint + " not set and CI=true: CI must run the S3 tests against a " +
				"real S3-compatible server (run them via deploy/s3/with-s3.sh)")
		}
		t.Skip(envEndpoint + " not set: run the tests via deploy/s3/with-s3.sh to start a local S3 server")
	}
	bucket := os.Getenv(EnvBucket)
	if bucket == "" {
		bucket = DefaultBucket
	}
	var suffix [6]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		t.Fatalf("s3test: random prefix: %v", err)
	}
	prefix := "t/" + sanitize(t.Name()) + "-" + hex.EncodeToString(suffix[:])
	root := "s3://" + bucket + "/" + prefix
	secure := true
	if v := os.Getenv(envSecure); v != "" {
		var err error
		if secure, err = strconv.ParseBool(v); err != nil {
			t.Fatalf("s3test: %s=%q: %v", envSecure, v, err)
		}
	}
	region := os.Getenv(envRegion)
	client, err := minio.New(endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(os.Getenv(envAccessKey), os.Getenv(envSecretKey), ""),
		Secure: secure,
		Region: region,
	})
	if err != nil {
		t.Fatalf("s3test: client: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ensureBucket(ctx, client, bucket, region); err != nil {
		t.Fatalf("s3test: bucket %s at %s: %v", bucket, endpoint, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := removeAll(ctx, client, bucket, prefix+"/"); err != nil {
			t.Errorf("s3test: cleaning %s: %v", root, err)
		}
	})
	return root
}

// ensureBucket creates bucket unless it exists. Test packages run in
// parallel, so losing the race to create it is fine.
func ensureBucket(ctx context.Context, client *minio.Client, bucket, region string) error {
	ok, err := client.BucketExists(ctx, bucket)
	if err != nil || ok {
		return err
	}
	err = client.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: region})
	switch minio.ToErrorResponse(err).Code {
	case "BucketAlreadyOwnedByYou", "BucketAlreadyExists":
		return nil
	}
	return err
}

// removeAll deletes every object whose key starts with prefix.
func removeAll(ctx context.Context, client *minio.Client, bucket, prefix string) error {
	objs := client.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true})
	for res := range client.RemoveObjects(ctx, bucket, objs, minio.RemoveObjectsOptions{}) {
		if res.Err != nil {
			return res.Err
		}
	}
	return nil
}

// sanitize keeps a test name to characters that are safe in a key.
func sanitize(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := b.String()
	if len(s) > 100 {
		s = s[len(s)-100:]
	}
	return s
}
