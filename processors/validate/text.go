package validate

import (
	"strings"
	"unicode/utf8"
)

// trim removes leading and trailing white space, including the no-break
// spaces that spreadsheets leave around values.
func trim(s string) string {
	// Fast path: nothing to trim (the common case) costs two byte tests.
	if s == "" || (s[0] > ' ' && s[0] < utf8.RuneSelf && s[len(s)-1] > ' ' && s[len(s)-1] < utf8.RuneSelf) {
		return s
	}
	return strings.TrimSpace(s)
}

// unwrapCode removes the wrappers that exports put around identifier codes
// to keep spreadsheets from reading them as numbers: surrounding double
// quotes ("880000000001"), a formula (="0880000000001") or a leading
// apostrophe ('0880000000001).
func unwrapCode(s string) string {
	s = trim(s)
	if len(s) >= 3 && s[0] == '=' && s[1] == '"' && s[len(s)-1] == '"' {
		return trim(s[2 : len(s)-1])
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return trim(s[1 : len(s)-1])
	}
	if len(s) >= 2 && s[0] == '\'' {
		return trim(s[1:])
	}
	return s
}

// unquote trims s and removes one pair of surrounding double quotes, which
// some exports put around numbers inside otherwise unquoted cells.
func unquote(s string) string {
	s = trim(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return trim(s[1 : len(s)-1])
	}
	return s
}

// splitArtists splits a display-artist cell on '|', the multi-value
// delimiter of DDEX flat files, trimming each name and dropping empty
// elements. A pipe escaped with a backslash (\|) is part of a name. Commas
// are not delimiters: "Earth, Wind & Fire" is one artist. It returns nil for
// an empty cell.
func splitArtists(s string) []string {
	s = trim(s)
	if s == "" {
		return nil
	}
	if !strings.Contains(s, "|") {
		return []string{s}
	}
	n := strings.Count(s, "|") + 1
	out := make([]string, 0, n)
	escaped := strings.Contains(s, `\|`)
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && (s[i] != '|' || (i > 0 && s[i-1] == '\\')) {
			continue
		}
		part := trim(s[start:i])
		if escaped {
			part = strings.ReplaceAll(part, `\|`, "|")
		}
		if part != "" {
			out = append(out, part)
		}
		start = i + 1
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// foldKey lower-cases the ASCII letters of s and drops spaces, hyphens,
// underscores, dots and slashes, writing into buf; it reports false when s
// does not fit or is not ASCII. The result keys the vocabulary maps of use
// types, commercial models and sale types ("On-Demand Stream" and
// "OnDemandStream" both give "ondemandstream").
func foldKey(buf []byte, s string) ([]byte, bool) {
	buf = buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			return buf, false
		case c == ' ' || c == '-' || c == '_' || c == '.' || c == '/' || c == '\t':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if len(buf) == cap(buf) {
			return buf, false
		}
		buf = append(buf, c)
	}
	return buf, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func isLetter(c byte) bool { return isUpper(c) || ('a' <= c && c <= 'z') }

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
