package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// build holds the ledgerline binary, built once per test process.
var build struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}

// binary returns the path of cmd/ledgerline built with `go build` into a
// temporary folder, building it on first use.
func binary(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		dir, err := os.MkdirTemp("", "ledgerline-e2e-bin-")
		if err != nil {
			build.err = err
			return
		}
		build.dir = dir
		build.path = filepath.Join(dir, "ledgerline")
		start := time.Now()
		cmd := exec.Command("go", "build", "-o", build.path, "github.com/ledgerline/ledgerline/cmd/ledgerline")
		if out, err := cmd.CombinedOutput(); err != nil {
			build.err = fmt.Errorf("go build ./cmd/ledgerline: %w\n%s", err, out)
			return
		}
		t.Logf("built %s in %s", build.path, time.Since(start).Round(time.Millisecond))
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.path
}
