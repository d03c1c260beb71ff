package lake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// Defaults of Options.
const (
	DefaultTopic              = "usage-enriched"
	DefaultGroup              = "ledgerline-lake"
	DefaultRollRows           = 1_000_000
	DefaultRollBytes          = 256 << 20
	DefaultRollInterval       = 10 * time.Minute
	DefaultIdleTimeout        = 30 * time.Second
	DefaultMaxBufferedRows    = 500_000
	DefaultRowGroupRows       = 100_000
	DefaultCompactTargetBytes = 128 << 20
	DefaultCompactAfter       = time.Hour
	DefaultCompactInterval    = 10 * time.Minute
	DefaultRetainReplaced     = 15 * time.Minute
	DefaultOrphanGrace        = time.Hour
	DefaultShutdownTimeout    = time.Minute
)

// openS3Timeout bounds the check that an s3:// root's bucket exists.
const openS3Timeout = 30 * time.Second

// Options configures the sink and the lake's maintenance. The zero value of
// a field means its default; Validate reports what is out of range.
type Options struct {
	// Root is the lake's directory, or s3://bucket/prefix for a bucket
	// (see openRoot). Required unless Store is set.
	Root string
	// Store is the storage to use instead of a local directory at Root,
	// for example an object-store bucket.
	Store objstore.Store

	// Topic is the topic of framed EnrichedUsageEvents to consume.
	Topic string
	// Group is the consumer group.
	Group string

	// PartitionKeys is the Hive-style layout, outermost first. It is
	// fixed when the lake is created (see ErrLayoutMismatch).
	PartitionKeys []PartitionKey

	// A file is written for a lake partition and Kafka partition when its
	// buffer reaches RollRows rows or RollBytes bytes (uncompressed
	// estimate; zstd files are several times smaller), when its first row
	// is RollInterval old, or when no row was added for IdleTimeout.
	RollRows     int
	RollBytes    int64
	RollInterval time.Duration
	IdleTimeout  time.Duration
	// MaxBufferedRows caps the rows held in memory across all buffers;
	// reaching it writes the largest buffers first.
	MaxBufferedRows int
	// RowGroupRows is the maximum number of rows per Parquet row group.
	RowGroupRows int

	// Compaction merges the files smaller than CompactTargetBytes/2 of a
	// partition that has had no appends for CompactAfter into files of
	// about CompactTargetBytes. A running sink compacts the partitions it
	// wrote every CompactInterval (negative: never).
	CompactTargetBytes int64
	CompactAfter       time.Duration
	CompactInterval    time.Duration
	// RetainReplaced is how long compacted-away files stay readable for
	// readers of older manifest versions. Readers must finish within it.
	RetainReplaced time.Duration
	// OrphanGrace is the age after which a data or temporary file that no
	// manifest lists is deleted. It must exceed the time a writer needs
	// from publishing a file to listing it in the manifest.
	OrphanGrace time.Duration

	// ShutdownTimeout bounds the final flush and commit of Run and Drain
	// after their context is done.
	ShutdownTimeout time.Duration

	// OnUndecodable decides about a record that is not a decodable
	// EnrichedUsageEvent: nil skips it (counted in Stats.Undecodable), an
	// error stops the sink. Default: stop.
	OnUndecodable func(rec *kgo.Record, err error) error

	// Logger receives operational messages. Default: discarded.
	Logger *slog.Logger
	// Now is the clock. Default: time.Now.
	Now func() time.Time

	// beforeCommit, when set, runs before every Kafka offset commit; an
	// error aborts the sink as if the process had died there. Crash tests
	// use it.
	beforeCommit func(what string) error
}

