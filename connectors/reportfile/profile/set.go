package profile

import (
	"fmt"
)

// Set is an ordered collection of profiles with unique names. Earlier
// profiles win ties when matching a header.
type Set struct {
	list []*Profile
}

// NewSet validates the profiles and returns them as a set.
func NewSet(profiles ...*Profile) (*Set, error) {
	seen := map[string]bool{}
	for _, p := range profiles {
		if err := p.Validate(); err != nil {
			return nil, err
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("%w: two profiles are named %q", ErrInvalid, p.Name)
		}
		seen[p.Name] = true
	}
	return &Set{list: append([]*Profile(nil), profiles...)}, nil
}

// With returns a new set holding profiles followed by the profiles of s
// whose names are not among them.
func (s *Set) With(profiles ...*Profile) (*Set, error) {
	names := map[string]bool{}
	for _, p := range profiles {
		names[p.Name] = true
	}
	all := append([]*Profile(nil), profiles...)
	for _, p := range s.list {
		if !names[p.Name] {
			all = append(all, p)
		}
	}
	return NewSet(all...)
}

// Profiles returns the profiles in order.
func (s *Set) Profiles() []*Profile { return s.list }

// Get returns the profile named name, or nil.
func (s *Set) Get(name string) *Profile {
	for _, p := range s.list {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Names returns the profile names in order.
func (s *Set) Names() []string {
	out := make([]string, len(s.list))
	for i, p := range s.list {
		out[i] = p.Name
	}
	return out
}
