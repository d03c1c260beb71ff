package textnorm

import "strings"

// versionWords mark a bracketed or dashed suffix as a version of the
// recording. The value tells whether the word names an edition of the same
// recording (true: remaster, mono, explicit, ...) rather than different
// audio (false: live, remix, radio edit, ...).
var versionWords = map[string]bool{
	"remaster": true, "remastered": true, "remasterd": true, "digitally": true,
	"digital": true, "mono": true, "stereo": true, "explicit": true,
	"clean": true, "album": true, "single": true, "version": true,
	"original": true, "deluxe": true, "edition": true, "bonus": true,
	"track": true, "anniversary": true, "mastered": true,

	"mix": false, "remix": false, "edit": false, "live": false,
	"acoustic": false, "demo": false, "instrumental": false, "radio": false,
	"extended": false, "unplugged": false, "acapella": false,
	"cappella": false, "reprise": false, "rework": false, "dub": false,
	"vip": false, "club": false,
	"take": false, "orchestral": false, "karaoke": false, "sped": false,
	"slowed": false, "rerecorded": false, "recorded": false, "stripped": false,
	"piano": false, "dance": false,
}

// featWords introduce featured artists.
var featWords = map[string]bool{"feat": true, "ft": true, "featuring": true, "with": true}

// isYear reports whether tok is a four-digit year 1900-2099.
func isYear(tok string) bool {
	return len(tok) == 4 && (tok[:2] == "19" || tok[:2] == "20") &&
		tok[2] >= '0' && tok[2] <= '9' && tok[3] >= '0' && tok[3] <= '9'
}

// IsVersion reports whether the loose string s reads as a version suffix:
// it contains a version word or a year.
func IsVersion(loose string) bool {
	for tok := range strings.FieldsSeq(loose) {
		if _, ok := versionWords[tok]; ok || isYear(tok) || strings.HasSuffix(tok, "mix") {
			return true
		}
	}
	return false
}

// IsEdition reports whether the loose version suffix s names only an
// edition of the same audio (remaster, mono, explicit, a year, ...), not
// different audio (live, remix, edit, ...).
func IsEdition(loose string) bool {
	found := false
	for tok := range strings.FieldsSeq(loose) {
		edition, ok := versionWords[tok]
		switch {
		case ok && !edition:
			return false
		case !ok && strings.HasSuffix(tok, "mix"):
			return false
		case ok, isYear(tok):
			found = true
		}
	}
	return found
}
