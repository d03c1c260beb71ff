package kafkatest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
)

// StartChild starts this test binary again as a child process, running no
// test, with spec as JSON in the environment variable env: the package's
// TestMain sees env set and runs the instance spec describes instead of
// the tests, until a crash test kills it. The child is killed when the
// test ends; the returned buffer collects its standard error.
func StartChild(t *testing.T, env string, spec any) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := ChildCommand(t, env, spec)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start child: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd, &stderr
}

// ChildCommand returns, unstarted, the command that runs this test binary
// again as a child running no test, with spec as JSON in the environment
// variable env (see Main).
func ChildCommand(t *testing.T, env string, spec any) *exec.Cmd {
	t.Helper()
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env+"="+string(b))
	return cmd
}

// CommittedRecords returns how many records of topic group has consumed:
// the sum of its committed offsets (0 when they cannot be fetched).
func CommittedRecords(ctx context.Context, adm *kadm.Client, group, topic string) int64 {
	offs, err := adm.FetchOffsets(ctx, group)
	if err != nil {
		return 0
	}
	var done int64
	offs.Each(func(o kadm.OffsetResponse) {
		if o.Topic == topic && o.Err == nil && o.At > 0 {
			done += o.At
		}
	})
	return done
}

// KillMidStream waits until the child cmd (see StartChild) has committed
// at least fraction of the total records of topic in, as group, and has a
// transaction open on out, then kills it with SIGKILL. The test fails if
// the child exits on its own, finishes every record first, or gets there
// not within timeout; stderr is the child's, shown then.
func KillMidStream(t *testing.T, cmd *exec.Cmd, stderr *bytes.Buffer, adm *kadm.Client, group, in, out string, total int, fraction float64, timeout time.Duration) {
	t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(timeout)
	for {
		select {
		case err := <-exited:
			t.Fatalf("child exited early: %v\n%s", err, stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("child did not reach %.0f%% in time\n%s", 100*fraction, stderr.String())
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		p := float64(CommittedRecords(ctx, adm, group, in)) / float64(total)
		open := p >= fraction && OpenTransaction(ctx, adm, out)
		cancel()
		if p >= 1 {
			t.Fatalf("child finished everything before it could be killed mid-stream")
		}
		if open {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatalf("kill child: %v", err)
			}
			<-exited
			t.Logf("killed the child at %.0f%% committed with a transaction open", 100*p)
			return
		}
	}
}

// Main is the TestMain of a package whose tests start children with
// StartChild: in such a child (env set) it decodes the spec and exits
// with what run returns, without running any test; otherwise it runs the
// tests.
func Main[S any](m *testing.M, env string, run func(S) int) {
	if v := os.Getenv(env); v != "" {
		var spec S
		if err := json.Unmarshal([]byte(v), &spec); err != nil {
			fmt.Fprintln(os.Stderr, "child: bad spec:", err)
			os.Exit(2)
		}
		os.Exit(run(spec))
	}
	os.Exit(m.Run())
}
