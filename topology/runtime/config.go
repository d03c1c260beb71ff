package runtime

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/processors"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultCommitEvery          = 1000
	DefaultCommitInterval       = 100 * time.Millisecond
	DefaultTransactionTimeout   = 40 * time.Second
	DefaultQueueSize            = 1000
	DefaultMaxPollRecords       = 500
	DefaultShutdownTimeout      = 30 * time.Second
	DefaultChangelogReplication = -1 // the broker's default.replication.factor
)

// OutputSpec says where and how one output of the processor is written.
type OutputSpec struct {
	// Topic receives the output's records, partitioned by key with
	// Kafka's murmur2 hash (the Java client's default).
	Topic string
	// Encode turns an emitted value into the record value. A nil result
	// is written as a null value (a tombstone on a compacted topic). An
	// error fails the task: emitting a value the output cannot encode is
	// a bug, not bad data.
	Encode func(v any) ([]byte, error)
}

// DeadLetterFunc maps an input record whose value could not be decoded to
// the record emitted in its place: the output (which must be in
// Config.Outputs), the key and the value to encode. raw carries the
// undecoded bytes and their position. It is called in the record's
// transaction, so the dead letter commits atomically with the input offset.
type DeadLetterFunc func(raw processors.Record[[]byte], cause error) (out processors.Output, key []byte, value any)

// StoreOpener opens one named store of one partition, restoring it from
// its changelog before returning. The default opens a state.Store (Badger
// under Config.StateDir, changelog named by state.ChangelogTopic(App,
// name)).
type StoreOpener func(ctx context.Context, spec StoreSpec) (Store, error)

// Config configures a Runner for input values of type V. Fields marked
// required have no default; the rest default as documented.
type Config[V any] struct {
	// Brokers are the seed brokers (required).
	Brokers []string
	// ClientOpts are added to every Kafka client the runtime creates: the
	// group member, the restore consumers and the admin client (TLS,
	// SASL, dialer, request timeouts).
	ClientOpts []kgo.Opt
	// GroupOpts are added to the group member only, after ClientOpts:
	// kgo.SessionTimeout (default DefaultSessionTimeout, 15s, instead of
	// kgo's 45s: see there why it must stay well below
	// TransactionTimeout), HeartbeatInterval, RebalanceTimeout,
	// MetadataMaxAge (how soon added input partitions are noticed),
	// ConsumeResetOffset for partitions without a committed offset
	// (default: the start), FetchMaxWait (default 500ms instead of kgo's
	// 5s: a partition resumed once its stores are restored is fetched
	// only after the fetch in flight returns, so this bounds how long a
	// newly assigned partition waits for its first records). The
	// runtime's own settings (group, topic, balancer, transactional id,
	// isolation level, partitioner, rebalance callbacks) are applied last
	// and win.
	GroupOpts []kgo.Opt

	// App prefixes changelog topic names: state.ChangelogTopic(App,
	// store). Default: Group.
	App string
	// Group is the consumer group (required).
	Group string
	// InputTopic is consumed, one task per partition (required). It must
	// exist when Run starts.
	InputTopic string

	// Decode turns a record value into V (required). A decode error is
	// never fatal: the record goes to DeadLetter.
	Decode func([]byte) (V, error)
	// DeadLetter routes records that failed to decode (required).
	DeadLetter DeadLetterFunc

	// Processor handles the records of every task. It is called
	// concurrently from several tasks, so it must keep per-partition
	// state in its stores (or key it by Context.Partition). If it is a
	// processors.Flusher, Flush is called once per task before every
	// commit, with that task's Context. Exactly one of Processor and
	// NewProcessor must be set.
	Processor processors.Processor[V]
	// NewProcessor returns a processor for one task, for processors that
	// keep per-partition state in memory (a processors.Flusher buffering
	// output, for example). It is called when the partition is assigned.
	NewProcessor func(partition int32) processors.Processor[V]

	// Stores are the names of the state stores every task opens; the
	// processor reaches them with Context.Store. Each is backed by the
	// compacted changelog topic state.ChangelogTopic(App, name), which
	// Run creates (or grows) to the input topic's partition count.
	Stores []string
	// StateDir holds the local stores (required when Stores is set). Two
	// running instances must not share it.
	StateDir string
	// OpenStore replaces the default store implementation (tests inject
	// faults with it).
	OpenStore StoreOpener
	// ChangelogReplication is the replication factor of changelog topics
	// the runtime creates. Default: the broker's default.
	ChangelogReplication int16

	// Outputs maps the processor's outputs to topics and encoders.
	Outputs map[processors.Output]OutputSpec

	// TransactionalID identifies this instance's transactional producer
	// (required). It must be unique per running instance and should be
	// stable across restarts of the same instance: a restarted instance
	// then fences its crashed predecessor and aborts its open transaction
	// at once, instead of waiting for TransactionTimeout.
	TransactionalID string
	// TransactionTimeout is how long the broker keeps a transaction of a
	// silent producer open before aborting it. Default 40s.
	TransactionTimeout time.Duration
	// CommitEvery commits the transaction once this many records were
	// consumed since the last commit. Default 1000.
	CommitEvery int
	// CommitInterval commits the transaction at the latest this long
	// after its first record was consumed. Default 100ms.
	CommitInterval time.Duration

	// QueueSize bounds each task's queue of consumed, unprocessed
	// records: a partition whose queue holds QueueSize records is paused
	// until the queue is half empty. Default 1000.
	QueueSize int
	// MaxPollRecords bounds one poll; a queue holds at most QueueSize +
	// MaxPollRecords records. Default 500.
	MaxPollRecords int
	// ShutdownTimeout bounds how long a cancelled Run processes the
	// records already consumed before it commits; past it the
	// transaction is aborted instead. Default 30s.
	ShutdownTimeout time.Duration

	// Registerer receives the runtime's metrics; nil registers nothing.
	Registerer prometheus.Registerer
	// Logger receives the runtime's logs; nil discards them.
	Logger *slog.Logger
	// Now is the processing time given to processors (Context.Now).
	// Default time.Now.
	Now func() time.Time
}

