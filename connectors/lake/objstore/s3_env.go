package objstore

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Environment variables that configure the S3 store behind an s3:// root.
const (
	// EnvS3Endpoint is the server's host:port (required for s3:// roots).
	EnvS3Endpoint = "LEDGERLINE_S3_ENDPOINT"
	// EnvS3AccessKey and EnvS3SecretKey are the static credentials.
	EnvS3AccessKey = "LEDGERLINE_S3_ACCESS_KEY"
	EnvS3SecretKey = "LEDGERLINE_S3_SECRET_KEY"
	// EnvS3Secure is "true" (the default) for HTTPS, "false" for plain
	// HTTP.
	EnvS3Secure = "LEDGERLINE_S3_SECURE"
	// EnvS3Region is the bucket's region (optional).
	EnvS3Region = "LEDGERLINE_S3_REGION"
)

// S3Scheme starts a root that names a bucket: s3://bucket/prefix.
const S3Scheme = "s3://"

// IsS3Root reports whether root names an S3 location (s3://bucket/prefix).
func IsS3Root(root string) bool { return strings.HasPrefix(root, S3Scheme) }

// ParseS3Root splits s3://bucket/prefix into the bucket and the key prefix
// (which may be empty).
func ParseS3Root(root string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(root, S3Scheme)
	if !ok {
		return "", "", fmt.Errorf("objstore: %q is not an %sbucket/prefix root", root, S3Scheme)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("objstore: %q names no bucket", root)
	}
	prefix = strings.Trim(prefix, "/")
	if prefix != "" {
		if err := CheckName(prefix); err != nil {
			return "", "", fmt.Errorf("objstore: prefix of %q: %w", root, err)
		}
	}
	return bucket, prefix, nil
}

// S3ConfigFromEnv returns the configuration of the S3 store at root
// (s3://bucket/prefix), with the endpoint and credentials taken from
// LEDGERLINE_S3_ENDPOINT, LEDGERLINE_S3_ACCESS_KEY,
// LEDGERLINE_S3_SECRET_KEY, LEDGERLINE_S3_SECURE (default true) and
// LEDGERLINE_S3_REGION (optional).
func S3ConfigFromEnv(root string) (S3Config, error) {
	bucket, prefix, err := ParseS3Root(root)
	if err != nil {
		return S3Config{}, err
	}
	cfg := S3Config{
		Endpoint:  os.Getenv(EnvS3Endpoint),
		Bucket:    bucket,
		Prefix:    prefix,
		AccessKey: os.Getenv(EnvS3AccessKey),
		SecretKey: os.Getenv(EnvS3SecretKey),
		Secure:    true,
		Region:    os.Getenv(EnvS3Region),
	}
	if cfg.Endpoint == "" {
		return S3Config{}, fmt.Errorf("objstore: %s: %s is not set", root, EnvS3Endpoint)
	}
	if v := os.Getenv(EnvS3Secure); v != "" {
		secure, err := strconv.ParseBool(v)
		if err != nil {
			return S3Config{}, fmt.Errorf("objstore: %s=%q: %w", EnvS3Secure, v, err)
		}
		cfg.Secure = secure
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return S3Config{}, fmt.Errorf("objstore: %s: credentials missing: set %s and %s", root, EnvS3AccessKey, EnvS3SecretKey)
	}
	return cfg, nil
}
