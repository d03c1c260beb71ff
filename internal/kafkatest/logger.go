package kafkatest

import (
	"log/slog"
	"os"
	"strings"
	"testing"
)

// EnvTestLog, when set, makes Logger log through the test.
const EnvTestLog = "LEDGERLINE_TEST_LOG"

// Logger returns a logger for the instances a test runs: through t.Log
// from info level up when LEDGERLINE_TEST_LOG is set, else discarding
// everything (the runtime's logs would drown a test's own output).
func Logger(t testing.TB) *slog.Logger {
	if os.Getenv(EnvTestLog) == "" {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
