package lake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

const (
	dataPrefix    = "part-"
	compactPrefix = "compact-"
	dataSuffix    = ".parquet"
)

// dataFileName is the deterministic name of the file holding the events of
// one Kafka partition's offsets first..last that belong to one lake
// partition. Offsets are zero-padded so names sort by offset.
func dataFileName(topic string, partition int32, first, last int64) string {
	return fmt.Sprintf("%s%s-%d-%020d-%020d%s", dataPrefix, topicTag(topic), partition, first, last, dataSuffix)
}

// compactFileName is the deterministic name of the file that replaces the
// given inputs: redoing an interrupted compaction of the same files
// overwrites the unfinished output instead of adding another.
func compactFileName(inputs []string) string {
	sorted := append([]string(nil), inputs...)
	sort.Strings(sorted)
	sum := sha256.Sum256([]byte(strings.Join(sorted, "\n")))
	return compactPrefix + hex.EncodeToString(sum[:12]) + dataSuffix
}

// topicTag keeps a file name short for long topic names. Topic names only
// use [a-zA-Z0-9._-], which are safe in paths.
func topicTag(topic string) string {
	if len(topic) <= 80 {
		return topic
	}
	sum := sha256.Sum256([]byte(topic))
	return topic[:60] + "~" + hex.EncodeToString(sum[:8])
}

func isDataFile(base string) bool {
	return strings.HasSuffix(base, dataSuffix) && (strings.HasPrefix(base, dataPrefix) || strings.HasPrefix(base, compactPrefix))
}

// publishRecords writes rows (sorting them) as the object name and makes it
// visible atomically. It returns the file size.
func (fw *fileWriter) publish(ctx context.Context, st objstore.Store, name string, rows []record) (int64, error) {
	w, err := st.Create(ctx, name)
	if err != nil {
		return 0, fmt.Errorf("lake: create %s: %w", name, err)
	}
	size, err := fw.writeRecords(w, rows)
	if err != nil {
		_ = w.Abort()
		return 0, fmt.Errorf("lake: write %s: %w", name, err)
	}
	if err := w.Commit(); err != nil {
		return 0, fmt.Errorf("lake: publish %s: %w", name, err)
	}
	return size, nil
}
