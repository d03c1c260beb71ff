package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("ingest: %w", err)
	}
	defer f.Close()
	return hashReader(f, path)
}

// hashReader returns the hex SHA-256 and length of what r holds.
func hashReader(r io.Reader, name string) (string, int64, error) {
	h := sha256.New()
	n, err := io.CopyBuffer(h, r, make([]byte, 1<<20))
	if err != nil {
		return "", 0, fmt.Errorf("ingest: hash %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
