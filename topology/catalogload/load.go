package catalogload

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/validate"
	"github.com/ledgerline/ledgerline/topology"
)

// Summary is what a load did.
type Summary struct {
	Records          int64            `json:"records"`
	Published        int64            `json:"published"`
	Rejected         int64            `json:"rejected"`
	RejectedByReason map[string]int64 `json:"rejected_by_reason"`
}

// Options configure a load.
type Options struct {
	ClientOpts []kgo.Opt    // seed brokers etc.; nil for a dry run
	Codecs     *avro.Codecs // nil: avro.NewCodecs
	Validator  *validate.Validator
	FileName   string // for dead letters
	App        string // transactional id prefix; default "ledgerline"
	// TopicPrefix is put before the catalog and dead-letter topics' names
	// (see topology.Options.TopicPrefix).
	TopicPrefix string
	ChunkSize   int // records per transaction; default 5000
	Now         func() time.Time
	DryRun      bool
}

// Format of a catalog file.
const (
	FormatCSV       = "csv"
	FormatJSONLines = "jsonl"
)

// DetectFormat guesses the format from the first non-blank byte: '{' is
// JSON lines, anything else CSV.
func DetectFormat(br *bufio.Reader) string {
	for i := 1; i <= 64; i++ {
		b, err := br.Peek(i)
		if err != nil && len(b) < i {
			return FormatCSV
		}
		switch c := b[i-1]; {
		case c == '{':
			return FormatJSONLines
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF:
			continue
		default:
			return FormatCSV
		}
	}
	return FormatCSV
}

// Load reads catalog records from r and publishes them.
func Load(ctx context.Context, r io.Reader, opts Options) (Summary, error) {
	sum := Summary{RejectedByReason: map[string]int64{}}
	if opts.Codecs == nil {
		c, err := avro.NewCodecs()
		if err != nil {
			return sum, err
		}
		opts.Codecs = c
	}
	if opts.Validator == nil {
		opts.Validator = validate.New(validate.Options{})
	}
	if opts.App == "" {
		opts.App = "ledgerline"
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = 5000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	br := bufio.NewReader(r)
	var inputs iter.Seq2[*validate.CatalogInput, error]
	if DetectFormat(br) == FormatJSONLines {
		inputs = validate.ReadCatalogJSONLines(br)
	} else {
		inputs = validate.ReadCatalogCSV(br)
	}
	var p *publisher
	if !opts.DryRun {
		var err error
		if p, err = newPublisher(ctx, opts); err != nil {
			return sum, err
		}
		defer p.close()
	}
	for in, err := range inputs {
		if err != nil {
			return sum, fmt.Errorf("catalog: %w", err)
		}
		sum.Records++
		rec, rej := opts.Validator.ValidateCatalog(in)
		if rej != nil {
			sum.Rejected++
			sum.RejectedByReason[rej.Reason]++
			if p != nil {
				if err := p.deadLetter(ctx, in, rej); err != nil {
					return sum, err
				}
			}
			continue
		}
		sum.Published++
		if p != nil {
			if err := p.record(ctx, &rec); err != nil {
				return sum, err
			}
		}
	}
	if p != nil {
		if err := p.commit(ctx); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// publisher produces records in chunked transactions.
type publisher struct {
	opts Options
	cl   *kgo.Client
	n    int
	open bool

	mu       sync.Mutex
	firstErr error
}

func newPublisher(ctx context.Context, opts Options) (*publisher, error) {
	if len(opts.ClientOpts) == 0 {
		return nil, errors.New("catalog: no Kafka client options (seed brokers)")
	}
	id := opts.App + "-catalog-load-" + strings.ReplaceAll(opts.FileName, "/", "_")
	cl, err := kgo.NewClient(append(append([]kgo.Opt{}, opts.ClientOpts...), kgo.TransactionalID(id))...)
	if err != nil {
		return nil, fmt.Errorf("catalog: kafka client: %w", err)
	}
	if _, _, err := cl.ProducerID(ctx); err != nil {
		cl.Close()
		return nil, fmt.Errorf("catalog: initialise transactional producer: %w", err)
	}
	return &publisher{opts: opts, cl: cl}, nil
}

func (p *publisher) produce(ctx context.Context, r *kgo.Record) error {
	if !p.open {
		if err := p.cl.BeginTransaction(); err != nil {
			return fmt.Errorf("catalog: begin transaction: %w", err)
		}
		p.open = true
	}
	p.cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
		if err != nil {
			p.mu.Lock()
			if p.firstErr == nil {
				p.firstErr = fmt.Errorf("catalog: produce: %w", err)
			}
			p.mu.Unlock()
		}
	})
	if p.n++; p.n >= p.opts.ChunkSize {
		return p.commit(ctx)
	}
	return nil
}

func (p *publisher) record(ctx context.Context, rec *avro.CatalogRecord) error {
	v, err := p.opts.Codecs.Catalog.Encode(rec)
	if err != nil {
		return fmt.Errorf("catalog: %s: %w", rec.ISRC, err)
	}
	return p.produce(ctx, &kgo.Record{Topic: p.opts.TopicPrefix + topology.TopicCatalog, Key: []byte(rec.ISRC), Value: v})
}

func (p *publisher) deadLetter(ctx context.Context, in *validate.CatalogInput, rej *validate.Rejection) error {
	dl := avro.DeadLetter{
		DeadLetterID: fmt.Sprintf("%s:%d", p.opts.FileName, in.Line),
		Stage:        topology.StageCatalogLoad, FileName: p.opts.FileName, Line: in.Line,
		Reason: rej.Reason, Message: rej.Message, Raw: bytes.Clone(in.Raw), Time: p.opts.Now(),
	}
	if rej.Field != "" {
		f := rej.Field
		dl.Field = &f
	}
	v, err := p.opts.Codecs.DeadLetter.Encode(&dl)
	if err != nil {
		return fmt.Errorf("catalog: dead letter: %w", err)
	}
	return p.produce(ctx, &kgo.Record{Topic: p.opts.TopicPrefix + topology.TopicDeadLetter, Key: []byte(p.opts.FileName), Value: v})
}

func (p *publisher) commit(ctx context.Context) error {
	if !p.open {
		return nil
	}
	if err := p.cl.Flush(ctx); err != nil {
		return fmt.Errorf("catalog: flush: %w", err)
	}
	p.mu.Lock()
	perr := p.firstErr
	p.mu.Unlock()
	end := kgo.TryCommit
	if perr != nil {
		end = kgo.TryAbort
	}
	if err := p.cl.EndTransaction(ctx, end); err != nil {
		return fmt.Errorf("catalog: end transaction: %w", errors.Join(perr, err))
	}
	p.open, p.n = false, 0
	return perr
}

func (p *publisher) close() {
	if p.open {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = p.cl.EndTransaction(ctx, kgo.TryAbort)
		cancel()
	}
	p.cl.Close()
}
