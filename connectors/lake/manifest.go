package lake

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// Manifest is the state of one lake partition: the data files a reader must
// read, and nothing else. Every version is a separate, immutable object
// "<partition>/_manifest/<version, 20 digits>.json"; the highest version is
// the current state.
type Manifest struct {
	Format    int               `json:"format"`
	Version   int64             `json:"version"`
	Partition string            `json:"partition"`
	Values    map[string]string `json:"values,omitempty"` // unescaped partition values
	// LastAppend is when the sink last added data; compaction waits until
	// it is CompactAfter in the past.
	LastAppend time.Time   `json:"last_append"`
	Files      []FileEntry `json:"files"`
	// HighWater maps "topic/partition" to the highest Kafka offset of that
	// partition whose event is in this lake partition (in a live file or in
	// one compacted into a live file). It is the replay fence: the sink
	// never adds an event at or below it.
	HighWater map[string]int64 `json:"high_water,omitempty"`
	// Replaced lists files compacted away, to be deleted once
	// RetainReplaced has passed so that readers of older versions can
	// finish.
	Replaced []Replaced `json:"replaced,omitempty"`
}

// FileEntry is a live data file of a partition.
type FileEntry struct {
	Name    string    `json:"name"` // base name within the partition
	Size    int64     `json:"size"`
	Rows    int64     `json:"rows"`
	Created time.Time `json:"created"`
}

// Replaced is a file no longer live since At.
type Replaced struct {
	Name string    `json:"name"`
	At   time.Time `json:"at"`
}

func sourceKey(topic string, partition int32) string {
	return topic + "/" + strconv.FormatInt(int64(partition), 10)
}

func (m *Manifest) clone() *Manifest {
	c := *m
	c.Values = maps.Clone(m.Values)
	c.Files = slices.Clone(m.Files)
	c.HighWater = maps.Clone(m.HighWater)
	c.Replaced = slices.Clone(m.Replaced)
	return &c
}

func (m *Manifest) has(name string) bool {
	return slices.ContainsFunc(m.Files, func(f FileEntry) bool { return f.Name == name })
}

// highWater returns the fence for a Kafka partition, -1 when none.
func (m *Manifest) highWater(topic string, partition int32) int64 {
	if hw, ok := m.HighWater[sourceKey(topic, partition)]; ok {
		return hw
	}
	return -1
}

// Rows is the number of rows in the live files.
func (m *Manifest) Rows() int64 {
	var n int64
	for _, f := range m.Files {
		n += f.Rows
	}
	return n
}

const manifestDir = "_manifest"

func manifestName(partition string, version int64) string {
	return partition + "/" + manifestDir + "/" + fmt.Sprintf("%020d.json", version)
}

func parseManifestVersion(base string) (int64, bool) {
	if len(base) != 25 || base[20:] != ".json" {
		return 0, false
	}
	for i := range 20 {
		if base[i] < '0' || base[i] > '9' { // ParseInt would accept a sign
			return 0, false
		}
	}
	v, err := strconv.ParseInt(base[:20], 10, 64)
	return v, err == nil && v > 0
}

func encodeManifest(m *Manifest) ([]byte, error) {
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return nil, fmt.Errorf("lake: encode manifest: %w", err)
	}
	return append(data, '\n'), nil
}

func decodeManifest(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("lake: parse manifest: %w", err)
	}
	if m.Format != formatVersion {
		return nil, fmt.Errorf("lake: manifest format %d not supported", m.Format)
	}
	return &m, nil
}
