package demo

import (
	"context"
	"testing"
	"time"
)

// TestDemoEndToEnd runs the demo as `make demo` does (smaller) and checks
// that the books balance: every accepted line is in the lake once, every
// rejected line is counted under a reason, and drift was found.
func TestDemoEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sum, err := Run(ctx, Options{Out: t.TempDir(), CatalogSize: 300, GeneratedRows: 800})
	if err != nil {
		t.Fatal(err)
	}
	if sum.LinesRead != sum.Accepted+sum.Rejected {
		t.Errorf("lines read %d != accepted %d + rejected %d", sum.LinesRead, sum.Accepted, sum.Rejected)
	}
	if sum.LakeRows != sum.Accepted {
		t.Errorf("lake rows %d, accepted %d", sum.LakeRows, sum.Accepted)
	}
	var byReason int64
	for _, n := range sum.RejectedByReason {
		byReason += n
	}
	if sum.Rejected == 0 || byReason != sum.Rejected {
		t.Errorf("rejected %d, by reason %v", sum.Rejected, sum.RejectedByReason)
	}
	for _, kind := range []string{"unknown_isrc", "title_mismatch", "unidentified"} {
		if sum.DriftAlertsByKind[kind] == 0 {
			t.Errorf("no %s alert: %v", kind, sum.DriftAlertsByKind)
		}
	}
	if sum.LakeFiles == 0 || sum.CatalogRecords != 306 {
		t.Errorf("lake files %d, catalog records %d", sum.LakeFiles, sum.CatalogRecords)
	}
}
