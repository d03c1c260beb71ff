package ingest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/reportfile"
	"github.com/ledgerline/ledgerline/internal/kafkatest"
	"github.com/ledgerline/ledgerline/internal/topicread"
	"github.com/ledgerline/ledgerline/topology"
)

// crashEnv makes the test binary, run as a child, ingest a file and exit
// hard (no abort, no close) right before the Nth transaction commit.
const crashEnv = "LEDGERLINE_INGEST_CRASH"

func TestMain(m *testing.M) { kafkatest.Main(m, crashEnv, crashChild) }

// crashSpec is what a crashing child ingests, and before which commit it
// dies.
type crashSpec struct {
	Brokers []string
	File    string
	CrashAt int
}

// crashChild ingests the spec's file and dies before commit CrashAt.
func crashChild(spec crashSpec) int {
	in, err := New(Options{ClientOpts: []kgo.Opt{kgo.SeedBrokers(spec.Brokers...)}, ChunkRows: 50})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	commits := 0
	in.opts.beforeCommit = func(int64) error {
		if commits++; commits == spec.CrashAt {
			os.Exit(3) // a crash: the open transaction is left behind
		}
		return nil
	}
	if _, err := in.Ingest(context.Background(), spec.File); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// writeReport writes a generated report with some bad lines and returns
// its path and the number of data rows.
func writeReport(t *testing.T, dir, name string, rows int, seed int64) (string, int) {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := reportfile.GenerateReport(f, reportfile.GenerateOptions{Rows: rows, Seed: seed, BadFraction: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if st.BadRows == 0 {
		t.Fatal("generated report has no bad lines to reject")
	}
	return path, st.Rows
}

func TestDryRunCountsEveryRow(t *testing.T) {
	path, rows := writeReport(t, t.TempDir(), "r.csv", 500, 1)
	in, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := in.DryRun(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != int64(rows) || sum.Accepted+sum.Rejected != sum.Rows || sum.Rejected == 0 {
		t.Fatalf("summary %+v for %d rows", sum, rows)
	}
	var byReason int64
	for _, n := range sum.RejectedByReason {
		byReason += n
	}
	if byReason != sum.Rejected {
		t.Fatalf("rejected_by_reason sums to %d, rejected is %d", byReason, sum.Rejected)
	}
	// Only the generator's broken rows are bad.
	if sum.RejectedByReason["malformed_row"] != sum.Rejected {
		t.Fatalf("rejections %v: only broken rows may be rejected", sum.RejectedByReason)
	}
}

// freshTopology creates the topics under a unique prefix-free app on a
// broker that may already hold them (the real one is shared by tests):
// topics are shared, so counts below are per file hash.
func ensureTopics(t *testing.T, seeds []string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := topology.New(topology.Options{UsagePartitions: 3}).Ensure(ctx, kadm.NewClient(cl), 1); err != nil {
		t.Fatal(err)
	}
}

// linesOf reads usage and dead-letter read_committed, once the
// transactions in them have settled, and counts, per line of the file with
// hash sha, how many records carry it.
func linesOf(t *testing.T, seeds []string, sha string) map[int64]int {
	t.Helper()
	return countLines(t, topicread.Settled, seeds, sha)
}

// linesCommittedOf is linesOf up to the last stable offsets: it does not
// wait for a transaction a crashed producer left open.
func linesCommittedOf(t *testing.T, seeds []string, sha string) map[int64]int {
	t.Helper()
	return countLines(t, topicread.All, seeds, sha)
}

func countLines(t *testing.T, read func(context.Context, []kgo.Opt, []string, func(*kgo.Record) error) error, seeds []string, sha string) map[int64]int {
	t.Helper()
	codecs, err := avro.NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	seen := map[int64]int{}
	err = read(ctx, []kgo.Opt{kgo.SeedBrokers(seeds...)}, []string{topology.TopicUsage, topology.TopicDeadLetter}, func(r *kgo.Record) error {
		switch r.Topic {
		case topology.TopicUsage:
			ev, err := codecs.Usage.Decode(r.Value)
			if err != nil {
				return err
			}
			if ev.Source.FileSHA256 == sha {
				if ev.EventID != fmt.Sprintf("%s:%d", sha, ev.Source.Line) {
					return fmt.Errorf("event id %s for line %d", ev.EventID, ev.Source.Line)
				}
				seen[ev.Source.Line]++
			}
		case topology.TopicDeadLetter:
			dl, err := codecs.DeadLetter.Decode(r.Value)
			if err != nil {
				return err
			}
			if dl.FileSHA256 == sha {
				seen[dl.Line]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return seen
}

func checkExactlyOnce(t *testing.T, seen map[int64]int, rows int) {
	t.Helper()
	if len(seen) != rows {
		t.Fatalf("%d distinct lines downstream, want %d", len(seen), rows)
	}
	for line, n := range seen {
		if n != 1 {
			t.Fatalf("line %d is downstream %d times", line, n)
		}
	}
}

func TestIngestTwiceEvenRenamedYieldsEachLineOnce(t *testing.T) {
	for _, kind := range []string{"kfake", "kafka"} {
		t.Run(kind, func(t *testing.T) {
			seeds := kafkatest.Cluster(t, kind)
			ensureTopics(t, seeds)
			dir := t.TempDir()
			path, rows := writeReport(t, dir, "statement.csv", 420, time.Now().UnixNano())
			in, err := New(Options{ClientOpts: []kgo.Opt{kgo.SeedBrokers(seeds...)}, ChunkRows: 100})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			first, err := in.Ingest(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if first.Skipped || first.Rows != int64(rows) || first.Produced != int64(rows) {
				t.Fatalf("first ingestion: %+v", first)
			}
			renamed := filepath.Join(dir, "statement-copy.csv")
			if err := os.Rename(path, renamed); err != nil {
				t.Fatal(err)
			}
			second, err := in.Ingest(ctx, renamed)
			if err != nil {
				t.Fatal(err)
			}
			if !second.Skipped || second.Produced != 0 {
				t.Fatalf("second ingestion of the same bytes was not skipped: %+v", second)
			}
			checkExactlyOnce(t, linesOf(t, seeds, first.SHA256), rows)
		})
	}
}

func TestCrashMidFileThenRerunYieldsEachLineOnce(t *testing.T) {
	seeds := kafkatest.Brokers(t)
	ensureTopics(t, seeds)
	path, rows := writeReport(t, t.TempDir(), "crash.csv", 330, time.Now().UnixNano())
	// The child commits two chunks of 50 rows, then dies with the third
	// transaction open.
	out, err := kafkatest.ChildCommand(t, crashEnv, crashSpec{Brokers: seeds, File: path, CrashAt: 3}).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Fatalf("child did not crash as planned: %v\n%s", err, out)
	}
	sha, _, err := HashFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := linesCommittedOf(t, seeds, sha); len(got) != 100 {
		t.Fatalf("after the crash %d lines are visible, want the 100 of the two committed chunks", len(got))
	}
	in, err := New(Options{ClientOpts: []kgo.Opt{kgo.SeedBrokers(seeds...)}, ChunkRows: 50})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := in.Ingest(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if sum.ResumedAt == 0 || sum.Produced != int64(rows-100) {
		t.Fatalf("re-run did not resume after the committed chunks: %+v", sum)
	}
	checkExactlyOnce(t, linesOf(t, seeds, sha), rows)
}
