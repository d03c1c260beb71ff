package dspapi

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sony/gobreaker/v2"
)

// ErrCursorExpired is returned by Client.Fetch when the API says the
// request's cursor or page token is no longer valid (a status in
// Profile.CursorExpiredStatus). The window must be read again from its
// first page.
var ErrCursorExpired = errors.New("dspapi: cursor expired")

// ErrBreakerOpen is wrapped when calls stopped because the circuit
// breaker is open: the API failed too often in a row.
var ErrBreakerOpen = errors.New("dspapi: circuit breaker open")

// StatusError is an HTTP answer other than 2xx.
type StatusError struct {
	Method, URL string
	Status      int
	// RetryAfter is the wait the API asked for (429, 503), 0 if none.
	RetryAfter time.Duration
	// Body is the start of the answer's body, for the message.
	Body string
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("dspapi: %s %s: %d %s", e.Method, e.URL, e.Status, http.StatusText(e.Status))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Retryable reports whether the same request may succeed later: 429,
// 408 and 5xx.
func (e *StatusError) Retryable() bool {
	return e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout || e.Status >= 500
}

// NetError is a request that got no HTTP answer, or an answer whose body
// broke off.
type NetError struct {
	Method, URL string
	Err         error
}

func (e *NetError) Error() string { return fmt.Sprintf("dspapi: %s %s: %v", e.Method, e.URL, e.Err) }
func (e *NetError) Unwrap() error { return e.Err }

// IsRetryable reports whether err is worth trying again later: a
// retryable status, a network error, a page whose body broke off, or an
// open circuit breaker. Cancellation and expired cursors are not.
func IsRetryable(err error) bool {
	var se *StatusError
	var ne *NetError
	switch {
	case errors.As(err, &se):
		return se.Retryable()
	case errors.Is(err, ErrBreakerOpen), errors.Is(err, ErrPageSyntax):
		return true
	case errors.As(err, &ne):
		return true
	}
	return false
}

// breakerErr maps gobreaker's refusals to ErrBreakerOpen.
func breakerErr(err error) error {
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return fmt.Errorf("%w: %w", ErrBreakerOpen, err)
	}
	return err
}
