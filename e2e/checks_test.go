package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/shopspring/decimal"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/internal/kafkatest"
	"github.com/ledgerline/ledgerline/topology"
)

// ingest runs `ledgerline ingest --format json` on the files and returns
// one summary per file.
func (d *deployment) ingest(inputs ...*input) []summary {
	w := d.w
	w.t.Helper()
	args := []string{"ingest", "--app", d.app, "--topic-prefix", d.prefix, "--format", "json"}
	for _, in := range inputs {
		args = append(args, in.path)
	}
	start := time.Now()
	out := w.cli(args...)
	dec := json.NewDecoder(strings.NewReader(out))
	sums := make([]summary, 0, len(inputs))
	for dec.More() {
		var s summary
		if err := dec.Decode(&s); err != nil {
			w.t.Fatalf("ingest output: %v\n%s", err, out)
		}
		sums = append(sums, s)
	}
	if len(sums) != len(inputs) {
		w.t.Fatalf("ingest of %d files printed %d summaries:\n%s", len(inputs), len(sums), out)
	}
	var rows int64
	for _, s := range sums {
		rows += s.Rows
	}
	w.logf("inject", "ingested %d file(s) in %s: %d lines read", len(inputs), time.Since(start).Round(10*time.Millisecond), rows)
	return sums
}

// ingestFresh ingests files never ingested before and checks that each
// summary equals the file's dry run.
func (d *deployment) ingestFresh(inputs ...*input) {
	d.w.t.Helper()
	for n, s := range d.ingest(inputs...) {
		ref := inputs[n].ref
		if s.Rows != ref.Rows || s.Accepted != ref.Accepted || s.Rejected != ref.Rejected {
			d.w.t.Fatalf("%s: ingest says %d rows, %d accepted, %d rejected; the dry run %d, %d, %d",
				inputs[n].label, s.Rows, s.Accepted, s.Rejected, ref.Rows, ref.Accepted, ref.Rejected)
		}
	}
}

// ingestKilledMidFile starts `ledgerline ingest` on the file and lets it
// run in short slices (SIGCONT, a few milliseconds, SIGSTOP, like a starved
// node). Between slices, with the process frozen, it reads the ingest
// ledger; as soon as the ledger shows the file in progress (some chunks
// committed, the next one open) it kills the frozen process with SIGKILL.
// Because the process cannot move while the ledger is read, a fast
// ingestion cannot finish unseen between two looks. It returns the
// ledger's last committed line.
func (d *deployment) ingestKilledMidFile(in *input) int64 {
	w := d.w
	w.t.Helper()
	ctx := w.t.Context()
	ends, err := w.adm.ListEndOffsets(ctx, d.topic(topology.TopicIngestLedger))
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		w.t.Fatalf("ledger end offsets: %v", err)
	}
	tailer := kafkatest.NewClient(w.t, kgo.ConsumePartitions(ends.KOffsets()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))

	cmd := exec.Command(w.bin, "ingest", "--app", d.app, "--topic-prefix", d.prefix, "--format", "json", in.path)
	cmd.Env = append(os.Environ(), kafkatest.EnvBrokers+"="+w.brokers)
	logPath := filepath.Join(w.dir, "logs", "ingest-killed.log")
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		w.t.Fatal(err)
	}
	f, err := os.Create(logPath)
	if err != nil {
		w.t.Fatal(err)
	}
	defer f.Close()
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	w.t.Cleanup(func() { _ = cmd.Process.Kill() })
	const slice, look = 5 * time.Millisecond, 100 * time.Millisecond
	w.logf("inject", "ingesting %s (%d lines) in slices of %v (SIGCONT/SIGSTOP), reading the ledger for %v between slices, pid %d",
		in.label, in.ref.Rows, slice, look, cmd.Process.Pid)
	deadline := time.Now().Add(commandTimeout)
	var committed int64 = -1
	slices := 0
	for ; committed < 0; slices++ {
		select {
		case err := <-exited:
			w.t.Fatalf("the ingestion of %s ended (%v) after %d slices before the ledger showed it in progress: nothing to kill", in.label, err, slices)
		default:
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("the ledger never showed %s in progress (%d slices)", in.label, slices)
		}
		_ = cmd.Process.Signal(syscall.SIGCONT)
		time.Sleep(slice)
		_ = cmd.Process.Signal(syscall.SIGSTOP)
		// The process is frozen now; a commit it sent before is decided
		// by the broker alone and shows in the ledger while we look.
		pctx, cancel := context.WithTimeout(ctx, look)
		fs := tailer.PollFetches(pctx)
		cancel()
		fs.EachRecord(func(r *kgo.Record) {
			if string(r.Key) != in.sha || r.Value == nil {
				return
			}
			e, err := w.codecs.Ledger.Decode(r.Value)
			if err != nil {
				return
			}
			if e.Status == avro.LedgerComplete {
				w.t.Fatalf("the ledger shows %s complete before it could be killed", in.label)
			}
			if e.LinesCommitted > 0 && committed < 0 {
				committed = e.LinesCommitted
			}
		})
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		w.t.Fatalf("kill ingest: %v", err)
	}
	<-exited
	entry, ok := d.ledger(shaSet{in.sha: true})[in.sha]
	if !ok || entry.Status == avro.LedgerComplete {
		w.t.Fatalf("after the kill the ledger entry of %s is %+v, want in progress", in.label, entry)
	}
	w.logf("inject", "SIGKILL ingest of %s after %d slices with the ledger at line %d of %d (%d accepted, %d rejected committed); its open transaction dies with it",
		in.label, slices, entry.LinesCommitted, in.ref.Rows, entry.Accepted, entry.Rejected)
	return entry.LinesCommitted
}

