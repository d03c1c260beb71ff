package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The folders of deployment files the tests read.
var deployDirs = []string{"docker", "k8s", "monitoring"}

// doc is one YAML document, decoded into generic maps.
type doc = map[string]any

// readYAML returns the documents of a YAML file.
func readYAML(t *testing.T, path string) []doc {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []doc
	for {
		var d doc
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if d != nil {
			docs = append(docs, d)
		}
	}
}

// k8sObjects returns the objects of the YAML files of dir, by kind and
// name.
func k8sObjects(t *testing.T, dir string) map[string]doc {
	t.Helper()
	objs := map[string]doc{}
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		for _, d := range readYAML(t, p) {
			kind, _ := d["kind"].(string)
			name, _ := get(d, "metadata", "name").(string)
			if kind == "" || name == "" {
				continue // kustomization.yaml
			}
			objs[kind+"/"+name] = d
		}
	}
	return objs
}

// object returns the object of kind and name, failing the test if it is
// missing.
func object(t *testing.T, objs map[string]doc, kind, name string) doc {
	t.Helper()
	d, ok := objs[kind+"/"+name]
	if !ok {
		t.Fatalf("no %s named %s", kind, name)
	}
	return d
}

// get follows a path of map keys and list indexes (ints) through a
// decoded document; nil if any step is missing.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func list(v any) []any { l, _ := v.([]any); return l }

func str(v any) string { s, _ := v.(string); return s }

func TestEveryFileParses(t *testing.T) {
	n := 0
	for _, dir := range deployDirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch filepath.Ext(path) {
			case ".yaml", ".yml":
				n++
				if docs := readYAML(t, path); len(docs) == 0 {
					t.Errorf("%s: no YAML document", path)
				}
			case ".json":
				n++
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				var v any
				if err := json.Unmarshal(b, &v); err != nil {
					t.Errorf("%s: %v", path, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 10 {
		t.Fatalf("only %d YAML and JSON files found", n)
	}
}

func TestKustomizationsListExistingFiles(t *testing.T) {
	for _, dir := range []string{"k8s", "monitoring"} {
		docs := readYAML(t, filepath.Join(dir, "kustomization.yaml"))
		var files []string
		for _, r := range list(docs[0]["resources"]) {
			files = append(files, str(r))
		}
		for _, g := range list(docs[0]["configMapGenerator"]) {
			for _, f := range list(get(g, "files")) {
				_, path, _ := strings.Cut(str(f), "=")
				files = append(files, path)
			}
		}
		if len(files) == 0 {
			t.Errorf("%s/kustomization.yaml lists nothing", dir)
		}
		for _, f := range files {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s/kustomization.yaml: %v", dir, err)
			}
		}
		// Every manifest of the folder is deployed.
		paths, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, p := range paths {
			base := filepath.Base(p)
			if base == "kustomization.yaml" {
				continue
			}
			found := false
			for _, f := range files {
				found = found || f == base
			}
			if !found {
				t.Errorf("%s is not in %s/kustomization.yaml", p, dir)
			}
		}
	}
}
