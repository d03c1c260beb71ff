package textdecode

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

var (
	bomUTF8    = []byte{0xef, 0xbb, 0xbf}
	bomUTF16LE = []byte{0xff, 0xfe}
	bomUTF16BE = []byte{0xfe, 0xff}
	bomUTF32LE = []byte{0xff, 0xfe, 0x00, 0x00}
	bomUTF32BE = []byte{0x00, 0x00, 0xfe, 0xff}
)

// sniffBOM returns the encoding named by a byte order mark at the start of
// head and the mark's length, or "" and 0.
func sniffBOM(head []byte) (string, int) {
	switch {
	case bytes.HasPrefix(head, bomUTF32LE):
		return UTF32LE, 4
	case bytes.HasPrefix(head, bomUTF32BE):
		return UTF32BE, 4
	case bytes.HasPrefix(head, bomUTF8):
		return UTF8BOM, 3
	case bytes.HasPrefix(head, bomUTF16LE):
		return UTF16LE, 2
	case bytes.HasPrefix(head, bomUTF16BE):
		return UTF16BE, 2
	}
	return "", 0
}

// sniffUTF16 recognises mostly-ASCII UTF-16 text without a byte order mark
// by its pattern of zero bytes.
func sniffUTF16(head []byte) string {
	n := min(len(head), 1024) &^ 1
	if n < 8 {
		return ""
	}
	var evenZero, oddZero int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			evenZero++
		}
		if head[i+1] == 0 {
			oddZero++
		}
	}
	pairs := n / 2
	switch {
	case oddZero*10 > pairs*7 && evenZero*20 < pairs:
		return UTF16LE
	case evenZero*10 > pairs*7 && oddZero*20 < pairs:
		return UTF16BE
	}
	return ""
}

// validUTF8Prefix reports whether head is valid UTF-8, ignoring a rune cut
// off at the end when more input follows.
func validUTF8Prefix(head []byte, atEOF bool) bool {
	if !atEOF {
		for i := len(head) - 1; i >= 0 && i >= len(head)-utf8.UTFMax; i-- {
			if utf8.RuneStart(head[i]) {
				if !utf8.FullRune(head[i:]) {
					head = head[:i]
				}
				break
			}
		}
	}
	return utf8.Valid(head)
}

// binaryReason explains why decoded text looks binary, or returns "".
func binaryReason(text []byte) string {
	if i := bytes.IndexByte(text, 0); i >= 0 {
		return "NUL byte at offset " + strconv.Itoa(i) + " of the decoded text"
	}
	controls, first := 0, -1
	for i, c := range text {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1a {
			if first < 0 {
				first = i
			}
			controls++
		}
	}
	if controls > max(2, len(text)/100) {
		return strconv.Itoa(controls) + " control characters in the first " + strconv.Itoa(len(text)) + " bytes (first at offset " + strconv.Itoa(first) + ")"
	}
	return ""
}
