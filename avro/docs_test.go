package avro

import (
	"encoding/json"
	"testing"
)

func checkDocs(t *testing.T, file string, raw []byte) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if ns, _ := m["namespace"].(string); ns == "" {
		t.Errorf("%s: no namespace", file)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		rec, ok := v.(map[string]any)
		if !ok {
			if arr, ok := v.([]any); ok {
				for _, e := range arr {
					walk(path, e)
				}
			}
			return
		}
		if rec["type"] == "record" {
			if d, _ := rec["doc"].(string); d == "" {
				t.Errorf("%s: record %s has no doc", file, path)
			}
			fields, _ := rec["fields"].([]any)
			for _, f := range fields {
				fm := f.(map[string]any)
				if d, _ := fm["doc"].(string); d == "" {
					t.Errorf("%s: field %s.%v has no doc", file, path, fm["name"])
				}
				walk(path+"."+fm["name"].(string), fm["type"])
			}
		}
		if items, ok := rec["items"]; ok {
			walk(path, items)
		}
		if typ, ok := rec["type"].(map[string]any); ok {
			walk(path, typ)
		}
	}
	walk(file, m)
}