// checkExactlyOnce counts, for every input file, its usage events and
// dead letters per line, its ledger entry and its lake totals, and
// compares them with the file's dry run. It returns the lake totals by
// file SHA-256.
func (d *deployment) checkExactlyOnce(inputs []*input) map[string]lakeFile {
	w := d.w
	w.t.Helper()
	set := shas(inputs)
	ledger := d.ledger(set)
	usage := d.usageLines(set)
	dead := d.deadLetters(set)
	rep := d.reconcile()
	inLake := map[string]lakeFile{}
	for _, f := range rep.Files {
		if set[f.FileSHA256] {
			inLake[f.FileSHA256] = f
		}
	}
	bySHA := map[string]*input{}
	for _, in := range inputs {
		bySHA[in.sha] = in
	}
	others, declared, bad := 0, 0, 0
	for _, df := range rep.Differences {
		in, ours := bySHA[df.FileSHA256]
		if !ours {
			others++
			continue
		}
		if df.Against == "declared" && (in.ref.Rejected > 0 || !in.ref.Reconciliation.Matched) {
			// The file's own totals (a trailer or summary) disagree with
			// its accepted lines: it has rejected lines, or its dry run
			// finds the same disagreement. A finding about the file, not
			// about the pipeline.
			declared++
			measure := strings.TrimSpace(df.Measure + " " + df.Currency)
			w.logf("count", "%s: the file declares %s %s, its accepted lines in the lake give %s (%d rejected lines, dry-run reconciliation matched: %v)",
				in.label, measure, df.Expected, df.Lake, in.ref.Rejected, in.ref.Reconciliation.Matched)
			continue
		}
		bad++
		w.t.Errorf("lake reconcile: %s (%s): %s %s %s: expected %s, lake %s",
			df.FileName, df.FileSHA256[:12], df.Against, df.Measure, df.Currency, df.Expected, df.Lake)
	}
	w.logf("count", "%-28s %6s %6s | %6s %5s | %6s %6s %-8s | %6s %6s %4s  %s",
		"file", "accept", "reject", "usage", "dead", "ledger", "ledger", "status", "lake", "units", "dup", "revenue (reference = ledger = lake)")
	var sumRef, sumLedger, sumLake, sumDead, sumRejected int64
	for _, in := range inputs {
		ref := in.ref
		e, ok := ledger[in.sha]
		if !ok {
			w.t.Errorf("%s: no ingest ledger entry", in.label)
		}
		if e.Status != avro.LedgerComplete || e.Accepted != ref.Accepted || e.Rejected != ref.Rejected ||
			e.AcceptedUnits != ref.Units || !sameRevenue(ledgerRevenue(e), ref.Revenue) {
			w.t.Errorf("%s: ledger %s with %d accepted, %d rejected, %d units, revenue %s; the dry run: %d, %d, %d, %s",
				in.label, e.Status, e.Accepted, e.Rejected, e.AcceptedUnits, revenueString(ledgerRevenue(e)),
				ref.Accepted, ref.Rejected, ref.Units, revenueString(ref.Revenue))
		}
		nUsage, doubledUsage := usage.records(in.sha)
		if int64(nUsage) != ref.Accepted || doubledUsage != 0 {
			w.t.Errorf("%s: %d usage events (%d lines more than once), want %d accepted lines once each",
				in.label, nUsage, doubledUsage, ref.Accepted)
		}
		nDead, doubledDead := dead.records(in.sha)
		if int64(nDead) != ref.Rejected || doubledDead != 0 {
			w.t.Errorf("%s: %d dead letters (%d lines more than once), want %d rejected lines once each",
				in.label, nDead, doubledDead, ref.Rejected)
		}
		for line := range dead[in.sha] {
			if usage[in.sha][line] > 0 {
				w.t.Errorf("%s: line %d is both a usage event and a dead letter", in.label, line)
			}
		}
		lf := inLake[in.sha]
		if lf.Rows != ref.Accepted || lf.Units != ref.Units || lf.DuplicateLines != 0 || !sameRevenue(lf.Revenue, ref.Revenue) {
			w.t.Errorf("%s: the lake holds %d rows, %d units, revenue %s, %d duplicate lines; want %d, %d, %s, 0",
				in.label, lf.Rows, lf.Units, revenueString(lf.Revenue), lf.DuplicateLines, ref.Accepted, ref.Units, revenueString(ref.Revenue))
		}
		w.logf("count", "%-28s %6d %6d | %6d %5d | %6d %6d %-8s | %6d %6d %4d  %s",
			in.label, ref.Accepted, ref.Rejected, nUsage, nDead, e.Accepted, e.Rejected, e.Status,
			lf.Rows, lf.Units, lf.DuplicateLines, revenueString(lf.Revenue))
		sumRef += ref.Accepted
		sumLedger += e.Accepted
		sumLake += lf.Rows
		sumDead += int64(nDead)
		sumRejected += ref.Rejected
	}
	w.logf("count", "lake rows %d == ledger accepted %d == reference accepted %d; dead letters %d == rejected lines %d",
		sumLake, sumLedger, sumRef, sumDead, sumRejected)
	if sumLake != sumLedger || sumLedger != sumRef || sumDead != sumRejected {
		w.t.Errorf("totals differ: lake %d, ledger %d, reference %d accepted; dead letters %d, rejected %d",
			sumLake, sumLedger, sumRef, sumDead, sumRejected)
	}
	w.logf("count", "lake reconcile: %d files in this lake; for this test's %d files %d unexplained differences, %d against declared totals explained above (%d more concern ledger files this lake never read)",
		len(rep.Files), len(set), bad, declared, others)
	w.logf("count", "lake query: %d rows in the whole lake", d.lakeRows())
	return inLake
}

