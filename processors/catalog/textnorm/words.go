package textnorm

import "strings"

// versionWord reports whether tok marks a bracketed or dashed suffix as a
// version of the recording, and whether it names an edition of the same
// audio (remaster, mono, explicit, ...) rather than different audio
// (live, remix, radio edit, ...).
func versionWord(tok string) (version, edition bool) {
	switch tok {
	case "remaster", "remastered", "remasterd", "digitally", "digital", "mono", "stereo",
		"explicit", "clean", "album", "single", "version", "original", "deluxe", "edition",
		"bonus", "track", "anniversary", "mastered":
		return true, true
	case "mix", "remix", "edit", "live", "acoustic", "demo", "instrumental", "radio",
		"extended", "unplugged", "acapella", "cappella", "reprise", "rework", "dub", "vip",
		"club", "take", "orchestral", "karaoke", "sped", "slowed", "rerecorded", "recorded",
		"stripped", "piano", "dance":
		return true, false
	}
	return false, false
}

// isFeatWord reports whether tok introduces featured artists.
func isFeatWord(tok string) bool {
	switch tok {
	case "feat", "ft", "featuring", "with":
		return true
	}
	return false
}

// isYear reports whether tok is a four-digit year 1900-2099.
func isYear(tok string) bool {
	return len(tok) == 4 && (tok[:2] == "19" || tok[:2] == "20") &&
		tok[2] >= '0' && tok[2] <= '9' && tok[3] >= '0' && tok[3] <= '9'
}

// IsVersion reports whether the loose string s reads as a version suffix:
// it contains a version word or a year.
func IsVersion(loose string) bool {
	for tok := range strings.FieldsSeq(loose) {
		if v, _ := versionWord(tok); v || isYear(tok) || strings.HasSuffix(tok, "mix") {
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
		version, edition := versionWord(tok)
		switch {
		case version && !edition:
			return false
		case !version && strings.HasSuffix(tok, "mix"):
			return false
		case version, isYear(tok):
			found = true
		}
	}
	return found
}
