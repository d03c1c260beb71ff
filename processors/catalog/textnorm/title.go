package textnorm

import "strings"

// Title is a parsed title.
type Title struct {
	Base     Part   // the title without version suffixes or featured artists
	Versions []Part // version suffixes in order, without brackets, unique by loose form
	Featured []Part // artists credited in the title ("feat. X"), in order
}

// ParseTitle parses title and an optional separate version title (the
// catalog's and the reports' version_title field), which is added to the
// versions found in the title itself.
func ParseTitle(title string, version *string) Title {
	var t Title
	rest := Quiet(title)
	var versions, featured [][]Part // groups found right to left
	for {
		inner, before, ok := peelSuffix(rest)
		if !ok {
			if names, before, ok := splitInlineFeat(rest); ok {
				featured = append(featured, names)
				rest = before
				continue
			}
			break
		}
		loose := Loose(inner)
		if names, ok := featNames(inner, loose); ok {
			featured = append(featured, names)
		} else if IsVersion(loose) {
			versions = append(versions, []Part{{Quiet: inner, Loose: loose}})
		} else {
			break
		}
		rest = before
	}
	t.Base = newPart(rest)
	for i := len(versions) - 1; i >= 0; i-- {
		for _, p := range versions[i] {
			t.Versions = appendUnique(t.Versions, p)
		}
	}
	if version != nil {
		v := strings.TrimSpace(Quiet(*version))
		v = strings.TrimSpace(strings.Trim(v, "()[]{}"))
		if v != "" {
			t.Versions = appendUnique(t.Versions, newPart(v))
		}
	}
	for i := len(featured) - 1; i >= 0; i-- {
		t.Featured = append(t.Featured, featured[i]...)
	}
	return t
}

// peelSuffix splits a trailing bracketed group or " - " suffix off the
// quiet string s, returning the suffix's content and what precedes it.
func peelSuffix(s string) (inner, before string, ok bool) {
	if s == "" {
		return "", "", false
	}
	if close := s[len(s)-1]; close == ')' || close == ']' || close == '}' {
		open := openingBracket(s)
		if open <= 0 {
			return "", "", false
		}
		return strings.TrimSpace(s[open+1 : len(s)-1]), strings.TrimSpace(s[:open]), true
	}
	i := strings.LastIndex(s, " - ")
	if i <= 0 {
		return "", "", false
	}
	tail := strings.TrimSpace(s[i+3:])
	if !IsVersion(Loose(tail)) {
		if _, ok := featNames(tail, Loose(tail)); !ok {
			return "", "", false
		}
	}
	return tail, strings.TrimSpace(s[:i]), true
}

// openingBracket returns the index of the bracket opening the group that
// closes at the end of s, or -1.
func openingBracket(s string) int {
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')', ']', '}':
			depth++
		case '(', '[', '{':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// featNames returns the artists named by a suffix that starts with a
// featuring word ("feat. a & b").
func featNames(quiet, loose string) ([]Part, bool) {
	first, _, _ := strings.Cut(loose, " ")
	if !isFeatWord(first) {
		return nil, false
	}
	_, after, _ := strings.Cut(quiet, " ")
	names := splitNames(nil, after)
	return names, len(names) > 0
}

// splitInlineFeat splits "title feat. x" (without brackets) into the
// featured names and the title before them. Only the unambiguous markers
// "feat", "feat." "ft." and "featuring" are recognised here.
func splitInlineFeat(s string) ([]Part, string, bool) {
	for _, m := range []string{" feat. ", " feat ", " ft. ", " featuring "} {
		if i := strings.Index(s, m); i > 0 {
			names := splitNames(nil, s[i+len(m):])
			if len(names) == 0 {
				return nil, "", false
			}
			return names, strings.TrimSpace(s[:i]), true
		}
	}
	return nil, "", false
}
