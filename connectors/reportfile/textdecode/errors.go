package textdecode

import "errors"

// Errors returned by Decode, wrapped with details.
var (
	// ErrEmpty means the input holds no bytes at all.
	ErrEmpty = errors.New("empty file")
	// ErrBinary means the input is binary data, not text.
	ErrBinary = errors.New("binary data, not a text report")
	// ErrUnknownEncoding means a declared encoding name is not known.
	ErrUnknownEncoding = errors.New("unknown encoding")
)
