package profile

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

//go:embed builtin/*.json
var builtinFS embed.FS

// Parse reads one profile, or a JSON list of profiles, and validates
// them. Unknown keys are errors, so typing mistakes do not go unnoticed.
func Parse(data []byte) ([]*Profile, error) {
	data = bytes.TrimSpace(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var list []*Profile
	if len(data) > 0 && data[0] == '[' {
		if err := dec.Decode(&list); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
	} else {
		var p Profile
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		list = []*Profile{&p}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: data after the JSON value", ErrInvalid)
	}
	for i, p := range list {
		if p == nil {
			return nil, fmt.Errorf("%w: profile %d is null", ErrInvalid, i)
		}
		if err := p.Validate(); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// Builtin returns the profiles embedded in the package.
func Builtin() (*Set, error) {
	return loadFS(builtinFS, "builtin")
}

func loadFS(fsys fs.FS, dir string) (*Set, error) {
	names, err := fs.Glob(fsys, dir+"/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all []*Profile
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ps, err := Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		all = append(all, ps...)
	}
	return NewSet(all...)
}

// Load reads the profile file at path, or every *.json file of the
// directory at path, and returns base with them added. A loaded profile
// replaces a profile of base with the same name, and loaded profiles are
// preferred over base when two match a header equally well. base may be
// nil.
func Load(path string, base *Set) (*Set, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("load profiles: %w", err)
	}
	files := []string{path}
	if st.IsDir() {
		files, err = filepath.Glob(filepath.Join(path, "*.json"))
		if err != nil {
			return nil, fmt.Errorf("load profiles: %w", err)
		}
		sort.Strings(files)
		if len(files) == 0 {
			return nil, fmt.Errorf("load profiles: no *.json file in %s", path)
		}
	}
	var loaded []*Profile
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("load profiles: %w", err)
		}
		ps, err := Parse(data)
		if err != nil {
			return nil, fmt.Errorf("load profiles: %s: %w", f, err)
		}
		loaded = append(loaded, ps...)
	}
	if base == nil {
		return NewSet(loaded...)
	}
	return base.With(loaded...)
}
