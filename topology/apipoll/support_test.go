package apipoll

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/dspapi"
	"github.com/ledgerline/ledgerline/connectors/dspapi/dspapitest"
	"github.com/ledgerline/ledgerline/internal/kafkatest"
	"github.com/ledgerline/ledgerline/internal/topicread"
	"github.com/ledgerline/ledgerline/topology"
)

// crashEnv makes the test binary, run as a child, poll a sync and kill
// itself with SIGKILL right before its Nth transaction commit.
const crashEnv = "LEDGERLINE_APIPOLL_CRASH"

func TestMain(m *testing.M) { kafkatest.Main(m, crashEnv, crashChild) }

// testNow is the clock of every test: horizons do not move while a test
// runs.
var testNow = time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// syncSpec is one sync against a fake API, as the parent and a crashing
// child both build it.
type syncSpec struct {
	Brokers    []string
	BaseURL    string
	Shape      string
	Account    string
	Topics     Topics
	App        string
	PageSize   int
	WindowDays int
	From       time.Time
	Until      time.Time
	// ChunkItems bounds a transaction's items (default 1000).
	ChunkItems int
}

func (s syncSpec) poller(tb testing.TB, hook func(*avro.SyncCheckpoint) error) (*Poller, error) {
	p, err := dspapi.LoadProfile(s.Shape)
	if err != nil {
		return nil, err
	}
	q := *p
	q.PageSize = s.PageSize
	c, err := dspapi.NewClient(&q, dspapi.ClientOptions{BaseURL: s.BaseURL, Rate: dspapi.Rate{PerSecond: 10000, Burst: 100},
		BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond, MaxRetryAfter: 5 * time.Millisecond, MaxAttempts: 8})
	if err != nil {
		return nil, err
	}
	chunk := s.ChunkItems
	if chunk == 0 {
		chunk = 1000
	}
	poller, err := New(Options{Client: c, Account: s.Account, Start: s.From, Until: s.Until,
		Schedule: dspapi.Schedule{WindowDays: s.WindowDays}, ClientOpts: []kgo.Opt{kgo.SeedBrokers(s.Brokers...)},
		App: s.App, Topics: s.Topics, ChunkItems: chunk, Now: func() time.Time { return testNow }})
	if err != nil {
		return nil, err
	}
	poller.opts.beforeCommit = hook
	return poller, nil
}

// crashSpec is the sync a crashing child polls, and before which commit
// it dies.
type crashSpec struct {
	Sync    syncSpec
	CrashAt int
}

// crashChild polls the spec's sync and dies by SIGKILL before commit
// CrashAt.
func crashChild(c crashSpec) int {
	spec, n := c.Sync, c.CrashAt
	commits := 0
	p, err := spec.poller(nil, func(*avro.SyncCheckpoint) error {
		if commits++; commits == n {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			time.Sleep(time.Minute)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := p.Run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// newTopics creates a usage, dead-letter and checkpoint topic of its own
// for a sync, configured as the topology declares them.
func newTopics(t *testing.T, seeds []string, tag string) Topics {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	adm := kadm.NewClient(cl)
	tp := topology.New(topology.Options{UsagePartitions: 3})
	out := Topics{}
	for _, x := range []struct {
		name string
		dst  *string
	}{{topology.TopicUsage, &out.Usage}, {topology.TopicDeadLetter, &out.DeadLetter}, {topology.TopicSyncCheckpoint, &out.Checkpoint}} {
		decl, _ := tp.Topic(x.name)
		*x.dst = kafkatest.TopicName(t, x.name+"-"+tag)
		kafkatest.CreateTopic(t, adm, *x.dst, decl.Partitions, decl.Configs())
	}
	return out
}

// downstream is what a read_committed consumer sees of a sync's topics.
type downstream struct {
	events  map[string]int // event id -> records
	dead    map[string]int // dead letter id -> records
	units   int64
	revenue map[string]decimal.Decimal
	// restated counts events with the restated warning.
	restated int
}

func readDownstream(t *testing.T, seeds []string, topics Topics) downstream {
	t.Helper()
	codecs, err := avro.NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d := downstream{events: map[string]int{}, dead: map[string]int{}, revenue: map[string]decimal.Decimal{}}
	err = topicread.Settled(ctx, []kgo.Opt{kgo.SeedBrokers(seeds...)}, []string{topics.Usage, topics.DeadLetter}, func(r *kgo.Record) error {
		if r.Topic == topics.Usage {
			ev, err := codecs.Usage.Decode(r.Value)
			if err != nil {
				return err
			}
			if ev.EventID != ev.Source.FileSHA256+":"+strconv.FormatInt(ev.Source.Line, 10) {
				return fmt.Errorf("event id %s for item %d", ev.EventID, ev.Source.Line)
			}
			d.events[ev.EventID]++
			d.units += ev.Units
			d.revenue[ev.Currency] = d.revenue[ev.Currency].Add(ev.Revenue)
			for _, w := range ev.Warnings {
				if w == WarnRestated {
					d.restated++
				}
			}
			return nil
		}
		dl, err := codecs.DeadLetter.Decode(r.Value)
		if err != nil {
			return err
		}
		d.dead[dl.DeadLetterID]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkOnce fails unless every record is there exactly once.
func (d downstream) checkOnce(t *testing.T) {
	t.Helper()
	for _, m := range []map[string]int{d.events, d.dead} {
		for id, n := range m {
			if n != 1 {
				t.Fatalf("%s is downstream %d times", id, n)
			}
		}
	}
}

// checkSame fails unless d and want hold the same ids and totals.
func (d downstream) checkSame(t *testing.T, want downstream) {
	t.Helper()
	d.checkOnce(t)
	if !sameKeys(d.events, want.events) || !sameKeys(d.dead, want.dead) {
		t.Fatalf("%d events and %d dead letters, want the %d and %d of a clean run (ids differ)",
			len(d.events), len(d.dead), len(want.events), len(want.dead))
	}
	if d.units != want.units || len(d.revenue) != len(want.revenue) {
		t.Fatalf("units %d revenue %v, want %d %v", d.units, d.revenue, want.units, want.revenue)
	}
	for c, v := range want.revenue {
		if !d.revenue[c].Equal(v) {
			t.Fatalf("revenue %s %s, want %s", c, d.revenue[c], v)
		}
	}
}

func sameKeys(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

// cleanRun polls spec's sync once, undisturbed, into topics of its own
// and returns what it left downstream.
func cleanRun(t *testing.T, spec syncSpec) downstream {
	t.Helper()
	spec.Topics = newTopics(t, spec.Brokers, "clean")
	spec.App = "clean-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	spec.run(t)
	return readDownstream(t, spec.Brokers, spec.Topics)
}

// run makes the spec's poller and runs it once to the end; an error fails
// the test.
func (s syncSpec) run(t *testing.T) (*Poller, Summary) {
	t.Helper()
	p, err := s.poller(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p, sum
}

func newServer(t *testing.T, opts dspapitest.Options) *dspapitest.Server {
	t.Helper()
	srv := dspapitest.New(opts)
	t.Cleanup(srv.Close)
	return srv
}
