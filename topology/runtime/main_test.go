package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/kafkatest"
)

// childEnv, when set, makes the test binary run the counting pipeline as a
// child process (described by the JSON value) until it is killed: the crash
// test kills it with SIGKILL mid-stream.
const childEnv = "LEDGERLINE_RUNTIME_CHILD"

// childSpec describes the pipeline a child process runs.
type childSpec struct {
	Brokers  []string
	In       string
	Counts   string
	Dead     string
	Marks    string
	Group    string
	TxnID    string
	StateDir string
	Slow     time.Duration
}

func TestMain(m *testing.M) { kafkatest.Main(m, childEnv, runChild) }

// runChild runs the pipeline of s until the process is killed; it returns
// only on failure.
func runChild(s childSpec) int {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	tp := topics{in: s.In, counts: s.Counts, dead: s.Dead, marks: s.Marks}
	cfg := pipelineConfig(log, s.Brokers, tp, s.Group, s.TxnID, s.StateDir, &countProcessor{slow: s.Slow})
	cfg.GroupOpts = append(cfg.GroupOpts, crashGroupOpts()...)
	err := Run(context.Background(), cfg)
	fmt.Fprintln(os.Stderr, "child: Run returned:", err)
	return 1
}
