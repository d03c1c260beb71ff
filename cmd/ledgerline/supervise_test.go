package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/topology/runtime"
)

// TestSupervise: retryable errors open the instance again after growing
// delays, anything else ends the run, and so does the end of the context.
func TestSupervise(t *testing.T) {
	retryable := fmt.Errorf("pipeline: drift: %w", &runtime.Error{Op: runtime.OpCommit, Partition: -1, Offset: -1,
		Class: runtime.Retryable, Err: errors.New("end transaction: context deadline exceeded")})
	fatal := &runtime.Error{Op: runtime.OpGroup, Partition: -1, Offset: -1, Class: runtime.Fatal, Err: errors.New("group authorization failed")}
	other := errors.New("lake: disk full")
	const sec = time.Second
	cases := []struct {
		name     string
		results  []error // what the runs return, in order
		cancelAt int     // cancel the context during this run (0: never)
		want     error
		runs     int
		waits    []time.Duration
	}{
		{"clean stop", []error{nil}, 0, nil, 1, nil},
		{"retryable then clean", []error{retryable, retryable, retryable, nil}, 0, nil, 4,
			[]time.Duration{sec, 2 * sec, 4 * sec}},
		{"retryable then fatal", []error{retryable, fatal}, 0, fatal, 2, []time.Duration{sec}},
		{"not a runtime error", []error{other}, 0, other, 1, nil},
		{"signal during a run", []error{retryable, retryable}, 2, nil, 2, []time.Duration{sec}},
		{"delays are capped", []error{retryable, retryable, retryable, retryable, retryable, retryable, retryable, nil}, 0, nil, 8,
			[]time.Duration{sec, 2 * sec, 4 * sec, 8 * sec, 16 * sec, 30 * sec, 30 * sec}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			runs := 0
			var waits []time.Duration
			wait := func(ctx context.Context, d time.Duration) bool {
				waits = append(waits, d)
				return ctx.Err() == nil
			}
			restarts := 0
			err := supervise(ctx, slog.New(slog.DiscardHandler), wait, func(context.Context) error {
				runs++
				if runs == tc.cancelAt {
					cancel()
				}
				return tc.results[runs-1]
			}, func() { restarts++ })
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Errorf("supervise = %v, want %v", err, tc.want)
			}
			if runs != tc.runs {
				t.Errorf("%d runs, want %d", runs, tc.runs)
			}
			if restarts != runs-1 {
				t.Errorf("%d restarts counted for %d runs", restarts, runs)
			}
			if fmt.Sprint(waits) != fmt.Sprint(tc.waits) {
				t.Errorf("waited %v, want %v", waits, tc.waits)
			}
		})
	}
}
