package validate

import (
	"fmt"
	"strings"
	"time"
)

// timestampLayouts are the date-time forms ParseTimestamp accepts.
var timestampLayouts = [...]string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

// ParseTimestamp parses a point in time: RFC 3339 (2023-01-01T10:00:00Z,
// with any offset), the same with a space for the T, or without an offset
// (read as UTC). A value without a time of day is read by ParseDate and
// gives the first day it covers, at UTC midnight. The error wraps ErrEmpty,
// ErrSyntax or ErrRange.
func ParseTimestamp(s string) (time.Time, error) {
	s = trim(s)
	if s == "" {
		return time.Time{}, ErrEmpty
	}
	if !strings.Contains(s, ":") {
		first, _, err := ParseDate(s, "")
		return first, err
	}
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if y := t.UTC().Year(); y < minYear || y > maxYear {
				return time.Time{}, fmt.Errorf("%w: timestamp %q has year %d, outside %d..%d", ErrRange, s, y, minYear, maxYear)
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: timestamp %q is not RFC 3339 (2006-01-02T15:04:05Z) or a date", ErrSyntax, s)
}
