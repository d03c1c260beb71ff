// Package linereader splits decoded text into physical lines. It accepts
// LF and CRLF terminators and a missing final terminator, numbers the
// lines from 1, bounds the length of a line, and repairs bytes that are not
// valid UTF-8 by reading them as Windows-1252.
package linereader
