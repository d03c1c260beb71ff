package validate

import "strings"

// timeSuffix reports whether s is empty or a time of day that may follow a
// date: "T00:00:00Z", " 12:00:00 AM", "T23:59:59.999+01:00", "T150926".
func timeSuffix(s string) bool {
	if s == "" {
		return true
	}
	d := dateScan{s: s}
	switch d.peek() {
	case 'T', 't':
		d.i++
	case ' ':
		d.skip(" ")
	default:
		return false
	}
	h, n := d.number()
	var m, sec int
	switch {
	case n == 6 && d.peek() != ':': // basic format hhmmss
		h, m, sec = h/10000, h/100%100, h%100
	case n == 1 || n == 2:
		if d.peek() != ':' {
			return false
		}
		d.i++
		var k int
		if m, k = d.number(); k != 2 {
			return false
		}
		if d.peek() == ':' {
			d.i++
			if sec, k = d.number(); k != 2 {
				return false
			}
			if c := d.peek(); c == '.' || c == ',' {
				d.i++
				if _, k = d.number(); k == 0 {
					return false
				}
			}
		}
	default:
		return false
	}
	if m > 59 || sec > 60 {
		return false
	}
	d.skip(" ")
	if w := d.word(); w != "" {
		switch strings.ToUpper(w) {
		case "AM", "PM":
			if h < 1 || h > 12 {
				return false
			}
			d.skip(" ")
			w = d.word()
		}
		switch w {
		case "", "Z", "UTC", "GMT":
		default:
			return false
		}
	}
	if h > 23 {
		return false
	}
	if c := d.peek(); c == '+' || c == '-' {
		d.i++
		oh, k := d.number()
		switch {
		case k == 4:
			oh /= 100
		case k == 2:
			if d.peek() == ':' {
				d.i++
				if _, k = d.number(); k != 2 {
					return false
				}
			}
		default:
			return false
		}
		if oh > 14 {
			return false
		}
	}
	return d.done()
}
