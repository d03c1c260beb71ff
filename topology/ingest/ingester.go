package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/reportfile"
	"github.com/ledgerline/ledgerline/processors/validate"
	"github.com/ledgerline/ledgerline/topology"
)

// Options configure an Ingester.
type Options struct {
	// Profile forces a report layout; "" or "auto" detects it.
	Profile string
	// Profiles are the layouts to choose from; nil: the built-in ones.
	Profiles *reportfile.ProfileSet
	// Validator checks rows; nil: validate.New with default options.
	Validator *validate.Validator
	// Codecs encode records; nil: avro.NewCodecs.
	Codecs *avro.Codecs
	// ClientOpts reach Kafka (seed brokers, TLS, SASL). Not needed for
	// dry runs.
	ClientOpts []kgo.Opt
	// App prefixes transactional ids; default "ledgerline".
	App string
	// TopicPrefix is put before the name of every topic written and read
	// (see topology.Options.TopicPrefix).
	TopicPrefix string
	// ChunkRows is the number of rows per transaction; default 5000.
	ChunkRows int
	// TransactionTimeout bounds one chunk's transaction; default 60s.
	TransactionTimeout time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Progress, if set, returns a progress reporter for a file.
	Progress func(name string, size int64) Progress

	// beforeCommit, if set, runs before each transaction commit with the
	// chunk's last line; an error stops the run as a crash would.
	beforeCommit func(lastLine int64) error
}

// Ingester ingests report files.
type Ingester struct {
	opts Options
}

// New returns an Ingester.
func New(opts Options) (*Ingester, error) {
	if opts.Validator == nil {
		opts.Validator = validate.New(validate.Options{})
	}
	if opts.Codecs == nil {
		c, err := avro.NewCodecs()
		if err != nil {
			return nil, err
		}
		opts.Codecs = c
	}
	if opts.App == "" {
		opts.App = "ledgerline"
	}
	if opts.ChunkRows <= 0 {
		opts.ChunkRows = 5000
	}
	if opts.TransactionTimeout <= 0 {
		opts.TransactionTimeout = 60 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Ingester{opts: opts}, nil
}

func (in *Ingester) job(path string) (*fileJob, error) {
	sha, size, err := hashFile(path)
	if err != nil {
		return nil, err
	}
	return in.newJob(path, sha, size), nil
}

// fileJob returns the job of an open file: the bytes hashed are the bytes
// parsed, whatever happens to the path meanwhile.
func (in *Ingester) fileJob(f *os.File) (*fileJob, error) {
	sha, size, err := hashReader(io.NewSectionReader(f, 0, 1<<62), f.Name())
	if err != nil {
		return nil, err
	}
	j := in.newJob(f.Name(), sha, size)
	j.file = f
	return j, nil
}

func (in *Ingester) newJob(path, sha string, size int64) *fileJob {
	j := &fileJob{path: path, name: baseName(path), sha256: sha, size: size, profile: in.opts.Profile,
		profiles: in.opts.Profiles, validator: in.opts.Validator, now: in.opts.Now}
	if in.opts.Profile == "auto" {
		j.profile = ""
	}
	if in.opts.Progress != nil {
		j.progress = in.opts.Progress(j.name, size)
	}
	return j
}

// DryRun parses and validates the file without Kafka.
func (in *Ingester) DryRun(ctx context.Context, path string) (Summary, error) {
	j, err := in.job(path)
	if err != nil {
		return Summary{File: baseName(path)}, err
	}
	return j.process(ctx, discard{})
}

type discard struct{}

func (discard) skipThrough() int64                   { return 0 }
func (discard) event(*avro.UsageEvent) error         { return nil }
func (discard) deadLetter(*avro.DeadLetter) error    { return nil }
func (discard) rowDone(context.Context, int64) error { return nil }

// Ingest ingests the file exactly once; see the package documentation.
func (in *Ingester) Ingest(ctx context.Context, path string) (Summary, error) {
	j, err := in.job(path)
	if err != nil {
		return Summary{File: baseName(path)}, err
	}
	return in.ingest(ctx, j)
}

func (in *Ingester) ingest(ctx context.Context, j *fileJob) (Summary, error) {
	tx, err := in.openTx(ctx, j)
	if err != nil {
		return Summary{File: j.name, SHA256: j.sha256}, err
	}
	defer tx.close()
	if tx.entry.Status == avro.LedgerComplete {
		// Already in: count nothing new, produce nothing.
		return Summary{File: j.name, SHA256: j.sha256, Profile: tx.entry.Profile, Skipped: true,
			RejectedByReason: map[string]int64{}}, nil
	}
	sum, err := j.process(ctx, tx)
	if err != nil {
		if IsQuarantine(err) {
			// Commit what was read; the file stays unfinished in the
			// ledger and is moved to quarantine by the caller.
			if cerr := tx.commit(ctx, avro.LedgerInProgress, sum.Profile, nil); cerr != nil {
				return sum, errors.Join(err, cerr)
			}
		}
		return sum, err
	}
	if err := tx.commit(ctx, avro.LedgerComplete, sum.Profile, &sum); err != nil {
		return sum, err
	}
	sum.Produced = tx.produced
	return sum, nil
}

// transactionalID is derived from the file hash so that any earlier
// ingestion of the same file is fenced.
func (in *Ingester) transactionalID(sha string) string {
	return fmt.Sprintf("%s-ingest-%s", in.opts.App, sha[:32])
}

func (in *Ingester) topics() (usage, dead, recon, ledger string) {
	t := topology.Options{TopicPrefix: in.opts.TopicPrefix}
	return t.Topic(topology.TopicUsage), t.Topic(topology.TopicDeadLetter), t.Topic(topology.TopicReconciliation), t.Topic(topology.TopicIngestLedger)
}
