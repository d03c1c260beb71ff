// Package textnorm normalises titles and artist credits for comparing
// reported metadata with the catalog.
//
// Two forms of a string are defined:
//
//   - Quiet form: what a person would not call a difference. Compatibility
//     decomposition (NFKD, golang.org/x/text/unicode/norm) with the
//     nonspacing marks (Mn) removed, so "Café" equals "Cafe"; letters that
//     carry no combining mark are folded explicitly (ø→o, æ→ae, œ→oe,
//     ß→ss, đ/ð→d, ł→l, þ→th, ı→i, ħ→h), so "Tøilette" equals "Toilette";
//     lower case; apostrophes in every spelling (' ’ ‘ ` ´ ʼ ′ ʻ ‛) removed,
//     so "don’t" equals "don't" and "dont"; typographic double quotes and
//     dashes folded to '"' and '-'; runs of white space collapsed to one
//     space and trimmed.
//   - Loose form: the quiet form with punctuation and ampersands resolved:
//     '&' becomes the word "and", '.' is dropped (so "R.E.M." equals
//     "REM"), every other punctuation or symbol rune becomes a space.
//     Strings whose loose forms are equal differ only by punctuation.
//
// The Append functions write into a caller's buffer and allocate nothing;
// Quiet and Loose are their string-returning conveniences.
//
// ParseTitle splits a title into its base, its version suffixes
// ("(Remastered 2011)", " - Radio Edit", "[Live]") and featured artists
// ("(feat. X)", " ft. X"); ParseCredits splits display artists into primary
// and featured names. Both sides of a comparison must be parsed with the
// same rules, so the parse is symmetric: a suffix is treated as a version
// only when it contains a version word or a year, otherwise it stays part
// of the base title.
//
// Normalised forms are used as keys in the catalog's title index; a change
// to these rules requires rebuilding that index.
package textnorm
