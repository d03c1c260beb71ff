package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ledgerline/ledgerline/connectors/reportfile"
)

// BenchmarkDryRun measures the whole dry-run path (hash, parse, validate,
// summary) over a generated report; b.SetBytes makes it report MB/s.
func BenchmarkDryRun(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	st, err := reportfile.GenerateReport(f, reportfile.GenerateOptions{Rows: 100000, Seed: 1, BadFraction: reportfile.DefaultBadFraction})
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	in, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(st.Bytes)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		sum, err := in.DryRun(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		if sum.Rows != int64(st.Rows) {
			b.Fatalf("%d rows, want %d", sum.Rows, st.Rows)
		}
	}
}
