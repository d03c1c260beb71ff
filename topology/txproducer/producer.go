package txproducer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Producer is one transactional producer. Produce, Commit and Close must
// not be called concurrently.
type Producer struct {
	name    string // prefix of error messages ("ingest", "apipoll")
	cl      *kgo.Client
	timeout time.Duration
	open    bool

	mu       sync.Mutex
	firstErr error // of the open transaction's produces
}

// Open creates the producer: clientOpts reach Kafka, transactionalID and
// timeout (the broker's transaction timeout) name and bound its
// transactions. It returns once the producer id is initialised, that is
// once every earlier producer of transactionalID is fenced. name prefixes
// error messages.
func Open(ctx context.Context, name string, clientOpts []kgo.Opt, transactionalID string, timeout time.Duration) (*Producer, error) {
	if len(clientOpts) == 0 {
		return nil, fmt.Errorf("%s: no Kafka client options (seed brokers)", name)
	}
	opts := append(append([]kgo.Opt{}, clientOpts...),
		kgo.TransactionalID(transactionalID),
		kgo.TransactionTimeout(timeout),
		kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)),
		kgo.ProducerBatchMaxBytes(1<<20),
	)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: kafka client: %w", name, err)
	}
	if _, _, err := cl.ProducerID(ctx); err != nil {
		cl.Close()
		return nil, fmt.Errorf("%s: initialise transactional producer: %w", name, err)
	}
	return &Producer{name: name, cl: cl, timeout: timeout}, nil
}

// InTransaction reports whether a transaction is open: a record was
// produced since the last Commit.
func (p *Producer) InTransaction() bool { return p.open }

// Produce adds r to the open transaction, beginning one if needed. It
// returns the error of an earlier record of the transaction that failed
// to produce, if any; its own failure shows at the next Produce or at
// Commit.
func (p *Producer) Produce(ctx context.Context, r *kgo.Record) error {
	if !p.open {
		if err := p.cl.BeginTransaction(); err != nil {
			return fmt.Errorf("%s: begin transaction: %w", p.name, err)
		}
		p.open = true
	}
	if err := p.produceErr(); err != nil {
		return err
	}
	p.cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
		if err != nil {
			p.mu.Lock()
			if p.firstErr == nil {
				p.firstErr = fmt.Errorf("%s: produce: %w", p.name, err)
			}
			p.mu.Unlock()
		}
	})
	return nil
}

func (p *Producer) produceErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.firstErr
}

// Commit flushes the open transaction's records, runs beforeEnd (nil for
// none; tests crash there, after the records are written and before the
// transaction ends) and ends the transaction: it commits when every
// record was produced, and otherwise aborts and returns the first produce
// error. An error of beforeEnd leaves the transaction open.
func (p *Producer) Commit(ctx context.Context, beforeEnd func() error) error {
	if err := p.cl.Flush(ctx); err != nil {
		return fmt.Errorf("%s: flush: %w", p.name, err)
	}
	if beforeEnd != nil {
		if err := beforeEnd(); err != nil {
			return err
		}
	}
	perr := p.produceErr()
	end := kgo.TryCommit
	if perr != nil {
		end = kgo.TryAbort
	}
	if err := p.cl.EndTransaction(ctx, end); err != nil {
		return fmt.Errorf("%s: end transaction: %w", p.name, errors.Join(perr, err))
	}
	p.open = false
	p.mu.Lock()
	p.firstErr = nil
	p.mu.Unlock()
	return perr
}

// Close aborts a transaction left open (the broker would abort it when
// the producer id is fenced or the transaction times out) and closes the
// client.
func (p *Producer) Close() {
	if p.open {
		ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
		_ = p.cl.EndTransaction(ctx, kgo.TryAbort)
		cancel()
	}
	p.cl.Close()
}
