package lake

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// removeOrphans deletes what a crash can leave in a partition once it is
// older than grace: temporary files, published data files that no manifest
// lists (a writer died between publishing and listing them, or lost the
// fence), and manifest versions older than the retained window. m must
// have been loaded before the listing, so that a file listed in between is
// younger than grace and stays.
func removeOrphans(ctx context.Context, st objstore.Store, partition string, m *Manifest, now time.Time, grace time.Duration) (int, error) {
	replaced := map[string]bool{}
	for _, r := range m.Replaced {
		replaced[r.Name] = true
	}
	entries, err := st.List(ctx, partition)
	if err != nil {
		return 0, fmt.Errorf("lake: list %s: %w", partition, err)
	}
	removed := 0
	for _, e := range entries {
		if e.Dir {
			continue
		}
		old := now.Sub(e.ModTime) >= grace
		orphan := strings.HasPrefix(e.Name, objstore.TempPrefix) ||
			(isDataFile(e.Name) && !m.has(e.Name) && !replaced[e.Name])
		if !orphan || !old {
			continue
		}
		if err := st.Delete(ctx, partition+"/"+e.Name); err != nil {
			return removed, fmt.Errorf("lake: remove orphan %s/%s: %w", partition, e.Name, err)
		}
		removed++
	}
	n, err := removeStaleManifests(ctx, st, partition, m.Version, now, grace)
	return removed + n, err
}

func removeStaleManifests(ctx context.Context, st objstore.Store, partition string, current int64, now time.Time, grace time.Duration) (int, error) {
	dir := partition + "/" + manifestDir
	entries, err := st.List(ctx, dir)
	if err != nil {
		return 0, fmt.Errorf("lake: list %s: %w", dir, err)
	}
	removed := 0
	for _, e := range entries {
		v, isVersion := parseManifestVersion(e.Name)
		stale := (isVersion && v <= current-keepManifestVersions) ||
			(strings.HasPrefix(e.Name, objstore.TempPrefix) && now.Sub(e.ModTime) >= grace)
		if e.Dir || !stale {
			continue
		}
		if err := st.Delete(ctx, dir+"/"+e.Name); err != nil {
			return removed, fmt.Errorf("lake: remove %s/%s: %w", dir, e.Name, err)
		}
		if !isVersion {
			removed++
		}
	}
	return removed, nil
}

// purgeReplaced deletes the files replaced at least retain ago, then drops
// them from the manifest. A crash in between leaves entries whose files are
// gone; the next purge deletes them again (a no-op) and drops them.
func purgeReplaced(ctx context.Context, st objstore.Store, partition string, now time.Time, retain time.Duration) (int, error) {
	m, _, err := loadManifest(ctx, st, partition)
	if err != nil {
		return 0, err
	}
	var due []string
	for _, r := range m.Replaced {
		if now.Sub(r.At) >= retain {
			due = append(due, r.Name)
		}
	}
	if len(due) == 0 {
		return 0, nil
	}
	for _, n := range due {
		if err := st.Delete(ctx, partition+"/"+n); err != nil {
			return 0, fmt.Errorf("lake: delete replaced %s/%s: %w", partition, n, err)
		}
	}
	_, err = updateManifest(ctx, st, partition, func(m *Manifest) error {
		kept := m.Replaced[:0]
		for _, r := range m.Replaced {
			if !contains(due, r.Name) {
				kept = append(kept, r)
			}
		}
		if len(kept) == len(m.Replaced) {
			return errUnchanged
		}
		m.Replaced = kept
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(due), nil
}