// checkAlerts checks that each (ISRC, DSP, kind, reported value, period)
// has one alert id, and that no alert's count ever went down.
func (w *world) checkAlerts(al alertLog) {
	w.t.Helper()
	byKey := map[alertKey][]string{}
	for id, a := range al.latest {
		byKey[keyOf(&a)] = append(byKey[keyOf(&a)], id)
	}
	storms := 0
	for k, ids := range byKey {
		if len(ids) > 1 {
			storms++
			if storms <= 10 {
				w.t.Errorf("alert storm: %d alert ids for %+v: %v", len(ids), k, ids)
			}
		}
	}
	if len(al.backwards) > 0 {
		w.t.Errorf("%d alert updates with a lower count than an earlier update of the same alert, e.g. %s", len(al.backwards), al.backwards[0])
	}
	w.logf("count", "drift alerts: %d records, %d alert ids, %d distinct (ISRC, DSP, kind, value, period); %s",
		al.records, len(al.latest), len(byKey), al.byKind())
}

func ledgerRevenue(e avro.IngestLedgerEntry) map[string]string {
	out := map[string]string{}
	for c, v := range e.AcceptedRevenue {
		out[c] = v.String()
	}
	return out
}

// sameRevenue compares per-currency decimal strings exactly (as numbers:
// "1.50" equals "1.500"); a missing currency counts as zero.
func sameRevenue(a, b map[string]string) bool {
	for _, pair := range [][2]map[string]string{{a, b}, {b, a}} {
		for c, v := range pair[0] {
			x, err := decimal.NewFromString(v)
			if err != nil {
				return false
			}
			y := decimal.Zero
			if s, ok := pair[1][c]; ok {
				if y, err = decimal.NewFromString(s); err != nil {
					return false
				}
			}
			if !x.Equal(y) {
				return false
			}
		}
	}
	return true
}