// withDefaults returns cfg with zero fields defaulted, or the first reason
// it is invalid.
func (c Config[V]) withDefaults() (Config[V], error) {
	if c.App == "" {
		c.App = c.Group
	}
	if c.TransactionTimeout == 0 {
		c.TransactionTimeout = DefaultTransactionTimeout
	}
	if c.CommitEvery == 0 {
		c.CommitEvery = DefaultCommitEvery
	}
	if c.CommitInterval == 0 {
		c.CommitInterval = DefaultCommitInterval
	}
	if c.QueueSize == 0 {
		c.QueueSize = DefaultQueueSize
	}
	if c.MaxPollRecords == 0 {
		c.MaxPollRecords = DefaultMaxPollRecords
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.ChangelogReplication == 0 {
		c.ChangelogReplication = DefaultChangelogReplication
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.OpenStore == nil {
		c.OpenStore = openStateStore
	}
	return c, c.validate()
}

func (c Config[V]) validate() error {
	switch {
	case len(c.Brokers) == 0:
		return configError("Brokers is empty")
	case c.Group == "":
		return configError("Group is empty")
	case c.InputTopic == "":
		return configError("InputTopic is empty")
	case c.Decode == nil:
		return configError("Decode is nil")
	case c.DeadLetter == nil:
		return configError("DeadLetter is nil: undecodable records must go somewhere")
	case (c.Processor == nil) == (c.NewProcessor == nil):
		return configError("exactly one of Processor and NewProcessor must be set")
	case c.TransactionalID == "":
		return configError("TransactionalID is empty")
	case c.CommitEvery < 0:
		return configError("CommitEvery %d is negative", c.CommitEvery)
	case c.CommitInterval < 0:
		return configError("CommitInterval %v is negative", c.CommitInterval)
	case c.TransactionTimeout <= 2*c.CommitInterval:
		return configError("TransactionTimeout %v must exceed twice CommitInterval %v", c.TransactionTimeout, c.CommitInterval)
	case c.QueueSize < 0:
		return configError("QueueSize %d is negative", c.QueueSize)
	case c.MaxPollRecords < 0:
		return configError("MaxPollRecords %d is negative", c.MaxPollRecords)
	case c.ShutdownTimeout < 0:
		return configError("ShutdownTimeout %v is negative", c.ShutdownTimeout)
	case len(c.Stores) > 0 && c.StateDir == "":
		return configError("StateDir is empty but Stores are configured")
	}
	for i, s := range c.Stores {
		if s == "" {
			return configError("store name %d is empty", i)
		}
		if slices.Contains(c.Stores[:i], s) {
			return configError("store %q configured twice", s)
		}
	}
	for out, spec := range c.Outputs {
		switch {
		case out == "":
			return configError("an output has an empty name")
		case spec.Topic == "":
			return configError("output %q has no topic", out)
		case spec.Encode == nil:
			return configError("output %q has no Encode", out)
		case spec.Topic == c.InputTopic:
			return configError("output %q writes the input topic %q", out, c.InputTopic)
		}
	}
	return nil
}
