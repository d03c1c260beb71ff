package runtime

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

func TestErrorClassification(t *testing.T) {
	cases := []struct {
		err  error
		want Class
	}{
		{kerr.NotLeaderForPartition, Retryable},
		{kerr.CoordinatorNotAvailable, Retryable},
		{context.DeadlineExceeded, Retryable},
		{kgo.ErrClientClosed, Retryable},
		{errors.New("dial tcp: connection refused"), Retryable},
		{kerr.ProducerFenced, Fatal},
		{fmt.Errorf("end: %w", kerr.InvalidProducerEpoch), Fatal},
		{kerr.TransactionalIDAuthorizationFailed, Fatal},
		{kerr.MessageTooLarge, Fatal},
		{kerr.InvalidRequest, Fatal},
	}
	for _, c := range cases {
		if got := classifyKafka(c.err); got != c.want {
			t.Errorf("classifyKafka(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestGroupErrorClassification(t *testing.T) {
	for _, c := range []struct {
		err   error
		fatal bool
	}{
		{kerr.InvalidSessionTimeout, true},
		{kerr.GroupAuthorizationFailed, true},
		{kerr.InvalidGroupID, true},
		{kerr.InconsistentGroupProtocol, true},
		{kerr.FencedInstanceID, true},
		// kgo rejoins after these by itself.
		{kerr.UnknownMemberID, false},
		{kerr.IllegalGeneration, false},
		{kerr.RebalanceInProgress, false},
		{kerr.CoordinatorNotAvailable, false},
		{kerr.NotCoordinator, false},
		{context.DeadlineExceeded, false},
		{errors.New("dial tcp: connection refused"), false},
	} {
		err := fmt.Errorf("poll: %w", &kgo.ErrGroupSession{Err: c.err})
		if got := isFatalGroupError(err); got != c.fatal {
			t.Errorf("isFatalGroupError(%v) = %v, want %v", err, got, c.fatal)
		}
	}
}

func TestErrorWrapping(t *testing.T) {
	cause := errors.New("cause")
	err := fmt.Errorf("outer: %w", &Error{Op: OpProcess, Topic: "in", Partition: 2, Offset: 41, Class: Retryable, Err: cause})
	if !errors.Is(err, cause) || !IsRetryable(err) || IsFatal(err) {
		t.Fatalf("classification lost through wrapping: %v", err)
	}
	if s := err.Error(); !strings.Contains(s, "process in/2@41 (retryable): cause") {
		t.Errorf("Error() = %q", s)
	}
	joined := errors.Join(errors.New("other"), configError("bad %s", "thing"))
	if !IsFatal(joined) {
		t.Errorf("IsFatal(%v) = false", joined)
	}
	if IsRetryable(cause) || IsFatal(cause) {
		t.Error("a plain error is classified")
	}
}
