package dspapi

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP
// date (RFC 9110 10.2.3). A date in the past gives 0; an unreadable
// value gives ok false.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// backoff returns the wait before retry number attempt (1-based): full
// jitter over an exponential bound, capped at max.
func backoff(attempt int, base, max time.Duration, rnd func(int64) int64) time.Duration {
	bound := base
	for i := 1; i < attempt && bound < max; i++ {
		bound *= 2
	}
	if bound > max {
		bound = max
	}
	if bound <= 0 {
		return 0
	}
	return time.Duration(rnd(int64(bound)) + 1)
}

func randInt64N(n int64) int64 { return rand.Int64N(n) }

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
