package dsr

import "bytes"

// splitCells splits a line on tabs that are not escaped with a backslash.
// The cells keep their escapes.
func splitCells(line []byte, cells [][]byte) [][]byte {
	cells = cells[:0]
	if bytes.IndexByte(line, '\\') < 0 {
		for {
			i := bytes.IndexByte(line, '\t')
			if i < 0 {
				return append(cells, line)
			}
			cells = append(cells, line[:i])
			line = line[i+1:]
		}
	}
	start := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '\t':
			cells = append(cells, line[start:i])
			start = i + 1
		}
	}
	return append(cells, line[start:])
}

// appendUnescaped appends cell to dst with the escapes \\, \| and
// backslash-tab undone. Other backslashes are kept as written.
func appendUnescaped(dst, cell []byte) []byte {
	if bytes.IndexByte(cell, '\\') < 0 {
		return append(dst, cell...)
	}
	for i := 0; i < len(cell); i++ {
		c := cell[i]
		if c == '\\' && i+1 < len(cell) {
			switch n := cell[i+1]; n {
			case '\\', '|', '\t':
				dst = append(dst, n)
				i++
				continue
			}
		}
		dst = append(dst, c)
	}
	return dst
}

// unescape returns cell with its escapes undone, as a new string.
func unescape(cell []byte) string {
	if bytes.IndexByte(cell, '\\') < 0 {
		return string(cell)
	}
	return string(appendUnescaped(nil, cell))
}
