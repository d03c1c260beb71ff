package reportfile

import (
	"errors"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// TestConstantMemory streams a generated report through the reader and
// checks that the heap stays small whatever the size. The size defaults
// to 64 MB; set REPORTFILE_STREAM_MB to try larger files (2048 for 2 GB).
func TestConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams tens of megabytes")
	}
	mb := 64
	if v := os.Getenv("REPORTFILE_STREAM_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("REPORTFILE_STREAM_MB=%q", v)
		}
		mb = n
	}
	rows := mb << 20 / 226 // bytes per generated row
	pr, pw := io.Pipe()
	go func() {
		_, err := GenerateReport(pw, GenerateOptions{Rows: rows, Seed: 11, BadFraction: DefaultBadFraction})
		pw.CloseWithError(err)
	}()
	rd, err := Open(pr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const limit = 64 << 20
	var peak uint64
	var ms runtime.MemStats
	n := 0
	for {
		_, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n%100_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	if n != rows {
		t.Errorf("read %d rows, want %d", n, rows)
	}
	t.Logf("%d MB, %d rows, %d bytes read, peak heap in use %.1f MiB", mb, n, rd.BytesRead(), float64(peak)/(1<<20))
	if peak > limit {
		t.Errorf("peak heap in use %d bytes exceeds %d", peak, limit)
	}
}
