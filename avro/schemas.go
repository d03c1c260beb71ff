package avro

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
)

//go:embed schemas/*.avsc
var schemaFiles embed.FS

// Full names of the record schemas ledgerline writes.
const (
	NameUsageEvent            = "io.ledgerline.usage.UsageEvent"
	NameEnrichedUsageEvent    = "io.ledgerline.usage.EnrichedUsageEvent"
	NameCatalogRecord         = "io.ledgerline.catalog.CatalogRecord"
	NameDriftAlert            = "io.ledgerline.drift.DriftAlert"
	NameDeadLetter            = "io.ledgerline.deadletter.DeadLetter"
	NameReconciliationFinding = "io.ledgerline.reconciliation.ReconciliationFinding"
	NameIngestLedgerEntry     = "io.ledgerline.ingest.IngestLedgerEntry"
	NameSyncCheckpoint        = "io.ledgerline.apipoll.SyncCheckpoint"
)

// SchemaSource is one embedded schema file.
type SchemaSource struct {
	File string // file name under schemas/
	Name string // full name of the top-level record
	JSON string // the schema with references to other embedded records inlined
}

// EmbeddedSchemas returns the current schemas, sorted by full name, with
// references to records defined in other files inlined so each stands alone.
func EmbeddedSchemas() ([]SchemaSource, error) {
	entries, err := schemaFiles.ReadDir("schemas")
	if err != nil {
		return nil, fmt.Errorf("avro: read embedded schemas: %w", err)
	}
	raw := map[string]map[string]any{} // full name -> parsed schema
	files := map[string]string{}
	for _, e := range entries {
		b, err := schemaFiles.ReadFile(path.Join("schemas", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("avro: read %s: %w", e.Name(), err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("avro: parse %s: %w", e.Name(), err)
		}
		full := fullName(m, "")
		raw[full] = m
		files[full] = e.Name()
	}
	out := make([]SchemaSource, 0, len(raw))
	for full, m := range raw {
		inlined := inlineRefs(m, raw, fullNamespace(full), map[string]bool{full: true})
		b, err := json.Marshal(inlined)
		if err != nil {
			return nil, fmt.Errorf("avro: encode %s: %w", full, err)
		}
		out = append(out, SchemaSource{File: files[full], Name: full, JSON: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func fullName(m map[string]any, enclosingNS string) string {
	name, _ := m["name"].(string)
	if strings.Contains(name, ".") {
		return name
	}
	ns, _ := m["namespace"].(string)
	if ns == "" {
		ns = enclosingNS
	}
	if ns == "" {
		return name
	}
	return ns + "." + name
}

func fullNamespace(full string) string {
	if i := strings.LastIndexByte(full, '.'); i >= 0 {
		return full[:i]
	}
	return ""
}

// inlineRefs replaces the first use of a named type defined in another
// embedded file with that type's definition. seen tracks names already
// defined in the schema being built, which Avro forbids defining twice.
func inlineRefs(v any, all map[string]map[string]any, ns string, seen map[string]bool) any {
	switch t := v.(type) {
	case string:
		ref := t
		if !strings.Contains(ref, ".") && ns != "" {
			ref = ns + "." + ref
		}
		if def, ok := all[ref]; ok && !seen[ref] {
			seen[ref] = true
			return inlineRefs(def, all, fullNamespace(ref), seen)
		}
		return t
	case map[string]any:
		innerNS := ns
		if _, named := t["name"]; named && (t["type"] == "record" || t["type"] == "enum" || t["type"] == "fixed") {
			full := fullName(t, ns)
			seen[full] = true
			innerNS = fullNamespace(full)
		}
		out := make(map[string]any, len(t))
		for k, val := range t {
			switch k {
			case "type", "items", "values", "fields":
				out[k] = inlineRefs(val, all, innerNS, seen)
			default:
				out[k] = val
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = inlineRefs(val, all, ns, seen)
		}
		return out
	}
	return v
}
