package reportfile

import "github.com/ledgerline/ledgerline/connectors/reportfile/linereader"

// DefaultMaxLineBytes bounds a line (and a multi-line quoted row) when
// Options.MaxLineBytes is 0.
const DefaultMaxLineBytes = linereader.DefaultMaxBytes

// Options configures Open.
type Options struct {
	// Profile is "" or "auto" to detect the layout from the header, or a
	// profile name: a tabular profile of Profiles, or "ddex-dsr" (also
	// "ddex-dsr-basic-audio", "ddex-dsr-ugc") for a DSR flat file.
	Profile string
	// Profiles is the set of tabular profiles; nil means the built-in
	// ones.
	Profiles *ProfileSet
	// MaxLineBytes guards against binary garbage: longer lines are cut
	// and reported as malformed rows. 0 means DefaultMaxLineBytes.
	MaxLineBytes int
}
