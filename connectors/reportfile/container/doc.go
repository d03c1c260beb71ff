// Package container unwraps compressed report files: it detects gzip and
// zip input from their magic bytes and returns a stream of the payload,
// counting the raw bytes consumed for progress reporting.
//
// Gzip input is streamed. Zip input needs random access to the central
// directory, so it is accepted only when the reader also implements
// io.ReaderAt and either has a Size() int64 method (bytes.Reader,
// strings.Reader, io.SectionReader) or is an *os.File.
package container
