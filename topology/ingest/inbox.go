package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sony/gobreaker/v2"
)

// Inbox is a watched drop folder, as an SFTP upload would fill it. Every
// new regular file is ingested once, then moved to done/, or to
// quarantine/ with a .reason.txt beside it when it cannot be read as a
// whole. A file is picked up only once its size and modification time have
// not changed for Settle, so half-uploaded files are left alone; names
// starting with '.' or ending in .part, .tmp or .filepart are ignored.
//
// File names are never trusted as paths: only plain names of regular files
// read from the folder itself are used (no separators, no "..", no
// symbolic links), and moved files keep their base name behind a
// timestamp prefix so nothing is overwritten.
type Inbox struct {
	Dir      string
	Settle   time.Duration // default 2s
	Interval time.Duration // default 1s
	Ingester *Ingester
	Logger   *slog.Logger
	// OnFile, if set, is told each processed file's summary and error.
	OnFile func(sum Summary, err error)
	// Cooldown is how long the inbox pauses after BreakAfter files in a row
	// failed for a reason outside the files (Kafka unreachable, say):
	// default 30s and 3. Files that are unreadable as a whole do not
	// count: they are quarantined.
	Cooldown   time.Duration
	BreakAfter uint32

	seen    map[string]fileStamp
	breaker *gobreaker.CircuitBreaker[Summary]
}

type fileStamp struct {
	size    int64
	modTime time.Time
	since   time.Time
}

// Subfolders of an inbox.
const (
	DoneDir       = "done"
	QuarantineDir = "quarantine"
)

// Run watches the folder until ctx ends.
func (b *Inbox) Run(ctx context.Context) error {
	if err := b.prepare(); err != nil {
		return err
	}
	t := time.NewTicker(b.Interval)
	defer t.Stop()
	for {
		if _, err := b.Scan(ctx); err != nil && ctx.Err() == nil {
			b.Logger.Error("inbox scan failed", "dir", b.Dir, "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (b *Inbox) prepare() error {
	if b.Settle <= 0 {
		b.Settle = 2 * time.Second
	}
	if b.Interval <= 0 {
		b.Interval = time.Second
	}
	if b.Logger == nil {
		b.Logger = slog.New(slog.DiscardHandler)
	}
	if b.seen == nil {
		b.seen = map[string]fileStamp{}
	}
	if b.breaker == nil {
		if b.Cooldown <= 0 {
			b.Cooldown = 30 * time.Second
		}
		if b.BreakAfter == 0 {
			b.BreakAfter = 3
		}
		b.breaker = gobreaker.NewCircuitBreaker[Summary](gobreaker.Settings{
			Name:        "inbox " + b.Dir,
			MaxRequests: 1,
			Timeout:     b.Cooldown,
			ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= b.BreakAfter },
			IsSuccessful: func(err error) bool {
				// Only failures downstream of the file trip the
				// breaker; a bad file is the file's problem.
				return err == nil || IsQuarantine(err) || errors.Is(err, errNotRegular) ||
					errors.Is(err, fs.ErrNotExist) || isSymlinkLoop(err)
			},
			OnStateChange: func(name string, from, to gobreaker.State) {
				b.Logger.Warn("inbox circuit breaker", "inbox", b.Dir, "from", from.String(), "to", to.String(), "cooldown", b.Cooldown)
			},
		})
	}
	for _, d := range []string{b.Dir, filepath.Join(b.Dir, DoneDir), filepath.Join(b.Dir, QuarantineDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("inbox: %w", err)
		}
	}
	return nil
}

// Scan processes every settled file once and returns how many it
// processed.
func (b *Inbox) Scan(ctx context.Context) (int, error) {
	if err := b.prepare(); err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(b.Dir)
	if err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	now := time.Now()
	n := 0
	for _, de := range entries {
		name := de.Name()
		if !candidate(name) || de.Type()&fs.ModeType != 0 { // regular files only, no links
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue // gone meanwhile
		}
		st, ok := b.seen[name]
		if !ok || st.size != info.Size() || !st.modTime.Equal(info.ModTime()) {
			b.seen[name] = fileStamp{size: info.Size(), modTime: info.ModTime(), since: now}
			if b.Settle > 0 {
				continue
			}
		} else if now.Sub(st.since) < b.Settle {
			continue
		}
		if err := ctx.Err(); err != nil {
			return n, err
		}
		b.process(ctx, name)
		delete(b.seen, name)
		n++
	}
	return n, nil
}

// candidate reports whether a directory entry name may be an upload.
func candidate(name string) bool {
	if name == "" || strings.HasPrefix(name, ".") || !filepath.IsLocal(name) ||
		strings.ContainsAny(name, `/\`) || name == DoneDir || name == QuarantineDir {
		return false
	}
	for _, suffix := range []string{".part", ".tmp", ".filepart", ".reason.txt"} {
		if strings.HasSuffix(strings.ToLower(name), suffix) {
			return false
		}
	}
	return true
}

func (b *Inbox) process(ctx context.Context, name string) {
	path := filepath.Join(b.Dir, name)
	sum, err := b.breaker.Execute(func() (Summary, error) { return b.ingest(ctx, path) })
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		// Paused after repeated failures downstream: the file waits.
		return
	}
	if errors.Is(err, errNotRegular) || errors.Is(err, fs.ErrNotExist) || isSymlinkLoop(err) {
		// Replaced by a link or removed since the scan: not an upload.
		b.Logger.Warn("skipped: no longer a regular file", "file", name, "err", err)
		return
	}
	if b.OnFile != nil {
		b.OnFile(sum, err)
	}
	switch {
	case err == nil:
		b.Logger.Info("ingested", "file", name, "rows", sum.Rows, "accepted", sum.Accepted, "rejected", sum.Rejected, "skipped", sum.Skipped)
		b.move(path, name, DoneDir, "")
	case IsQuarantine(err):
		b.Logger.Warn("quarantined", "file", name, "err", err)
		b.move(path, name, QuarantineDir, err.Error())
	case ctx.Err() != nil:
		// Shutting down: the file stays and is resumed next time.
	default:
		// Kafka unavailable or the like: leave the file for the next
		// scan; the ledger makes the retry resume where it stopped.
		b.Logger.Error("ingest failed, will retry", "file", name, "err", err)
	}
}

// ingest ingests the file at path through one descriptor opened without
// following links, so the bytes hashed are the bytes parsed even if the
// name is replaced meanwhile.
func (b *Inbox) ingest(ctx context.Context, path string) (Summary, error) {
	f, err := openRegular(path)
	if err != nil {
		return Summary{File: baseName(path)}, err
	}
	defer f.Close()
	j, err := b.Ingester.fileJob(f)
	if err != nil {
		return Summary{File: baseName(path)}, err
	}
	return b.Ingester.ingest(ctx, j)
}

func (b *Inbox) move(path, name, sub, reason string) {
	dest := filepath.Join(b.Dir, sub, time.Now().UTC().Format("20060102T150405.000000000Z")+"_"+name)
	if reason != "" {
		if err := os.WriteFile(dest+".reason.txt", []byte(reason+"\n"), 0o644); err != nil {
			b.Logger.Error("cannot write quarantine reason", "file", name, "err", err)
		}
	}
	if err := os.Rename(path, dest); err != nil && !errors.Is(err, fs.ErrNotExist) {
		b.Logger.Error("cannot move processed file", "file", name, "to", sub, "err", err)
	}
}
