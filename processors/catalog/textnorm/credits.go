package textnorm

import "strings"

// Credits are parsed display artists.
type Credits struct {
	Primary  []Part // main artists in order
	Featured []Part // artists after a featuring word in the artist field
}

// ParseCredits parses a display artist list. Each entry may itself name
// several artists joined by ",", ";", "&", "and", "+", "/", "vs", "x" or
// "×"; names after "feat.", "ft." or "featuring" within an entry are
// featured. Both sides of a comparison are split the same way, so a name
// that contains a joiner ("Simon & Garfunkel") compares equal to itself.
func ParseCredits(artists []string) Credits {
	var c Credits
	for _, a := range artists {
		q := Quiet(a)
		main, feat := q, ""
		for _, m := range []string{" feat. ", " feat ", " ft. ", " ft ", " featuring "} {
			if i := strings.Index(q, m); i >= 0 {
				main, feat = q[:i], q[i+len(m):]
				break
			}
		}
		c.Primary = splitNames(c.Primary, main)
		c.Featured = splitNames(c.Featured, feat)
	}
	return c
}

// All returns primary then featured names.
func (c Credits) All() []Part {
	out := make([]Part, 0, len(c.Primary)+len(c.Featured))
	return append(append(out, c.Primary...), c.Featured...)
}

// splitNames appends the names of the quiet string s, split at joiners.
func splitNames(dst []Part, s string) []Part {
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			name := strings.Join(cur, " ")
			if p := newPart(name); p.Loose != "" {
				dst = append(dst, p)
			}
			cur = cur[:0]
		}
	}
	for tok := range strings.FieldsSeq(s) {
		end := false
		for len(tok) > 0 && (tok[len(tok)-1] == ',' || tok[len(tok)-1] == ';') {
			tok, end = tok[:len(tok)-1], true
		}
		switch tok {
		case "&", "and", "+", "/", "vs", "vs.", "x", "×":
			flush()
			continue
		case "feat", "feat.", "ft", "ft.", "featuring":
			flush()
			continue
		}
		if tok != "" {
			cur = append(cur, tok)
		}
		if end {
			flush()
		}
	}
	flush()
	return dst
}
