package e2e

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// summary is one file's `ledgerline ingest --format json` object.
type summary struct {
	File             string            `json:"file"`
	Profile          string            `json:"profile"`
	Rows             int64             `json:"rows"`
	Accepted         int64             `json:"accepted"`
	Rejected         int64             `json:"rejected"`
	RejectedByReason map[string]int64  `json:"rejected_by_reason"`
	Units            int64             `json:"units"`
	Revenue          map[string]string `json:"revenue"`
	Reconciliation   struct {
		Matched bool `json:"matched"`
	} `json:"reconciliation"`
}

// input is one report file the test ingests, with its reference counts.
type input struct {
	label string
	path  string
	sha   string
	ref   summary // from ingest --dry-run
	// generated files only: what the generator says it wrote.
	genRows, genBroken int
}

// The vocabulary of artists of `ledgerline generate report`
// (connectors/reportfile/generate.go); each is quoted in the artist and
// remixer columns.
var generatorArtists = []string{"DJ Dan", "Mike Balance", "Peace Division", "Dom G", "Uberzone",
	"Soma (USA)", "Gary Caos", "Angel Heredia", "Leandro Da Silva", "Rescue"}

// generatorISRCPrefix starts every ISRC the generator writes.
const generatorISRCPrefix = "USMKV17"

var wroteRE = regexp.MustCompile(`wrote (\d+) rows \((\d+) broken`)

// tag returns the world's three-character code for generated data: the
// ISRC registrant and the artist suffix that keep this test's recordings
// apart from any other test's.
func (w *world) tag() string {
	sum := sha256.Sum256([]byte(w.name))
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	return string([]byte{alnum[sum[0]%36], alnum[sum[1]%36], alnum[sum[2]%36]})
}

func (w *world) inputDir() string {
	dir := filepath.Join(w.dir, "inputs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		w.t.Fatal(err)
	}
	return dir
}

// generate writes a report with `ledgerline generate report`, moves its
// recordings into this test's namespace (ISRC registrant QZ<tag>, artists
// suffixed with the tag; the rows' layout and broken rows stay as
// generated) and returns the plain file with what the generator reported.
func (w *world) generate(name string, rows int, seed int64, bad float64) *input {
	w.t.Helper()
	raw := filepath.Join(w.inputDir(), name+".generated")
	_, errOut, err := w.cliResult("generate", "report", "--rows", strconv.Itoa(rows), "--bad", strconv.FormatFloat(bad, 'f', -1, 64),
		"--seed", strconv.FormatInt(seed, 10), "--out", raw)
	if err != nil {
		w.t.Fatalf("generate report: %v\n%s", err, errOut)
	}
	m := wroteRE.FindStringSubmatch(errOut)
	if m == nil {
		w.t.Fatalf("generate report: no row counts in %q", errOut)
	}
	in := &input{label: name}
	in.genRows, _ = strconv.Atoi(m[1])
	in.genBroken, _ = strconv.Atoi(m[2])
	data, err := os.ReadFile(raw)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := os.Remove(raw); err != nil {
		w.t.Fatal(err)
	}
	tag := w.tag()
	data = bytes.ReplaceAll(data, []byte(generatorISRCPrefix), []byte("QZ"+tag+"17"))
	for _, a := range generatorArtists {
		data = bytes.ReplaceAll(data, []byte(`"`+a+`"`), []byte(`"`+a+` `+tag+`"`))
	}
	in.path = filepath.Join(w.inputDir(), name+".csv")
	if err := os.WriteFile(in.path, data, 0o644); err != nil {
		w.t.Fatal(err)
	}
	return in
}

// gzipCopy writes src gzip-compressed as name, with a header naming this
// test run, so that the same contents are a new file (a new SHA-256) to
// the ingest ledger in every run and under every name.
func (w *world) gzipCopy(src, name string) string {
	w.t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		w.t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Name = filepath.Base(src)
	zw.Comment = w.name + "/" + name
	zw.ModTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := zw.Write(data); err != nil {
		w.t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		w.t.Fatal(err)
	}
	dst := filepath.Join(w.inputDir(), name)
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		w.t.Fatal(err)
	}
	return dst
}

// prepare hashes the file and takes its reference counts from a dry run.
func (w *world) prepare(in *input) {
	w.t.Helper()
	in.sha = fileSHA(w, in.path)
	out := w.cli("ingest", "--dry-run", "--format", "json", in.path)
	if err := json.Unmarshal([]byte(out), &in.ref); err != nil {
		w.t.Fatalf("dry run of %s: %v\n%s", in.label, err, out)
	}
	if in.genRows > 0 {
		// Independent of the parser: the generator says how many rows it
		// wrote and how many of them broken; only those may be rejected.
		if in.ref.Rows != int64(in.genRows) || in.ref.Rejected != int64(in.genBroken) ||
			in.ref.Accepted != int64(in.genRows-in.genBroken) {
			w.t.Fatalf("%s: dry run says %d rows, %d accepted, %d rejected; the generator wrote %d rows, %d broken",
				in.label, in.ref.Rows, in.ref.Accepted, in.ref.Rejected, in.genRows, in.genBroken)
		}
	}
	w.logf("input", "%-28s sha %s…  %5d rows: %5d accepted, %4d rejected, %6d units, revenue %s (profile %s)",
		in.label, in.sha[:12], in.ref.Rows, in.ref.Accepted, in.ref.Rejected, in.ref.Units, revenueString(in.ref.Revenue), in.ref.Profile)
}

