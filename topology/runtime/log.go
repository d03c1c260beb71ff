package runtime

import (
	"context"
	"log/slog"

	"github.com/twmb/franz-go/pkg/kgo"
)

// kgoLogger forwards the Kafka client's warnings and errors to slog. Its
// info and debug lines (several per transaction) are dropped.
type kgoLogger struct {
	log *slog.Logger
}

var _ kgo.Logger = kgoLogger{}

func (l kgoLogger) Level() kgo.LogLevel { return kgo.LogLevelWarn }

func (l kgoLogger) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	var lv slog.Level
	switch level {
	case kgo.LogLevelError:
		lv = slog.LevelError
	case kgo.LogLevelWarn:
		lv = slog.LevelWarn
	default:
		return
	}
	l.log.Log(context.Background(), lv, msg, append(keyvals, "component", "kgo")...)
}
