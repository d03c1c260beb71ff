// Package s3test connects tests to the S3-compatible server that
// deploy/s3/with-s3.sh starts (or any server named by the LEDGERLINE_S3_*
// variables, see objstore.S3ConfigFromEnv): open a store on Root(t) with
// objstore.S3ConfigFromEnv and objstore.NewS3.
//
// Every test gets its own key prefix in one shared test bucket (created if
// missing, named by LEDGERLINE_S3_TEST_BUCKET, default ledgerline-test);
// what a test wrote is deleted when it ends. Without LEDGERLINE_S3_ENDPOINT
// a test is skipped, except under CI=true, where it fails, so CI can never
// silently pass without a real server.
package s3test