// withDefaults returns o with defaults filled in, validated.
func (o Options) withDefaults() (Options, error) {
	if o.Topic == "" {
		o.Topic = DefaultTopic
	}
	if o.Group == "" {
		o.Group = DefaultGroup
	}
	if len(o.PartitionKeys) == 0 {
		o.PartitionKeys = DefaultPartitionKeys
	}
	o.PartitionKeys = slices.Clone(o.PartitionKeys)
	setDefault(&o.RollRows, DefaultRollRows)
	setDefault(&o.RollBytes, DefaultRollBytes)
	setDefault(&o.RollInterval, DefaultRollInterval)
	setDefault(&o.IdleTimeout, DefaultIdleTimeout)
	setDefault(&o.MaxBufferedRows, DefaultMaxBufferedRows)
	setDefault(&o.RowGroupRows, DefaultRowGroupRows)
	setDefault(&o.CompactTargetBytes, DefaultCompactTargetBytes)
	setDefault(&o.CompactAfter, DefaultCompactAfter)
	setDefault(&o.CompactInterval, DefaultCompactInterval)
	setDefault(&o.RetainReplaced, DefaultRetainReplaced)
	setDefault(&o.OrphanGrace, DefaultOrphanGrace)
	setDefault(&o.ShutdownTimeout, DefaultShutdownTimeout)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.OnUndecodable == nil {
		o.OnUndecodable = func(_ *kgo.Record, err error) error { return err }
	}
	return o, o.Validate()
}

// setDefault replaces a zero value by def. Negative durations stay, so
// that CompactInterval < 0 can mean "never" and RetainReplaced < 0 can be
// rejected by Validate.
func setDefault[T int | int64 | time.Duration](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}

// Validate reports every option that is out of range.
func (o Options) Validate() error {
	var errs []error
	if o.Root == "" && o.Store == nil {
		errs = append(errs, errors.New("lake: Root or Store is required"))
	}
	if err := validateKeys(o.PartitionKeys); err != nil {
		errs = append(errs, err)
	}
	positive := []struct {
		name string
		ok   bool
	}{
		{"RollRows", o.RollRows > 0},
		{"RollBytes", o.RollBytes > 0},
		{"RollInterval", o.RollInterval > 0},
		{"IdleTimeout", o.IdleTimeout > 0},
		{"MaxBufferedRows", o.MaxBufferedRows > 0},
		{"RowGroupRows", o.RowGroupRows > 0},
		{"CompactTargetBytes", o.CompactTargetBytes > 0},
		{"CompactAfter", o.CompactAfter > 0},
		{"ShutdownTimeout", o.ShutdownTimeout > 0},
	}
	for _, p := range positive {
		if !p.ok {
			errs = append(errs, fmt.Errorf("lake: %s must be positive", p.name))
		}
	}
	if o.RetainReplaced < 0 {
		errs = append(errs, errors.New("lake: RetainReplaced must not be negative"))
	}
	if o.OrphanGrace < 0 {
		errs = append(errs, errors.New("lake: OrphanGrace must not be negative"))
	}
	return errors.Join(errs...)
}

// store returns the configured Store, creating a local directory at Root
// when none is set.
func (o Options) store() (objstore.Store, error) {
	if o.Store != nil {
		return o.Store, nil
	}
	if objstore.IsS3Root(o.Root) {
		return openRoot(o.Root)
	}
	st, err := objstore.NewLocal(o.Root)
	if err != nil {
		return nil, fmt.Errorf("lake: open %s: %w", o.Root, err)
	}
	return st, nil
}

// openRoot opens an existing lake location: a local directory, or a
// bucket as s3://bucket/prefix, reached with the endpoint and credentials
// in LEDGERLINE_S3_ENDPOINT, LEDGERLINE_S3_ACCESS_KEY,
// LEDGERLINE_S3_SECRET_KEY, LEDGERLINE_S3_SECURE (default true) and
// LEDGERLINE_S3_REGION (see objstore.S3ConfigFromEnv). The bucket must
// exist.
func openRoot(root string) (objstore.Store, error) {
	if objstore.IsS3Root(root) {
		cfg, err := objstore.S3ConfigFromEnv(root)
		if err != nil {
			return nil, fmt.Errorf("lake: open %s: %w", root, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), openS3Timeout)
		defer cancel()
		st, err := objstore.NewS3(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("lake: open %s: %w", root, err)
		}
		return st, nil
	}
	st, err := objstore.OpenLocal(root)
	if err != nil {
		return nil, fmt.Errorf("lake: open %s: %w", root, err)
	}
	return st, nil
}
