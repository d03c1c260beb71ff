package textnorm

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Quiet returns the quiet form of s.
func Quiet(s string) string { return string(AppendQuiet(nil, s)) }

// Loose returns the loose form of s.
func Loose(s string) string { return string(AppendLoose(nil, s)) }

// AppendQuiet appends the quiet form of s to dst.
func AppendQuiet(dst []byte, s string) []byte { return appendFolded(dst, s, false) }

// AppendLoose appends the loose form of s to dst.
func AppendLoose(dst []byte, s string) []byte { return appendFolded(dst, s, true) }

// folder accumulates folded runes, collapsing spaces.
type folder struct {
	dst   []byte
	loose bool
	space bool // the last byte written is a space, or nothing was written
}

func appendFolded(dst []byte, s string, loose bool) []byte {
	f := folder{dst: dst, loose: loose, space: true}
	start := len(dst)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			f.ascii(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if rep, ok := foldSpecial(r); ok {
			for j := 0; j < len(rep); j++ {
				f.ascii(rep[j])
			}
		} else if d := norm.NFKD.PropertiesString(s[i:]).Decomposition(); d != nil {
			for len(d) > 0 {
				dr, n := utf8.DecodeRune(d)
				d = d[n:]
				if rep, ok := foldSpecial(dr); ok {
					for j := 0; j < len(rep); j++ {
						f.ascii(rep[j])
					}
					continue
				}
				f.rune(dr)
			}
		} else {
			f.rune(r)
		}
		i += size
	}
	out := f.dst
	if len(out) > start && out[len(out)-1] == ' ' {
		out = out[:len(out)-1]
	}
	return out
}

func (f *folder) ascii(c byte) {
	switch {
	case c == '\'' || c == '`':
		return
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
		f.sp()
		return
	case 'A' <= c && c <= 'Z':
		c += 'a' - 'A'
	case c < 0x20 || c == 0x7f:
		return
	case f.loose && c == '&':
		f.sp()
		f.dst = append(f.dst, "and"...)
		f.space = false
		f.sp()
		return
	case f.loose && c == '.':
		return
	case f.loose && !('a' <= c && c <= 'z') && !('0' <= c && c <= '9'):
		f.sp()
		return
	}
	f.dst = append(f.dst, c)
	f.space = false
}

func (f *folder) rune(r rune) {
	if r < utf8.RuneSelf {
		f.ascii(byte(r))
		return
	}
	switch {
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r):
		return
	case unicode.IsSpace(r):
		f.sp()
		return
	case f.loose && (unicode.IsPunct(r) || unicode.IsSymbol(r)):
		f.sp()
		return
	}
	f.dst = utf8.AppendRune(f.dst, unicode.ToLower(r))
	f.space = false
}

func (f *folder) sp() {
	if !f.space {
		f.dst = append(f.dst, ' ')
		f.space = true
	}
}

// foldSpecial maps runes that NFKD leaves alone, or decomposes unhelpfully,
// to an ASCII replacement (empty to drop the rune).
func foldSpecial(r rune) (string, bool) {
	switch r {
	case 'ø', 'Ø':
		return "o", true
	case 'æ', 'Æ':
		return "ae", true
	case 'œ', 'Œ':
		return "oe", true
	case 'ß', 'ẞ':
		return "ss", true
	case 'đ', 'Đ', 'ð', 'Ð':
		return "d", true
	case 'ł', 'Ł':
		return "l", true
	case 'þ', 'Þ':
		return "th", true
	case 'ı':
		return "i", true
	case 'ħ', 'Ħ':
		return "h", true
	case 'ŧ', 'Ŧ':
		return "t", true
	// Apostrophe spellings: right and left single quotation marks,
	// acute and grave accents used as apostrophes, modifier letter
	// apostrophe and turned comma, prime, reversed-9 quotation mark.
	case '’', '‘', '´', 'ʼ', 'ʻ', '′', '‛', 'ʹ':
		return "", true
	case '“', '”', '„', '‟', '«', '»', '″':
		return `"`, true
	case '‐', '‑', '‒', '–', '—', '―', '−':
		return "-", true
	case '\u00a0', '\u2007', '\u202f':
		return " ", true
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return "", true
	}
	return "", false
}
