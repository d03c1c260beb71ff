package reportfile

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"testing"
)

// benchRows gives a generated report of about 50 MB.
const benchRows = 222_000

var benchData = sync.OnceValues(func() ([]byte, error) {
	var buf bytes.Buffer
	err := GenerateCSV(&buf, benchRows, 1)
	return buf.Bytes(), err
})

// BenchmarkTabularParse reads a generated ~50 MB Beatport-like CSV from
// memory: sniffing, record splitting and mapping to canonical cells.
func BenchmarkTabularParse(b *testing.B) {
	data, err := benchData()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0, files := processCPU(), 0
	for b.Loop() {
		files++
		r, err := Open(bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		rows := 0
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		if rows != benchRows {
			b.Fatalf("read %d rows, want %d", rows, benchRows)
		}
	}
	b.ReportMetric(float64(len(data))/1e6, "MB/file")
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(len(data))*float64(files)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}
