package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/internal/kafkatest"
)

// inboxEnv is an inbox on an in-process Kafka with the topics created.
type inboxEnv struct {
	seeds []string
	dir   string
	box   *Inbox
	files []Summary // every summary OnFile was told, in order
}

func newInboxEnv(t *testing.T) *inboxEnv {
	t.Helper()
	seeds := kafkatest.Cluster(t, "kfake")
	ensureTopics(t, seeds)
	in, err := New(Options{ClientOpts: []kgo.Opt{kgo.SeedBrokers(seeds...)}, ChunkRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	e := &inboxEnv{seeds: seeds, dir: t.TempDir()}
	// A settle time of a nanosecond: a file is taken on the first scan
	// that finds it unchanged since the previous one.
	e.box = &Inbox{Dir: e.dir, Settle: time.Nanosecond, Ingester: in,
		OnFile: func(s Summary, _ error) { e.files = append(e.files, s) }}
	return e
}

// scan runs one scan and returns how many files it processed.
func (e *inboxEnv) scan(t *testing.T) int {
	t.Helper()
	n, err := e.box.Scan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// settle scans twice: files seen for the first time are processed.
func (e *inboxEnv) settle(t *testing.T) int {
	t.Helper()
	return e.scan(t) + e.scan(t)
}

// in lists the base names of the files in sub ("" for the inbox itself),
// without the timestamp prefix of moved files.
func (e *inboxEnv) in(t *testing.T, sub string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(e.dir, sub))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range entries {
		if de.IsDir() {
			continue
		}
		name := de.Name()
		if sub != "" {
			_, name, _ = strings.Cut(name, "_")
		}
		names = append(names, name)
	}
	return names
}

func TestInboxMovesAGoodFileToDoneOnce(t *testing.T) {
	e := newInboxEnv(t)
	path, rows := writeReport(t, e.dir, "statement.csv", 150, 1)
	sha, _, err := HashFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := e.scan(t); n != 0 {
		t.Fatalf("a file seen for the first time was processed (%d)", n)
	}
	if n := e.scan(t); n != 1 {
		t.Fatalf("%d files processed, want 1", n)
	}
	if got := e.in(t, DoneDir); len(got) != 1 || got[0] != "statement.csv" {
		t.Fatalf("done/ holds %v", got)
	}
	if got := e.in(t, ""); len(got) != 0 {
		t.Fatalf("the inbox still holds %v", got)
	}
	if n := e.settle(t); n != 0 {
		t.Fatalf("%d files processed again", n)
	}
	if len(e.files) != 1 || e.files[0].Produced != int64(rows) {
		t.Fatalf("summaries %+v", e.files)
	}
	checkExactlyOnce(t, linesOf(t, e.seeds, sha), rows)
}

func TestInboxWaitsForAFileStillBeingWritten(t *testing.T) {
	e := newInboxEnv(t)
	src, rows := writeReport(t, t.TempDir(), "full.csv", 120, 2)
	full, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(e.dir, "upload.csv")
	half := len(full) / 2
	if err := os.WriteFile(path, full[:half], 0o644); err != nil {
		t.Fatal(err)
	}
	e.scan(t) // seen: half the file
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(full[half:]); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if n := e.scan(t); n != 0 {
		t.Fatal("a file whose size changed since the last scan was processed")
	}
	if n := e.scan(t); n != 1 {
		t.Fatalf("%d files processed once the size settled, want 1", n)
	}
	if len(e.files) != 1 || e.files[0].Rows != int64(rows) {
		t.Fatalf("summaries %+v, want the whole file's %d rows", e.files, rows)
	}
}

func TestInboxQuarantinesUnreadableFilesAndGoesOn(t *testing.T) {
	e := newInboxEnv(t)
	// A truncated gzip stream of a good report.
	src, _ := writeReport(t, t.TempDir(), "r.csv", 2000, 3)
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(e.dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a-truncated.csv.gz", gz.Bytes()[:gz.Len()/2])
	garbage := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(4, 5))
	for i := range garbage {
		garbage[i] = byte(rng.IntN(256))
	}
	write("b-garbage.bin", garbage)
	write("c-unknown.csv", []byte("Colour,Shape,Weight\nred,round,3\nblue,square,4\n"))
	writeReport(t, e.dir, "d-good.csv", 50, 6)

	if n := e.settle(t); n != 4 {
		t.Fatalf("%d files processed, want 4", n)
	}
	quarantined := e.in(t, QuarantineDir)
	for _, name := range []string{"a-truncated.csv.gz", "b-garbage.bin", "c-unknown.csv"} {
		if !contains(quarantined, name) {
			t.Errorf("%s is not in quarantine/: %v", name, quarantined)
		}
		if !contains(quarantined, name+".reason.txt") {
			t.Errorf("%s has no reason file: %v", name, quarantined)
		}
	}
	if done := e.in(t, DoneDir); len(done) != 1 || done[0] != "d-good.csv" {
		t.Errorf("done/ holds %v, want the good file processed after the bad ones", done)
	}
	reasons, err := filepath.Glob(filepath.Join(e.dir, QuarantineDir, "*.reason.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reasons {
		b, err := os.ReadFile(r)
		if err != nil || len(bytes.TrimSpace(b)) == 0 {
			t.Errorf("%s: empty reason (%v)", r, err)
		}
	}
}

func TestInboxIgnoresHiddenPartialAndLinkedFiles(t *testing.T) {
	e := newInboxEnv(t)
	outside, _ := writeReport(t, t.TempDir(), "elsewhere.csv", 200, 7)
	writeReport(t, e.dir, ".hidden.csv", 200, 8)
	writeReport(t, e.dir, "upload.csv.part", 200, 9)
	writeReport(t, e.dir, "upload.csv.filepart", 200, 10)
	if err := os.Symlink(outside, filepath.Join(e.dir, "link.csv")); err != nil {
		t.Skipf("symbolic links not available: %v", err)
	}
	if err := os.Mkdir(filepath.Join(e.dir, "folder.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	if n := e.settle(t) + e.scan(t); n != 0 {
		t.Fatalf("%d files processed, want none", n)
	}
	if got := e.in(t, DoneDir); len(got) != 0 {
		t.Fatalf("done/ holds %v", got)
	}
	if _, err := os.Lstat(filepath.Join(e.dir, "link.csv")); err != nil {
		t.Fatalf("the link was moved: %v", err)
	}
	for _, name := range []string{"", ".", "..", "../x.csv", "a/b.csv", `a\b.csv`, ".x.csv", "x.tmp", "x.PART", DoneDir, QuarantineDir} {
		if candidate(name) {
			t.Errorf("candidate(%q) = true", name)
		}
	}
	if !candidate("statement.csv") {
		t.Error(`candidate("statement.csv") = false`)
	}
}

func TestInboxNeverFollowsALinkSwappedInAfterTheScan(t *testing.T) {
	e := newInboxEnv(t)
	outside, _ := writeReport(t, t.TempDir(), "secret.csv", 200, 11)
	path := filepath.Join(e.dir, "swap.csv")
	writeReport(t, e.dir, "swap.csv", 200, 12)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, path); err != nil {
		t.Skipf("symbolic links not available: %v", err)
	}
	// What the scan decided on a regular file, processing meets as a link.
	if err := e.box.prepare(); err != nil {
		t.Fatal(err)
	}
	e.box.process(context.Background(), "swap.csv")
	if len(e.files) != 0 {
		t.Fatalf("the link was ingested: %+v", e.files)
	}
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("the link was moved: %v", err)
	}
}

func TestInboxSameBytesTwiceProduceNoDuplicates(t *testing.T) {
	e := newInboxEnv(t)
	first, rows := writeReport(t, e.dir, "monday.csv", 200, 13)
	sha, _, err := HashFile(first)
	if err != nil {
		t.Fatal(err)
	}
	if n := e.settle(t); n != 1 {
		t.Fatalf("%d files processed, want 1", n)
	}
	writeReport(t, e.dir, "monday-again.csv", 200, 13) // the same bytes
	if n := e.settle(t); n != 1 {
		t.Fatalf("%d files processed, want 1", n)
	}
	if len(e.files) != 2 || e.files[0].Skipped || !e.files[1].Skipped || e.files[1].Produced != 0 {
		t.Fatalf("summaries %+v: the second drop must be skipped", e.files)
	}
	if done := e.in(t, DoneDir); len(done) != 2 {
		t.Fatalf("done/ holds %v", done)
	}
	checkExactlyOnce(t, linesOf(t, e.seeds, sha), rows)
}

// TestInboxPausesWhileKafkaFails: after BreakAfter files in a row fail
// downstream, the inbox stops trying until the cooldown ends, and the
// files stay in the inbox for later.
func TestInboxPausesWhileKafkaFails(t *testing.T) {
	in, err := New(Options{}) // no brokers: every ingestion fails downstream
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	attempts := 0
	box := &Inbox{Dir: dir, Settle: time.Nanosecond, Ingester: in, BreakAfter: 2, Cooldown: time.Hour,
		OnFile: func(Summary, error) { attempts++ }}
	for i := range 4 {
		writeReport(t, dir, fmt.Sprintf("r%d.csv", i), 200, int64(i))
	}
	for range 2 {
		if _, err := box.Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// Two reports failed and opened the breaker: the other two were not
	// attempted.
	if attempts != 2 {
		t.Fatalf("%d ingestion attempts, want 2 before the pause", attempts)
	}
	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	reports := 0
	for _, de := range left {
		if strings.HasSuffix(de.Name(), ".csv") {
			reports++
		}
	}
	if reports != 4 {
		t.Fatalf("%d reports left in the inbox, want all 4", reports)
	}
}
