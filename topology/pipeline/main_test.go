package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"

	"github.com/ledgerline/ledgerline/internal/kafkatest"
)

// childEnv, when set, makes the test binary run one pipeline instance
// (described by the JSON value) until it is killed: the crash test kills
// it with SIGKILL mid-stream.
const childEnv = "LEDGERLINE_PIPELINE_CHILD"

// childSpec describes the instance a child process runs.
type childSpec struct {
	Brokers  []string
	App      string
	Lake     string
	Instance string
	StateDir string
}

func TestMain(m *testing.M) { kafkatest.Main(m, childEnv, runChild) }

// runChild runs the instance of s until the process is killed; it returns
// only on failure.
func runChild(s childSpec) int {
	e := &env{kind: "kafka", brokers: s.Brokers, app: s.App, prefix: s.App + ".", lake: s.Lake}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx := context.Background()
	p, err := Open(ctx, e.config(s.Instance, s.StateDir, log))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: Open:", err)
		return 1
	}
	err = p.Run(ctx)
	fmt.Fprintln(os.Stderr, "child: Run returned:", err)
	return 1
}
