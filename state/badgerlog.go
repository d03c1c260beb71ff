package state

import (
	"fmt"
	"log/slog"
	"strings"
)

// quietLogger adapts Badger's logger to slog, dropping Badger's INFO and
// DEBUG chatter (it logs several lines per open, flush and compaction).
type quietLogger struct {
	log *slog.Logger
}

func newQuietLogger(log *slog.Logger) quietLogger {
	return quietLogger{log: log}
}

func (l quietLogger) Errorf(format string, args ...any) {
	l.log.Error(strings.TrimSpace(fmt.Sprintf(format, args...)), "component", "badger")
}

func (l quietLogger) Warningf(format string, args ...any) {
	l.log.Warn(strings.TrimSpace(fmt.Sprintf(format, args...)), "component", "badger")
}

func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

// discardLogger returns a logger that drops everything, used when the caller
// supplies none.
func discardLogger() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}
