package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/internal/kafkatest"
)

// Bounds of the waits. They are generous on purpose: they only stop a
// stuck test, nothing asserts on speed. A killed instance keeps its
// partitions until the broker expires its session (45s by default).
const (
	commandTimeout = 2 * time.Minute
	readyTimeout   = 2 * time.Minute
	drainTimeout   = 4 * time.Minute
	stopTimeout    = 90 * time.Second
)

// usagePartitions is the --partitions of every run: the usage topic is
// shared with other tests on the broker, and a run refuses to start when
// the topic has fewer partitions than it declares.
const usagePartitions = "3"

// world is one test's view of the system: the binary, the broker, a
// working folder and the clients the test observes Kafka with.
type world struct {
	t       *testing.T
	bin     string
	brokers string
	name    string // unique per test run: prefix of --app values
	dir     string
	start   time.Time
	cl      *kgo.Client
	adm     *kadm.Client
	codecs  *avro.Codecs
	logs    []string // instance logs, shown when the test fails
}

// newWorld skips (or, under CI=true, fails) without a broker, then builds
// the binary.
func newWorld(t *testing.T, name string) *world {
	t.Helper()
	brokers := kafkatest.Brokers(t)
	w := &world{t: t, bin: binary(t), brokers: strings.Join(brokers, ","),
		name: "e2e-" + name + "-" + randomHex(t, 3), dir: t.TempDir(), start: time.Now()}
	w.cl = kafkatest.NewClient(t)
	w.adm = kadm.NewClient(w.cl)
	codecs, err := avro.NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	w.codecs = codecs
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		for _, l := range w.logs {
			t.Logf("last lines of %s:\n%s", filepath.Base(l), tail(l, 25))
		}
	})
	w.logf("setup", "broker %s (Kafka %s), binary %s, name %s", w.brokers, kafkatest.Version(), w.bin, w.name)
	return w
}

