package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar draws one line on a terminal: bytes, lines/s and ETA,
// redrawn at most every 200ms.
type progressBar struct {
	w     io.Writer
	name  string
	size  int64
	start time.Time
	mu    sync.Mutex
	last  time.Time
}

func newProgressBar(w io.Writer, name string, size int64) *progressBar {
	return &progressBar{w: w, name: name, size: size, start: time.Now()}
}

func (p *progressBar) Update(bytesRead, lines int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	p.draw(now, bytesRead, lines)
}

func (p *progressBar) draw(now time.Time, bytesRead, lines int64) {
	elapsed := now.Sub(p.start).Seconds()
	if elapsed <= 0 {
		elapsed = 1e-9
	}
	frac := 0.0
	if p.size > 0 {
		frac = float64(bytesRead) / float64(p.size)
		if frac > 1 {
			frac = 1
		}
	}
	const width = 24
	filled := int(frac * width)
	bar := make([]byte, width)
	for i := range bar {
		if i < filled {
			bar[i] = '='
		} else {
			bar[i] = ' '
		}
	}
	eta := "?"
	if frac > 0 && frac < 1 {
		eta = (time.Duration(elapsed/frac*(1-frac)) * time.Second).Round(time.Second).String()
	} else if frac >= 1 {
		eta = "0s"
	}
	fmt.Fprintf(p.w, "\r%-28.28s [%s] %5.1f%% %s/%s  %.0f lines/s  ETA %s   ",
		p.name, bar, frac*100, humanBytes(bytesRead), humanBytes(p.size), float64(lines)/elapsed, eta)
}

func (p *progressBar) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K")
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%dB", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f%ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
