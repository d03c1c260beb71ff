package apipoll

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/dspapi"
	"github.com/ledgerline/ledgerline/processors/validate"
	"github.com/ledgerline/ledgerline/topology"
)

// StageName is the stage recorded in dead letters written here.
const StageName = topology.StageAPIPoll

// WarnRestated is the warning code of an event polled by a restatement
// window: the days were synced before and the DSP may have restated them.
const WarnRestated = "restated"

// Topics are the topics a poller writes; zero fields take the topology's
// names.
type Topics struct {
	Usage, DeadLetter, Checkpoint string
}

// Options configure a Poller.
type Options struct {
	// Client reaches the API; its profile is the sync's. Required.
	Client *dspapi.Client
	// Account is the account at the DSP whose usage is polled. Required.
	Account string
	// Start is the first day the sync covers. Required.
	Start time.Time
	// Until, when not zero, is the last day it covers.
	Until time.Time
	// Schedule cuts the days into windows.
	Schedule dspapi.Schedule
	// Validator checks items; nil: validate.New with default options.
	Validator *validate.Validator
	// Codecs encode records; nil: avro.NewCodecs.
	Codecs *avro.Codecs
	// ClientOpts reach Kafka (seed brokers, TLS, SASL). Not needed for
	// dry runs.
	ClientOpts []kgo.Opt
	// App prefixes transactional ids; default "ledgerline".
	App string
	// Topics override the topology's topic names (tests).
	Topics Topics
	// ChunkItems bounds the items of one transaction: a page with more
	// is committed in parts; default 5000.
	ChunkItems int
	// PageRetries bounds how often a page whose body broke off is read
	// again, per page; default 5.
	PageRetries int
	// TransactionTimeout bounds one transaction; default 60s.
	TransactionTimeout time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time

	// beforeCommit, if set, runs when a transaction's records are
	// flushed, before it commits, with the checkpoint about to be
	// committed; an error stops the run as a crash would.
	beforeCommit func(cp *avro.SyncCheckpoint) error
}

// Poller runs one sync: one API profile and account.
type Poller struct {
	opts    Options
	profile *dspapi.Profile
}

// New returns a Poller.
func New(opts Options) (*Poller, error) {
	if opts.Client == nil {
		return nil, errors.New("apipoll: no API client")
	}
	if opts.Account == "" {
		return nil, errors.New("apipoll: no account")
	}
	if opts.Start.IsZero() {
		return nil, errors.New("apipoll: no start day")
	}
	if !opts.Until.IsZero() && opts.Until.Before(opts.Start) {
		return nil, fmt.Errorf("apipoll: until %s is before start %s", opts.Until.Format(time.DateOnly), opts.Start.Format(time.DateOnly))
	}
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
	if opts.Topics.Usage == "" {
		opts.Topics.Usage = topology.TopicUsage
	}
	if opts.Topics.DeadLetter == "" {
		opts.Topics.DeadLetter = topology.TopicDeadLetter
	}
	if opts.Topics.Checkpoint == "" {
		opts.Topics.Checkpoint = topology.TopicSyncCheckpoint
	}
	if opts.ChunkItems <= 0 {
		opts.ChunkItems = 5000
	}
	if opts.PageRetries <= 0 {
		opts.PageRetries = 5
	}
	if opts.TransactionTimeout <= 0 {
		opts.TransactionTimeout = 60 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Start = dspapi.Day(opts.Start)
	if !opts.Until.IsZero() {
		opts.Until = dspapi.Day(opts.Until)
	}
	return &Poller{opts: opts, profile: opts.Client.Profile()}, nil
}

// SyncKey is the checkpoint's Kafka key of a sync: profile, '/', account.
func SyncKey(profile, account string) string { return profile + "/" + account }

// transactionalID is derived from the sync, so that a poller of the same
// sync that crashed or still runs is fenced.
func (p *Poller) transactionalID() string {
	sum := sha256.Sum256([]byte(p.opts.App + "\x00" + p.profile.Name + "\x00" + p.opts.Account))
	return fmt.Sprintf("%s-apipoll-%s", p.opts.App, hex.EncodeToString(sum[:16]))
}

// initial is the checkpoint of a sync that has not started.
func (p *Poller) initial() avro.SyncCheckpoint {
	return avro.SyncCheckpoint{SyncKey: SyncKey(p.profile.Name, p.opts.Account), Profile: p.profile.Name,
		Account: p.opts.Account, SyncedThrough: p.opts.Start.AddDate(0, 0, -1)}
}

// state turns a checkpoint into the planner's input.
func (p *Poller) state(cp *avro.SyncCheckpoint) dspapi.SyncState {
	st := dspapi.SyncState{Start: p.opts.Start, Until: p.opts.Until, SyncedThrough: cp.SyncedThrough}
	if cp.Status != "" {
		w := windowOf(cp)
		st.Current, st.Complete = &w, cp.Status == avro.CheckpointComplete
	}
	if cp.RestatedAsOf != nil {
		st.RestatedAsOf = *cp.RestatedAsOf
	}
	return st
}

func windowOf(cp *avro.SyncCheckpoint) dspapi.Window {
	w := dspapi.Window{From: cp.WindowFrom, To: cp.WindowTo}
	if cp.WindowAsOf != nil {
		w.AsOf = *cp.WindowAsOf
	}
	return w
}

// Run polls the sync's planned windows exactly once; see the package
// documentation.
func (p *Poller) Run(ctx context.Context) (Summary, error) {
	sum := p.newSummary()
	tx, err := p.openTx(ctx)
	if err != nil {
		return sum, err
	}
	defer tx.close()
	err = p.run(ctx, tx.cp, tx, &sum)
	sum.SyncedThrough = tx.cp.SyncedThrough
	return sum, err
}

// DryRun polls and validates the planned windows from the start day,
// without Kafka and without a checkpoint, and reports the same summary.
func (p *Poller) DryRun(ctx context.Context) (Summary, error) {
	sum := p.newSummary()
	d := &discard{cp: p.initial()}
	err := p.run(ctx, d.cp, d, &sum)
	sum.SyncedThrough = d.cp.SyncedThrough
	return sum, err
}

func (p *Poller) run(ctx context.Context, cp avro.SyncCheckpoint, s sink, sum *Summary) error {
	now := p.opts.Now()
	horizon := p.opts.Schedule.Horizon(now, p.opts.Until)
	plan := p.opts.Schedule.Plan(p.state(&cp), now)
	sum.Windows = len(plan)
	for i, w := range plan {
		var resume *avro.SyncCheckpoint
		if cp.Status == avro.CheckpointInProgress && sameWindow(windowOf(&cp), w) {
			resume = &cp
			sum.Resumed = fmt.Sprintf("%s after item %d", w, cp.ItemsCommitted)
		}
		wj := &windowJob{p: p, w: w, s: s, sum: sum, last: i == len(plan)-1, horizon: horizon}
		if err := wj.poll(ctx, resume); err != nil {
			return fmt.Errorf("apipoll: %s: window %s: %w", SyncKey(p.profile.Name, p.opts.Account), w, err)
		}
		cp = s.committed()
		sum.WindowsDone++
	}
	return nil
}

func sameWindow(a, b dspapi.Window) bool {
	return a.From.Equal(b.From) && a.To.Equal(b.To) && a.AsOf.Equal(b.AsOf)
}
