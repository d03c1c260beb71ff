package realdata

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// Dir returns the sample folder, or skips the test when it is absent.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := Find()
	if err != nil {
		t.Skipf("public sample reports not available: %v", err)
	}
	return dir
}

// Find returns the sample folder: ../shared/realdata relative to the
// directory holding go.mod, found by walking up from the working
// directory.
func Find() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			samples := filepath.Join(dir, "..", "shared", "realdata")
			st, err := os.Stat(samples)
			if err != nil {
				return "", err
			}
			if !st.IsDir() {
				return "", errors.New(samples + " is not a directory")
			}
			return filepath.Clean(samples), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above " + wd)
		}
		dir = parent
	}
}

// Files returns the sample report files (every regular file except
// SOURCES.md), sorted, or skips the test when the folder is absent.
func Files(t testing.TB) []string {
	t.Helper()
	dir := Dir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && e.Name() != "SOURCES.md" {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Skipf("no sample report in %s", dir)
	}
	return out
}
