// Package textdecode detects the character encoding of a report (byte
// order marks, UTF-16 without a mark, UTF-8, Windows-1252) and turns it
// into a stream of UTF-8 text using golang.org/x/text. It also rejects
// input that is binary rather than text.
package textdecode
