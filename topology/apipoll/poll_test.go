package apipoll

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/dspapi/dspapitest"
	"github.com/ledgerline/ledgerline/internal/kafkatest"
)

func baseSpec(t *testing.T, seeds []string, srv *dspapitest.Server, shape string) syncSpec {
	return syncSpec{Brokers: seeds, BaseURL: srv.URL, Shape: shape, Account: "acct-" + strconv.FormatInt(time.Now().UnixNano()%1e6, 10),
		App: "app-" + strconv.FormatInt(time.Now().UnixNano(), 36), PageSize: 4, WindowDays: 3,
		From: day("2026-03-01"), Until: day("2026-03-08")}
}

func readCP(t *testing.T, spec syncSpec, p *Poller) avro.SyncCheckpoint {
	t.Helper()
	cp, found, err := readCheckpoint(context.Background(), []kgo.Opt{kgo.SeedBrokers(spec.Brokers...)}, spec.Topics.Checkpoint,
		p.opts.Codecs, SyncKey(spec.Shape, spec.Account))
	if err != nil || !found {
		t.Fatalf("checkpoint: %v, found %v", err, found)
	}
	return cp
}

// (a) A full sync counts exactly the API's items, and (c) a second run of
// the completed sync produces nothing.
func TestFullSyncCountsEveryItemAndRerunProducesNothing(t *testing.T) {
	for _, kind := range []string{"kfake", "kafka"} {
		for _, shape := range []string{dspapitest.ShapeCursorJSON, dspapitest.ShapeLinkHeader} {
			t.Run(kind+"/"+shape, func(t *testing.T) {
				seeds := kafkatest.Cluster(t, kind)
				srv := newServer(t, dspapitest.Options{Shape: shape, ItemsPerDay: 9, MalformedEvery: 4})
				spec := baseSpec(t, seeds, srv, shape)
				spec.Topics = newTopics(t, seeds, "full")
				p, sum := spec.run(t)
				items, bad := srv.Count(spec.From, spec.Until)
				if sum.Items != int64(items) || sum.Accepted != int64(items-bad) || sum.Rejected != int64(bad) ||
					sum.Windows != 3 || sum.WindowsDone != 3 || !sum.SyncedThrough.Equal(spec.Until) {
					t.Fatalf("summary %+v; the API served %d items, %d bad", sum, items, bad)
				}
				got := readDownstream(t, seeds, spec.Topics)
				got.checkOnce(t)
				if len(got.events) != items-bad || len(got.dead) != bad {
					t.Fatalf("%d events + %d dead letters downstream, want %d + %d", len(got.events), len(got.dead), items-bad, bad)
				}
				cp := readCP(t, spec, p)
				if cp.Status != avro.CheckpointComplete || !cp.SyncedThrough.Equal(spec.Until) || cp.Cursor != nil {
					t.Fatalf("checkpoint %+v", cp)
				}
				brokerOpts := []kgo.Opt{kgo.SeedBrokers(seeds...)}
				before := kafkatest.DataRecords(t, brokerOpts, spec.Topics.Usage) + kafkatest.DataRecords(t, brokerOpts, spec.Topics.DeadLetter)
				requests := srv.Requests()
				again, err := p.Run(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				after := kafkatest.DataRecords(t, brokerOpts, spec.Topics.Usage) + kafkatest.DataRecords(t, brokerOpts, spec.Topics.DeadLetter)
				if again.Windows != 0 || again.Items != 0 || after != before || srv.Requests() != requests {
					t.Fatalf("re-run of a complete sync: %+v, records %d -> %d, requests %d -> %d", again, before, after, requests, srv.Requests())
				}
			})
		}
	}
}

// (b) A poller stopped mid-window, then run again, leaves exactly what one
// clean run leaves: by cancellation, and with the cursors expired in
// between so the window starts over and passes over what is in (on the
// real broker, TestKilledMidWindowThenRerunEqualsCleanRun covers that).
func TestCancelledMidWindowThenRerunEqualsCleanRun(t *testing.T) {
	for _, kind := range []string{"kfake", "kafka"} {
		t.Run(kind, func(t *testing.T) {
			seeds := kafkatest.Cluster(t, kind)
			srv := newServer(t, dspapitest.Options{ItemsPerDay: 11, MalformedEvery: 5})
			base := baseSpec(t, seeds, srv, dspapitest.ShapeCursorJSON)
			want := cleanRun(t, base)
			type variant struct {
				expire bool // the cursors expire between the runs
				chunk  int  // items per transaction: 3 commits inside pages
			}
			variants := []variant{{false, 0}, {true, 0}, {false, 3}, {true, 3}}
			if kind == "kafka" {
				variants = variants[:1]
			}
			for _, v := range variants {
				expire := v.expire
				t.Run(fmt.Sprintf("expire=%v/chunk=%d", v.expire, v.chunk), func(t *testing.T) {
					spec := base
					spec.ChunkItems = v.chunk
					spec.App += fmt.Sprintf("-%v-%d", v.expire, v.chunk)
					spec.Topics = newTopics(t, seeds, "cancel")
					ctx, cancel := context.WithCancel(context.Background())
					commits := 0
					p, err := spec.poller(t, func(cp *avro.SyncCheckpoint) error {
						// Stop inside the second window, with its third
						// page flushed but not committed.
						if commits++; commits == 14 {
							cancel()
							return ctx.Err()
						}
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					if _, err := p.Run(ctx); !errors.Is(err, context.Canceled) {
						t.Fatalf("first run: %v, want it cancelled", err)
					}
					cp := readCP(t, spec, p)
					if cp.Status != avro.CheckpointInProgress || cp.ItemsCommitted == 0 || cp.Cursor == nil {
						t.Fatalf("checkpoint after the stop %+v: want a window in progress", cp)
					}
					if expire {
						srv.ExpireCursors()
					}
					p.opts.beforeCommit = nil
					sum, err := p.Run(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					if sum.Resumed == "" || (expire && sum.Restarts != 1) {
						t.Fatalf("second run %+v: want a resumed window (restarted: %v)", sum, expire)
					}
					readDownstream(t, seeds, spec.Topics).checkSame(t, want)
				})
			}
		})
	}
}

// (b) The same with the poller's process killed by SIGKILL before a
// commit: its open transaction is left behind for the next run to fence.
func TestKilledMidWindowThenRerunEqualsCleanRun(t *testing.T) {
	seeds := kafkatest.Brokers(t)
	srv := newServer(t, dspapitest.Options{Shape: dspapitest.ShapeLinkHeader, ItemsPerDay: 10, MalformedEvery: 6})
	spec := baseSpec(t, seeds, srv, dspapitest.ShapeLinkHeader)
	want := cleanRun(t, spec)
	spec.Topics = newTopics(t, seeds, "kill")
	// Window 1 takes 8 pages: die with page 3 of window 2 flushed but
	// not committed.
	out, err := kafkatest.ChildCommand(t, crashEnv, crashSpec{Sync: spec, CrashAt: 11}).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != -1 || !strings.Contains(ee.String(), "killed") {
		t.Fatalf("child did not die by SIGKILL as planned: %v\n%s", err, out)
	}
	adm := kafkatest.NewAdmin(t)
	if !kafkatest.OpenTransaction(context.Background(), adm, spec.Topics.Usage) {
		t.Fatal("the killed poller left no open transaction behind")
	}
	srv.ExpireCursors()
	_, sum := spec.run(t)
	if sum.Resumed == "" {
		t.Fatalf("re-run did not resume: %+v", sum)
	}
	readDownstream(t, seeds, spec.Topics).checkSame(t, want)
}

// (d) An API failing with bursts of 429 and 500 and bodies that break off
// still converges to the clean run's records.
func TestFlakyAPIConverges(t *testing.T) {
	for _, kind := range []string{"kfake", "kafka"} {
		t.Run(kind, func(t *testing.T) {
			seeds := kafkatest.Cluster(t, kind)
			clean := newServer(t, dspapitest.Options{ItemsPerDay: 10, MalformedEvery: 7})
			spec := baseSpec(t, seeds, clean, dspapitest.ShapeCursorJSON)
			want := cleanRun(t, spec)
			flaky := newServer(t, dspapitest.Options{ItemsPerDay: 10, MalformedEvery: 7,
				TooManyEvery: 3, ServerErrorEvery: 5, ServerErrorBurst: 3, BreakBodyEvery: 4})
			spec.BaseURL = flaky.URL
			spec.Topics = newTopics(t, seeds, "flaky")
			_, sum := spec.run(t)
			st := flaky.Statuses()
			if st[429] == 0 || st[500] == 0 || sum.PageRetries == 0 {
				t.Fatalf("statuses %v, page retries %d: the faults did not happen", st, sum.PageRetries)
			}
			readDownstream(t, seeds, spec.Topics).checkSame(t, want)
		})
	}
}

func TestDryRunCountsWithoutKafka(t *testing.T) {
	srv := newServer(t, dspapitest.Options{ItemsPerDay: 5, MalformedEvery: 2})
	spec := baseSpec(t, nil, srv, dspapitest.ShapeCursorJSON)
	p, err := spec.poller(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.opts.ClientOpts = nil
	sum, err := p.DryRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	items, bad := srv.Count(spec.From, spec.Until)
	if sum.Items != int64(items) || sum.Rejected != int64(bad) || sum.RejectedByReason[avro.ReasonMalformedRow] == 0 {
		t.Fatalf("dry run %+v, want %d items, %d bad", sum, items, bad)
	}
	if _, err := p.Run(context.Background()); err == nil {
		t.Fatal("Run without brokers succeeded")
	}
}

// A restatement pass polls the last days again the next day, under new
// ids and marked restated, and only once per horizon.
func TestRestatementPassOncePerHorizon(t *testing.T) {
	seeds := kafkatest.Cluster(t, "kfake")
	srv := newServer(t, dspapitest.Options{ItemsPerDay: 4})
	spec := baseSpec(t, seeds, srv, dspapitest.ShapeCursorJSON)
	spec.Until = time.Time{}
	spec.From = day("2026-03-15")
	spec.Topics = newTopics(t, seeds, "restate")
	p, err := spec.poller(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.opts.Schedule.LookbackDays = 2
	first, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if first.Items != 5*4 || !first.SyncedThrough.Equal(day("2026-03-19")) {
		t.Fatalf("first run %+v", first)
	}
	same, err := p.Run(context.Background())
	if err != nil || same.Items != 0 {
		t.Fatalf("same day again: %+v, %v", same, err)
	}
	p.opts.Now = func() time.Time { return testNow.AddDate(0, 0, 1) }
	next, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Restated: 03-18 and 03-19; new: 03-20.
	if next.Items != 3*4 || next.Windows != 2 {
		t.Fatalf("next day %+v: want 2 days restated and 1 new", next)
	}
	again, err := p.Run(context.Background())
	if err != nil || again.Items != 0 {
		t.Fatalf("next day again: %+v, %v", again, err)
	}
	got := readDownstream(t, seeds, spec.Topics)
	got.checkOnce(t)
	if len(got.events) != 8*4 || got.restated != 2*4 {
		t.Fatalf("%d events (%d restated), want 32 (8 restated)", len(got.events), got.restated)
	}
}

// A window whose API items changed under a resumed position stops rather
// than loses or doubles items: fewer items than were committed, or
// another item at the committed position.
func TestResumeRefusesAChangedWindow(t *testing.T) {
	for _, tc := range []struct {
		name        string
		itemsPerDay int
		want        string
	}{{"fewer items", 1, "items short"}, {"other items", 7, "the checkpoint says"}} {
		t.Run(tc.name, func(t *testing.T) {
			seeds := kafkatest.Cluster(t, "kfake")
			srv := newServer(t, dspapitest.Options{ItemsPerDay: 6})
			spec := baseSpec(t, seeds, srv, dspapitest.ShapeCursorJSON)
			spec.Topics = newTopics(t, seeds, "changed")
			commits := 0
			p, err := spec.poller(t, func(*avro.SyncCheckpoint) error {
				if commits++; commits == 3 {
					return errors.New("stop")
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.Run(context.Background()); err == nil {
				t.Fatal("the stop did not stop the run")
			}
			// The API now serves the window differently, and the
			// committed cursor has expired.
			changed := newServer(t, dspapitest.Options{ItemsPerDay: tc.itemsPerDay})
			changed.ExpireCursors()
			spec.BaseURL = changed.URL
			q, err := spec.poller(t, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := q.Run(context.Background()); !errors.Is(err, ErrWindowChanged) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("resume against changed items: %v, want ErrWindowChanged (%s)", err, tc.want)
			}
		})
	}
}