// logf writes one line of the test's account: elapsed time, a phase
// (setup, input, inject, wait, count) and what happened.
func (w *world) logf(phase, format string, args ...any) {
	w.t.Helper()
	w.t.Logf("%6.1fs %-6s %s", time.Since(w.start).Seconds(), phase, fmt.Sprintf(format, args...))
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// cli runs the binary to completion and returns its standard output. A
// non-zero exit fails the test.
func (w *world) cli(args ...string) string {
	w.t.Helper()
	out, errOut, err := w.cliResult(args...)
	if err != nil {
		w.t.Fatalf("ledgerline %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// cliResult runs the binary to completion.
func (w *world) cliResult(args ...string) (stdout, stderr string, err error) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.bin, args...)
	cmd.Env = append(os.Environ(), kafkatest.EnvBrokers+"="+w.brokers)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

// deployment is one application (--app) with its own lake.
type deployment struct {
	w      *world
	app    string
	prefix string // --topic-prefix of every command; "" for none
	lake   string
	seeded int64 // the drift group's committed offsets at the start, summed
	// crashes counts instances that exited without being stopped or
	// killed by the test.
	crashes int
}

func (w *world) deployment(label string) *deployment {
	d := &deployment{w: w, app: w.name + "-" + label, lake: filepath.Join(w.dir, label, "lake")}
	if err := os.MkdirAll(d.lake, 0o755); err != nil {
		w.t.Fatal(err)
	}
	return d
}

// stateDir returns a fresh state folder path for an instance.
func (d *deployment) stateDir(label string) string {
	return filepath.Join(filepath.Dir(d.lake), "state-"+label)
}

// instance is one running `ledgerline run` process.
type instance struct {
	d      *deployment
	label  string // for the log
	name   string // --instance: names the drift stage's transactional id
	state  string
	port   int
	log    string
	cmd    *exec.Cmd
	exited chan struct{}
	err    error // from Wait, once exited is closed
	// meant is set when the test stops or kills the instance.
	meant bool
}

// start starts `ledgerline run` and kills it when the test ends.
func (d *deployment) start(label, name, state string) *instance {
	w := d.w
	w.t.Helper()
	i := &instance{d: d, label: label, name: name, state: state, port: freePort(w.t), exited: make(chan struct{})}
	i.log = filepath.Join(w.dir, "logs", fmt.Sprintf("%s-%s-%d.log", filepath.Base(filepath.Dir(d.lake)), label, len(w.logs)))
	logPath := i.log
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		w.t.Fatal(err)
	}
	f, err := os.Create(logPath)
	if err != nil {
		w.t.Fatal(err)
	}
	w.logs = append(w.logs, logPath)
	i.cmd = exec.Command(w.bin, "run", "--app", d.app, "--instance", name, "--state", state, "--lake", d.lake,
		"--partitions", usagePartitions, "--listen", fmt.Sprintf("127.0.0.1:%d", i.port))
	i.cmd.Env = append(os.Environ(), kafkatest.EnvBrokers+"="+w.brokers)
	if d.prefix != "" {
		i.cmd.Env = append(i.cmd.Env, "LEDGERLINE_TOPIC_PREFIX="+d.prefix) // as a Kubernetes ConfigMap would set it
	}
	i.cmd.Stdout, i.cmd.Stderr = f, f
	if err := i.cmd.Start(); err != nil {
		f.Close()
		w.t.Fatalf("start instance %s: %v", label, err)
	}
	go func() {
		i.err = i.cmd.Wait()
		f.Close()
		close(i.exited)
	}()
	w.t.Cleanup(func() {
		if i.running() {
			_ = i.cmd.Process.Signal(syscall.SIGKILL)
			<-i.exited
		}
	})
	w.logf("setup", "started instance %s (pid %d, --app %s --instance %s, state %s)", label, i.cmd.Process.Pid, d.app, name, filepath.Base(state))
	return i
}

func (i *instance) running() bool {
	select {
	case <-i.exited:
		return false
	default:
		return true
	}
}

// waitReady polls /ready until the instance has restored its state and
// caught up with the catalog.
func (i *instance) waitReady() {
	w := i.d.w
	w.t.Helper()
	start := time.Now()
	url := fmt.Sprintf("http://127.0.0.1:%d/ready", i.port)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				w.logf("wait", "instance %s ready after %s", i.label, time.Since(start).Round(100*time.Millisecond))
				return
			}
		}
		if !i.running() {
			w.t.Fatalf("instance %s exited before it was ready: %v", i.label, i.err)
		}
		if time.Since(start) > readyTimeout {
			w.t.Fatalf("instance %s not ready within %s", i.label, readyTimeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// kill sends SIGKILL: no flush, no commit, no leaving the group.
func (i *instance) kill() {
	w := i.d.w
	w.t.Helper()
	i.meant = true
	if err := i.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		w.t.Fatalf("kill instance %s: %v", i.label, err)
	}
	<-i.exited
	w.logf("inject", "SIGKILL instance %s (pid %d)", i.label, i.cmd.Process.Pid)
}

// stop sends SIGTERM and waits for a clean exit: the lake sink writes and
// commits what it buffered, the drift stage leaves its group.
func (i *instance) stop() {
	w := i.d.w
	w.t.Helper()
	start := time.Now()
	if i.crashed() {
		i.reportCrash()
		return
	}
	i.meant = true
	if err := i.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		w.t.Fatalf("stop instance %s: %v", i.label, err)
	}
	select {
	case <-i.exited:
	case <-time.After(stopTimeout):
		_ = i.cmd.Process.Signal(syscall.SIGKILL)
		<-i.exited
		w.t.Fatalf("instance %s did not stop within %s of SIGTERM", i.label, stopTimeout)
	}
	if i.err != nil {
		w.t.Fatalf("instance %s exited with %v after SIGTERM", i.label, i.err)
	}
	w.logf("setup", "stopped instance %s with SIGTERM (%s)", i.label, time.Since(start).Round(100*time.Millisecond))
}

// crashed reports whether the instance exited without the test stopping
// or killing it.
func (i *instance) crashed() bool { return !i.running() && !i.meant }

// reportCrash names an instance that exited on its own in the log. The
// test then goes on like the instance's supervisor would: it starts the
// instance again where it needs it.
func (i *instance) reportCrash() {
	w := i.d.w
	w.t.Helper()
	i.meant = true
	i.d.crashes++
	w.logf("CRASH", "instance %s exited on its own (%v): %s", i.label, i.err, tail(i.log, 1))
	// Restarting it lets the counts show the exit lost and doubled
	// nothing, but an instance must ride out other instances' crashes.
	w.t.Errorf("instance %s exited on its own: %v", i.label, i.err)
}

// revive starts again every instance of the list that crashed.
func revive(instances []*instance) {
	for n, i := range instances {
		if i.crashed() {
			i.reportCrash()
			instances[n] = i.again()
		}
	}
}

// again starts an instance like i, with the same name and state folder.
func (i *instance) again() *instance {
	return i.d.start(i.label, i.name, i.state)
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, os.ErrClosed) {
		lines = append(lines, "(read: "+err.Error()+")")
	}
	return strings.Join(lines, "\n")
}