func fileSHA(w *world, path string) string {
	w.t.Helper()
	f, err := os.Open(path)
	if err != nil {
		w.t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		w.t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func revenueString(m map[string]string) string {
	cs := make([]string, 0, len(m))
	for c := range m {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = m[c] + " " + c
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// writeCatalog writes a catalog CSV for the recordings of generated
// reports: the first row of an ISRC gives title, artist and UPC; ISRCs
// ending in 0, 1 or 2 are left out, so their usage is unknown_isrc.
func (w *world) writeCatalog(name string, reports ...*input) (path string, records int) {
	w.t.Helper()
	type rec struct{ title, artist, upc string }
	seen := map[string]rec{}
	var order []string
	for _, in := range reports {
		f, err := os.Open(in.path)
		if err != nil {
			w.t.Fatal(err)
		}
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		header := true
		for {
			row, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil || len(row) != 29 {
				continue // a broken row
			}
			if header {
				header = false
				continue
			}
			isrc := row[2]
			if len(isrc) != 12 || strings.IndexByte("012", isrc[11]) >= 0 {
				continue
			}
			if _, ok := seen[isrc]; !ok {
				seen[isrc] = rec{title: row[6], artist: row[7], upc: row[0]}
				order = append(order, isrc)
			}
		}
		f.Close()
	}
	var b strings.Builder
	b.WriteString("isrc,version,valid_from,title,version_title,artists,release_title,upc,iswc,label,splits\n")
	for _, isrc := range order {
		r := seen[isrc]
		cells := []string{isrc, "1", "2017-01-01", r.title, "", r.artist, "", r.upc, "", "InStereo Recordings",
			"IPI:00052210040:" + r.artist + ":artist:1"}
		for i, c := range cells {
			if strings.ContainsAny(c, ",\"\n") {
				cells[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
		}
		b.WriteString(strings.Join(cells, ",") + "\n")
	}
	path = filepath.Join(w.inputDir(), name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		w.t.Fatal(err)
	}
	return path, len(order)
}

// loadCatalog publishes the catalog with `ledgerline catalog load`.
func (d *deployment) loadCatalog(path string, records int) {
	w := d.w
	w.t.Helper()
	out := w.cli("catalog", "load", "--app", d.app, "--topic-prefix", d.prefix, "--format", "json", path)
	var sum struct {
		Records   int64 `json:"records"`
		Published int64 `json:"published"`
		Rejected  int64 `json:"rejected"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		w.t.Fatalf("catalog load: %v\n%s", err, out)
	}
	if sum.Records != int64(records) || sum.Published != int64(records) || sum.Rejected != 0 {
		w.t.Fatalf("catalog load of %d records: %s", records, out)
	}
	w.logf("input", "catalog: %d recordings published with `catalog load`", sum.Published)
}

// realdataDir returns the public sample reports beside the module
// (../shared/realdata), or "" when they are absent.
func realdataDir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			samples := filepath.Join(dir, "..", "shared", "realdata")
			if st, err := os.Stat(samples); err != nil || !st.IsDir() {
				return "", nil
			}
			return samples, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no go.mod above %s", wd)
		}
	}
}

// realdata returns the public sample reports that a dry run reads with
// at least one line, each as a gzip copy unique to this run. Samples that
// do not parse as a whole are left out (and named in the log).
func (w *world) realdata() []*input {
	w.t.Helper()
	dir, err := realdataDir()
	if err != nil {
		w.t.Fatal(err)
	}
	if dir == "" {
		w.logf("input", "public sample reports not available (../shared/realdata beside the module): only generated reports are used")
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []*input
	var left []string
	for _, e := range entries {
		if !e.Type().IsRegular() || e.Name() == "SOURCES.md" {
			continue
		}
		path := w.gzipCopy(filepath.Join(dir, e.Name()), e.Name()+".gz")
		stdout, _, err := w.cliResult("ingest", "--dry-run", "--format", "json", path)
		var ref summary
		if err != nil || json.Unmarshal([]byte(stdout), &ref) != nil || ref.Rows == 0 {
			left = append(left, e.Name())
			os.Remove(path)
			continue
		}
		in := &input{label: elide(e.Name(), 28), path: path}
		w.prepare(in)
		out = append(out, in)
	}
	w.logf("input", "%d public sample reports from %s; left out (no line read by a dry run): %v", len(out), dir, left)
	return out
}

// elide shortens an ASCII name to n characters, keeping its start and end.
func elide(s string, n int) string {
	if len(s) <= n {
		return s
	}
	head := (n - 1) / 2
	return s[:head] + "…" + s[len(s)-(n-1-head):]
}
