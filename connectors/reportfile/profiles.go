package reportfile

import (
	"strings"

	"github.com/ledgerline/ledgerline/connectors/reportfile/dsr"
	"github.com/ledgerline/ledgerline/connectors/reportfile/profile"
)

// ProfileSet is an ordered set of tabular profiles.
type ProfileSet = profile.Set

// Profile is one tabular layout; see PROFILES.md.
type Profile = profile.Profile

// DSR profile names, reported by Reader.Profile for DDEX DSR flat files
// and accepted in Options.Profile.
const (
	ProfileDSR           = dsr.ProfileGeneric
	ProfileDSRBasicAudio = dsr.ProfileBasicAudio
	ProfileDSRUGC        = dsr.ProfileUGC
)

// BuiltinProfiles returns the built-in tabular profiles.
func BuiltinProfiles() (*ProfileSet, error) {
	return profile.Builtin()
}

// LoadProfiles reads a profile file, or every *.json file of a directory,
// and returns the built-in profiles with them added. A loaded profile
// replaces a built-in profile of the same name and wins ties when two
// profiles match a header equally well.
func LoadProfiles(path string) (*ProfileSet, error) {
	base, err := profile.Builtin()
	if err != nil {
		return nil, err
	}
	return profile.Load(path, base)
}

// isDSRProfile reports whether name selects the DSR reader.
func isDSRProfile(name string) bool {
	return name == ProfileDSR || strings.HasPrefix(name, ProfileDSR+"-")
}
