package runtime

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Class says what a caller can do about an error returned by Run.
type Class int

const (
	// Retryable errors are transient: broker or network trouble, a
	// processor error (the processor contract says the record is retried
	// after restart), a store that could not be restored in time.
	// Running again with the same Config may succeed; nothing committed
	// was lost.
	Retryable Class = iota + 1
	// Fatal errors need a person: invalid configuration, a producer fenced
	// by another instance with the same TransactionalID, a value an output
	// cannot encode, a local store that cannot be written.
	Fatal
)

func (c Class) String() string {
	switch c {
	case Retryable:
		return "retryable"
	case Fatal:
		return "fatal"
	}
	return "unknown"
}

// Operations an Error can name.
const (
	OpConfig    = "config"
	OpStart     = "start"
	OpPoll      = "poll"
	OpRestore   = "restore"
	OpProcess   = "process"
	OpBroadcast = "broadcast"
	OpFlush     = "flush"
	OpProduce   = "produce"
	OpCommit    = "commit"
	OpStore     = "store"
	OpGroup     = "group" // joining and staying in the consumer group
)

// Error is an error of the runtime: what it was doing (Op), where (topic,
// partition and offset when known, else -1), how to treat it (Class) and
// the cause.
type Error struct {
	Op        string
	Topic     string
	Partition int32
	Offset    int64
	Class     Class
	Err       error
}

func (e *Error) Error() string {
	where := ""
	switch {
	case e.Topic != "" && e.Partition >= 0 && e.Offset >= 0:
		where = fmt.Sprintf(" %s/%d@%d", e.Topic, e.Partition, e.Offset)
	case e.Topic != "" && e.Partition >= 0:
		where = fmt.Sprintf(" %s/%d", e.Topic, e.Partition)
	case e.Topic != "":
		where = " " + e.Topic
	}
	return fmt.Sprintf("runtime: %s%s (%s): %v", e.Op, where, e.Class, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// IsRetryable reports whether err, or an Error it wraps, is Retryable.
func IsRetryable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Class == Retryable
}

// IsFatal reports whether err, or an Error it wraps, is Fatal.
func IsFatal(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Class == Fatal
}

var (
	// ErrNotRunning is returned by Broadcast when the Runner is not
	// running, or stops before the broadcast was committed everywhere.
	ErrNotRunning = errors.New("runtime: runner not running")
	// ErrAlreadyStarted is returned by a second Run or Drain of a Runner.
	ErrAlreadyStarted = errors.New("runtime: runner already started")
)

// opError builds an Error without a record position.
func opError(op, topic string, partition int32, class Class, err error) *Error {
	return &Error{Op: op, Topic: topic, Partition: partition, Offset: -1, Class: class, Err: err}
}

// configError is a Fatal OpConfig error.
func configError(format string, args ...any) *Error {
	return opError(OpConfig, "", -1, Fatal, fmt.Errorf(format, args...))
}

// classifyKafka classifies an error from the Kafka client: retryable when
// the broker says so or the network failed, fatal for fencing and
// authorization, retryable otherwise only if it is a context error (a
// timeout of ours).
func classifyKafka(err error) Class {
	switch {
	case err == nil:
		return Retryable
	case errors.Is(err, kerr.ProducerFenced),
		errors.Is(err, kerr.InvalidProducerEpoch),
		errors.Is(err, kerr.TransactionalIDAuthorizationFailed),
		errors.Is(err, kerr.GroupAuthorizationFailed),
		errors.Is(err, kerr.TopicAuthorizationFailed),
		errors.Is(err, kerr.ClusterAuthorizationFailed),
		errors.Is(err, kerr.InvalidTopicException),
		errors.Is(err, kerr.MessageTooLarge),
		errors.Is(err, kerr.RecordListTooLarge):
		return Fatal
	case kerr.IsRetriable(err),
		kgo.IsRetryableBrokerErr(err),
		errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, context.Canceled),
		errors.Is(err, kgo.ErrRecordTimeout),
		errors.Is(err, kgo.ErrClientClosed):
		return Retryable
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return Retryable
	}
	var kErr *kerr.Error
	if errors.As(err, &kErr) {
		return Fatal
	}
	return Retryable
}

// isFatalGroupError reports whether err, a failure of kgo's group
// management (it arrives from a poll wrapped in *kgo.ErrGroupSession), is
// one the broker will give on every retry: the member's configuration or
// rights are refused. kgo would rejoin forever; the runtime stops instead.
// Other group errors (a lost session, a coordinator moving, an expired
// member id) are transient and left to kgo, which rejoins.
func isFatalGroupError(err error) bool {
	for _, fatal := range fatalGroupErrors {
		if errors.Is(err, fatal) {
			return true
		}
	}
	return false
}

// fatalGroupErrors are the group errors no rejoin can cure.
var fatalGroupErrors = []error{
	kerr.InvalidSessionTimeout,     // SessionTimeout outside the broker's group.{min,max}.session.timeout.ms
	kerr.GroupAuthorizationFailed,  // no right to the group
	kerr.InvalidGroupID,            // a group name the broker refuses
	kerr.InconsistentGroupProtocol, // members of the group use another protocol or balancer
	kerr.GroupMaxSizeReached,       // the broker's group.max.size
	kerr.FencedInstanceID,          // another member has the same kgo.InstanceID
	kerr.TopicAuthorizationFailed,  // no right to the input topic
}