// owned reads the instance's log and returns the partitions its drift
// stage and its lake sink hold, as their rebalance messages say.
func (i *instance) owned() (driftParts, lakeParts []int32) {
	data, err := os.ReadFile(i.log)
	if err != nil {
		return nil, nil
	}
	drift, lake := map[int32]bool{}, map[int32]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		var m struct {
			Msg        string  `json:"msg"`
			Component  string  `json:"component"`
			Partitions []int32 `json:"partitions"`
		}
		if json.Unmarshal([]byte(line), &m) != nil {
			continue
		}
		set := drift
		if m.Component == "lake-sink" {
			set = lake
		} else if !strings.HasPrefix(m.Msg, "runtime: ") {
			continue
		}
		switch strings.TrimPrefix(m.Msg, "runtime: ") {
		case "partitions assigned":
			for _, p := range m.Partitions {
				set[p] = true
			}
		case "partitions revoked", "partitions lost":
			for _, p := range m.Partitions {
				delete(set, p)
			}
		}
	}
	return sortedKeys(drift), sortedKeys(lake)
}

func sortedKeys(m map[int32]bool) []int32 {
	out := make([]int32, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// waitOwns waits until the instance's drift stage and lake sink both hold
// a partition.
func (i *instance) waitOwns() {
	w := i.d.w
	w.t.Helper()
	deadline := time.Now().Add(readyTimeout)
	for {
		drift, lake := i.owned()
		if len(drift) > 0 && len(lake) > 0 {
			w.logf("wait", "instance %s holds usage partitions %v (drift) and usage-enriched partitions %v (lake sink)", i.label, drift, lake)
			return
		}
		if !i.running() {
			w.t.Fatalf("instance %s exited: %v", i.label, i.err)
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("instance %s holds drift partitions %v and lake partitions %v after %s", i.label, drift, lake, readyTimeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// metric returns the sum of every series of a metric on the instance's
// /metrics endpoint.
func (i *instance) metric(name string) float64 {
	w := i.d.w
	w.t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", i.port))
	if err != nil {
		w.t.Fatalf("metrics of instance %s: %v", i.label, err)
	}
	defer resp.Body.Close()
	var sum float64
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		fields := strings.Fields(line)
		v, err := strconv.ParseFloat(fields[len(fields)-1], 64)
		if err != nil {
			w.t.Fatalf("metrics of instance %s: %q: %v", i.label, line, err)
		}
		sum += v
	}
	if err := sc.Err(); err != nil {
		w.t.Fatalf("metrics of instance %s: %v", i.label, err)
	}
	return sum
}
