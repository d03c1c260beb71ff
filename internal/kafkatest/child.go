package kafkatest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
)

// StartChild starts this test binary again as a child process, running no
// test, with spec as JSON in the environment variable env: the package's
// TestMain sees env set and runs the instance spec describes instead of
// the tests, until a crash test kills it. The child is killed when the
// test ends; the returned buffer collects its standard error.
func StartChild(t *testing.T, env string, spec any) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env+"="+string(b))
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
