package lake

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore"
)

// keepManifestVersions is how many manifest versions stay after an update,
// so that a reader that listed the directory a moment ago still finds the
// version it picked.
const keepManifestVersions = 10

// maxManifestAttempts bounds the optimistic-concurrency retries of one
// update; each failed attempt means another writer committed a version.
const maxManifestAttempts = 1000

// errUnchanged, returned by a manifest mutation, means there is nothing to
// write.
var errUnchanged = errors.New("lake: manifest unchanged")

// loadManifest returns the current manifest of a partition (version 0 and
// no files when it has none yet) and the versions present.
func loadManifest(ctx context.Context, st objstore.Store, partition string) (*Manifest, []int64, error) {
	for attempt := 0; ; attempt++ {
		entries, err := st.List(ctx, partition+"/"+manifestDir)
		if err != nil {
			return nil, nil, fmt.Errorf("lake: list manifests of %s: %w", partition, err)
		}
		var versions []int64
		for _, e := range entries {
			if v, ok := parseManifestVersion(e.Name); ok && !e.Dir {
				versions = append(versions, v)
			}
		}
		if len(versions) == 0 {
			return &Manifest{Format: formatVersion, Partition: partition}, nil, nil
		}
		latest := versions[len(versions)-1] // List is sorted; names are zero-padded
		data, err := objstore.ReadAll(ctx, st, manifestName(partition, latest))
		if errors.Is(err, fs.ErrNotExist) && attempt < 10 {
			continue // pruned between list and read: a newer version exists
		}
		if err != nil {
			return nil, nil, fmt.Errorf("lake: read manifest %d of %s: %w", latest, partition, err)
		}
		m, err := decodeManifest(data)
		if err != nil {
			return nil, nil, fmt.Errorf("%s version %d: %w", partition, latest, err)
		}
		if m.Version != latest || m.Partition != partition {
			return nil, nil, fmt.Errorf("lake: manifest %d of %s names version %d of %q", latest, partition, m.Version, m.Partition)
		}
		return m, versions, nil
	}
}

// updateManifest applies mutate to the current manifest of a partition and
// publishes the result as the next version with PutIfAbsent, retrying from
// a fresh read when another writer published that version first. mutate
// sees a private copy and may return errUnchanged. The returned manifest is
// the one in effect afterwards.
func updateManifest(ctx context.Context, st objstore.Store, partition string, mutate func(*Manifest) error) (*Manifest, error) {
	for attempt := 0; attempt < maxManifestAttempts; attempt++ {
		cur, versions, err := loadManifest(ctx, st, partition)
		if err != nil {
			return nil, err
		}
		next := cur.clone()
		if err := mutate(next); err != nil {
			if errors.Is(err, errUnchanged) {
				return cur, nil
			}
			return nil, err
		}
		next.Format = formatVersion
		next.Partition = partition
		next.Version = cur.Version + 1
		data, err := encodeManifest(next)
		if err != nil {
			return nil, err
		}
		err = st.PutIfAbsent(ctx, manifestName(partition, next.Version), data)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("lake: publish manifest %d of %s: %w", next.Version, partition, err)
		}
		pruneManifests(ctx, st, partition, versions, next.Version)
		return next, nil
	}
	return nil, fmt.Errorf("lake: manifest of %s: gave up after %d concurrent updates", partition, maxManifestAttempts)
}

// pruneManifests deletes versions that fell out of the retained window. It
// is best effort: a version left behind is deleted by a later update or by
// maintenance, and readers only ever use the highest version.
func pruneManifests(ctx context.Context, st objstore.Store, partition string, versions []int64, current int64) {
	for _, v := range versions {
		if v > current-keepManifestVersions {
			break
		}
		if err := st.Delete(ctx, manifestName(partition, v)); err != nil {
			return
		}
	}
}
