package textdecode

// Encoding names reported by Decode. Other single-byte encodings are
// reported under their WHATWG name ("iso-8859-2", "windows-1250", ...).
const (
	UTF8        = "utf-8"
	UTF8BOM     = "utf-8-bom"
	UTF16LE     = "utf-16le"
	UTF16BE     = "utf-16be"
	UTF32LE     = "utf-32le"
	UTF32BE     = "utf-32be"
	Windows1252 = "windows-1252"
)
