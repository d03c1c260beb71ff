package validate

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func isParseError(err error) bool {
	return errors.Is(err, ErrEmpty) || errors.Is(err, ErrSyntax) || errors.Is(err, ErrRange)
}

func formatSplits(in []SplitInput) string {
	parts := make([]string, len(in))
	for i, s := range in {
		parts[i] = s.PartyID + ":" + s.Name + ":" + s.Role + ":" + s.Share
	}
	return strings.Join(parts, "|")
}

// FuzzParseSplits checks that parsed splits have trimmed fields that
// format back to a cell parsing to the same splits, and that one split
// built from the fuzz input round-trips.
func FuzzParseSplits(f *testing.F) {
	for _, s := range []string{
		"IPI:00052210040:A:composer:0.5|IPI:00052210041:B:lyricist:0.5", "p1:Name:composer:1|", " p : n : r : 0.25 | q:m:r:.75",
		":::", "a:b:c", "||", "p:n:r:1|x", "", "p:\u00a0n\u00a0:r:1",
	} {
		f.Add(s, "IPI:00052210040", "A. Writer", "composer", "0.5")
	}
	f.Fuzz(func(t *testing.T, cell, party, name, role, share string) {
		got, err := ParseSplits(cell)
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("ParseSplits(%q): %v", cell, err)
			}
		} else {
			if len(got) > strings.Count(cell, "|")+1 {
				t.Fatalf("ParseSplits(%q) gives %d splits", cell, len(got))
			}
			for _, s := range got {
				for _, v := range []string{s.PartyID, s.Name, s.Role, s.Share} {
					if trim(v) != v || strings.Contains(v, "|") {
						t.Fatalf("ParseSplits(%q) = %+v: field %q", cell, got, v)
					}
				}
				if strings.Contains(s.Name+s.Role+s.Share, ":") {
					t.Fatalf("ParseSplits(%q) = %+v: colon after the party id", cell, got)
				}
			}
			text := formatSplits(got)
			again, err := ParseSplits(text)
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("ParseSplits(%q) = %+v, formatted %q, parsed back as %+v, %v", cell, got, text, again, err)
			}
			if out, err := checkSplits(got); err == nil {
				for _, s := range out {
					if s.Share.Sign() <= 0 || s.Share.Exponent() < -8 {
						t.Fatalf("checkSplits(%+v) share %s", got, s.Share)
					}
				}
			}
		}

		in := SplitInput{PartyID: party, Name: name, Role: role, Share: share}
		if trim(party) != party || trim(name) != name || trim(role) != role || trim(share) != share ||
			strings.Contains(party+name+role+share, "|") || strings.Contains(name+role+share, ":") {
			return
		}
		text := formatSplits([]SplitInput{in})
		one, err := ParseSplits(text)
		if err != nil || len(one) != 1 || one[0] != in {
			t.Fatalf("%+v formatted as %q parses as %+v, %v", in, text, one, err)
		}
	})
}

// FuzzParseTimestamp checks that a parsed time is in UTC, within the
// accepted years, and parses back from its RFC 3339 form; values without
// a time of day read as ParseDate reads them.
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{
		"2023-01-01T10:00:00Z", "2023-01-01T10:00:00+05:30", "2023-01-01 10:00:00", "2023-01-01T10:00:00.123456789",
		"2023-01-01 10:00:00.5-08:00", "2023-01-01", "Jul 15, 2017", "10/15/2023 12:00:00 AM", "1899-12-31T23:00:00-02:00",
		"2999-12-31T23:59:59-01:00", "", ":",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTimestamp(s)
		if err != nil {
			if !isParseError(err) {
				t.Fatalf("ParseTimestamp(%q): %v", s, err)
			}
			return
		}
		if got.Location() != time.UTC || got.Year() < minYear || got.Year() > maxYear {
			t.Fatalf("ParseTimestamp(%q) = %v", s, got)
		}
		text := got.Format(time.RFC3339Nano)
		back, err := ParseTimestamp(text)
		if err != nil || !back.Equal(got) || back.Format(time.RFC3339Nano) != text {
			t.Fatalf("ParseTimestamp(%q) = %s, which parses back as %v, %v", s, text, back, err)
		}
		if !strings.Contains(s, ":") {
			if first, _, err := ParseDate(s, ""); err != nil || !first.Equal(got) {
				t.Fatalf("ParseTimestamp(%q) = %v, ParseDate gives %v, %v", s, got, first, err)
			}
		}
	})
}

// FuzzParsePeriod checks that a period starts where its start value does
// and ends where its end value (or, without one, its start value) does.
func FuzzParsePeriod(f *testing.F) {
	for _, p := range [][2]string{
		{"2015-10-01", "2015-12-31"}, {"2017M10", ""}, {"Jul - 2017", "Sep - 2017"}, {"2015-Q4", "2015-10"},
		{"10/15/2023", "10/16/2023"}, {"2015-10-01--2015-12-31", " "}, {"2016-01-01", "2015-12-31"}, {"", "2015"},
	} {
		f.Add(p[0], p[1], "")
		f.Add(p[0], p[1], OrderDMY)
	}
	f.Fuzz(func(t *testing.T, start, end, order string) {
		first, last, err := ParsePeriod(start, end, order)
		sFirst, sLast, sErr := ParseDate(start, order)
		if err != nil {
			if !isParseError(err) {
				t.Fatalf("ParsePeriod(%q, %q): %v", start, end, err)
			}
			if sErr == nil && trim(end) == "" {
				t.Fatalf("ParsePeriod(%q, %q) fails (%v), ParseDate(%q) does not", start, end, err, start)
			}
			return
		}
		if sErr != nil || !first.Equal(sFirst) || last.Before(first) {
			t.Fatalf("ParsePeriod(%q, %q) = %v..%v; ParseDate(start) = %v, %v", start, end, first, last, sFirst, sErr)
		}
		wantLast := sLast
		if trim(end) != "" {
			_, eLast, err := ParseDate(end, order)
			if err != nil {
				t.Fatalf("ParsePeriod(%q, %q) accepts an end ParseDate refuses: %v", start, end, err)
			}
			wantLast = eLast
		}
		if !last.Equal(wantLast) {
			t.Fatalf("ParsePeriod(%q, %q) ends %v, want %v", start, end, last, wantLast)
		}
	})
}
