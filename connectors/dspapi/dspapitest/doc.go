// Package dspapitest is a fake DSP reporting API for tests: an HTTP
// server on 127.0.0.1 that serves generated usage items in the shapes of
// the built-in dspapi profiles (cursor-json, link-header), paginated, and
// injects the faults a real API has: 429 with Retry-After, bursts of 500,
// bodies that break off, malformed items and expired cursors.
package dspapitest
