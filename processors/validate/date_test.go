package validate

import (
	"errors"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in          string
		order       string
		first, last string
		err         error
	}{
		// Days.
		{in: "2015-10-01", first: "2015-10-01", last: "2015-10-01"},
		{in: "2015/10/01", first: "2015-10-01", last: "2015-10-01"},
		{in: "2015.10.01", first: "2015-10-01", last: "2015-10-01"},
		{in: "2015-1-5", first: "2015-01-05", last: "2015-01-05"},
		{in: "20151001", first: "2015-10-01", last: "2015-10-01"},
		{in: "08/31/2014", first: "2014-08-31", last: "2014-08-31"},
		{in: "7/31/2023", first: "2023-07-31", last: "2023-07-31"},
		{in: "10/15/2023 12:00:00 AM", first: "2023-10-15", last: "2023-10-15"},
		{in: "7/31/2023 11:59:59 PM", first: "2023-07-31", last: "2023-07-31"},
		{in: "1/6/2020", first: "2020-01-06", last: "2020-01-06"},
		{in: "1/6/2020", order: OrderDMY, first: "2020-06-01", last: "2020-06-01"},
		{in: "15/10/2023", order: OrderDMY, first: "2023-10-15", last: "2023-10-15"},
		{in: "15-10-2023", order: OrderDMY, first: "2023-10-15", last: "2023-10-15"},
		{in: "15.10.2023", first: "2023-10-15", last: "2023-10-15"},
		{in: "10.15.2023", order: OrderMDY, first: "2023-10-15", last: "2023-10-15"},
		{in: "15 Jul 2017", first: "2017-07-15", last: "2017-07-15"},
		{in: "15-Jul-2017", first: "2017-07-15", last: "2017-07-15"},
		{in: "Jul 15, 2017", first: "2017-07-15", last: "2017-07-15"},
		{in: "July 15 2017", first: "2017-07-15", last: "2017-07-15"},
		// Times are dropped.
		{in: "2015-10-01T00:00:00Z", first: "2015-10-01", last: "2015-10-01"},
		{in: "2023-03-31T23:59:59.999Z", first: "2023-03-31", last: "2023-03-31"},
		{in: "2015-11-23T18:29:57+01:00", first: "2015-11-23", last: "2015-11-23"},
		{in: "2015-11-23T18:29:57-0500", first: "2015-11-23", last: "2015-11-23"},
		{in: "2015-11-23 18:29", first: "2015-11-23", last: "2015-11-23"},
		{in: "2015-11-23 18:29:57 UTC", first: "2015-11-23", last: "2015-11-23"},
		{in: "20160121T150926", first: "2016-01-21", last: "2016-01-21"},
		{in: "2020-02-29", first: "2020-02-29", last: "2020-02-29"},
		// Months.
		{in: "2015-10", first: "2015-10-01", last: "2015-10-31"},
		{in: "2021-04", first: "2021-04-01", last: "2021-04-30"},
		{in: "2016/02", first: "2016-02-01", last: "2016-02-29"},
		{in: "201702", first: "2017-02-01", last: "2017-02-28"},
		{in: "07/2017", first: "2017-07-01", last: "2017-07-31"},
		{in: "2017M10", first: "2017-10-01", last: "2017-10-31"},
		{in: "2017m1", first: "2017-01-01", last: "2017-01-31"},
		{in: "Jul - 2017", first: "2017-07-01", last: "2017-07-31"},
		{in: "Jul-2017", first: "2017-07-01", last: "2017-07-31"},
		{in: "July 2017", first: "2017-07-01", last: "2017-07-31"},
		{in: "SEPT 2017", first: "2017-09-01", last: "2017-09-30"},
		{in: "december, 2017", first: "2017-12-01", last: "2017-12-31"},
		{in: "2017-Jul", first: "2017-07-01", last: "2017-07-31"},
		// Quarters.
		{in: "2015-Q4", first: "2015-10-01", last: "2015-12-31"},
		{in: "2015Q4", first: "2015-10-01", last: "2015-12-31"},
		{in: "2015 Q1", first: "2015-01-01", last: "2015-03-31"},
		{in: "2017-q3", first: "2017-07-01", last: "2017-09-30"},
		{in: "Q2 2016", first: "2016-04-01", last: "2016-06-30"},
		{in: "Q2-2016", first: "2016-04-01", last: "2016-06-30"},
		// Ranges in one cell.
		// Two-digit years last (Bandcamp): POSIX century.
		{in: "15/10/23", order: OrderDMY, first: "2023-10-15", last: "2023-10-15"},
		{in: "1/5/20 3:42pm", first: "2020-01-05", last: "2020-01-05"},
		{in: "6/24/23 11:45am", first: "2023-06-24", last: "2023-06-24"},
		{in: "12/31/99", first: "1999-12-31", last: "1999-12-31"},
		{in: "1/1/68", first: "2068-01-01", last: "2068-01-01"},
		{in: "15.10.23", first: "2023-10-15", last: "2023-10-15"},
		{in: "2015-10-01--2015-12-31", first: "2015-10-01", last: "2015-12-31"},
		{in: "2020-06-01--2020-06-30", first: "2020-06-01", last: "2020-06-30"},
		{in: "2015-10--2015-12", first: "2015-10-01", last: "2015-12-31"},
		{in: "20151001--20151231", first: "2015-10-01", last: "2015-12-31"},
		{in: "2015-10-01/2015-12-31", first: "2015-10-01", last: "2015-12-31"},
		{in: "2015-12-31--2015-10-01", err: ErrRange},
		{in: "2015-10-01--", err: ErrSyntax},
		// Invalid.
		{in: "", err: ErrEmpty},
		{in: "2015", err: ErrSyntax},
		{in: "15", err: ErrSyntax},
		{in: "2015-13-01", err: ErrRange},
		{in: "2015-02-30", err: ErrRange},
		{in: "2019-02-29", err: ErrRange},
		{in: "2015-00", err: ErrRange},
		{in: "2015-Q5", err: ErrRange},
		{in: "2015-Q0", err: ErrRange},
		{in: "13/31/2023", err: ErrRange},
		{in: "31/12/2023", err: ErrRange}, // month first by default
		{in: "10/15/2023", order: OrderYMD, err: ErrSyntax},
		{in: "0001-01-01", err: ErrRange},
		{in: "9999-12-31", err: ErrRange},
		{in: "15/10/23", err: ErrRange}, // month 15 first by default
		{in: "7/1/5", err: ErrSyntax},
		{in: "10/15/1999", first: "1999-10-15", last: "1999-10-15"},
		{in: "2015-10-01T25:00:00Z", err: ErrSyntax},
		{in: "2015-10-01T10:61:00Z", err: ErrSyntax},
		{in: "2015-10-01 13:00:00 PM", err: ErrSyntax},
		{in: "2015-10-01X", err: ErrSyntax},
		{in: "2015-10-01T", err: ErrSyntax},
		{in: "Jully 2017", err: ErrSyntax},
		{in: "Jul 17", err: ErrSyntax},
		{in: "tomorrow", err: ErrSyntax},
		{in: "2015-10-01 garbage", err: ErrSyntax},
		{in: "2015-10/01", err: ErrSyntax},
		{in: "2015-W40", err: ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			first, last, err := ParseDate(tt.in, tt.order)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("ParseDate(%q, %q) = %v, %v, %v; want error %v", tt.in, tt.order, first, last, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q, %q): %v", tt.in, tt.order, err)
			}
			if !first.Equal(day(tt.first)) || !last.Equal(day(tt.last)) {
				t.Errorf("ParseDate(%q, %q) = %s..%s, want %s..%s", tt.in, tt.order,
					first.Format(time.DateOnly), last.Format(time.DateOnly), tt.first, tt.last)
			}
			if first.Location() != time.UTC || first.Hour() != 0 || last.Hour() != 0 {
				t.Errorf("ParseDate(%q) is not UTC midnight: %v", tt.in, first)
			}
		})
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		start, end  string
		first, last string
		err         error
	}{
		{start: "08/31/2014", end: "09/27/2014", first: "2014-08-31", last: "2014-09-27"},
		{start: "2015-10-01", first: "2015-10-01", last: "2015-10-01"},
		{start: "Jul - 2017", first: "2017-07-01", last: "2017-07-31"},
		{start: "2015-Q4", first: "2015-10-01", last: "2015-12-31"},
		{start: "2023-01-01T00:00:00.000Z", end: "2023-03-31T23:59:59.999Z", first: "2023-01-01", last: "2023-03-31"},
		{start: "2015-10", end: "2015-12", first: "2015-10-01", last: "2015-12-31"},
		{start: "2015-10-01", end: "2015-09-30", err: ErrRange},
		{start: "", end: "2015-09-30", err: ErrEmpty},
		{start: "2015-10-01", end: "2015-13-01", err: ErrRange},
	}
	for _, tt := range tests {
		first, last, err := ParsePeriod(tt.start, tt.end, "")
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParsePeriod(%q, %q) error = %v, want %v", tt.start, tt.end, err, tt.err)
			}
			continue
		}
		if err != nil || !first.Equal(day(tt.first)) || !last.Equal(day(tt.last)) {
			t.Errorf("ParsePeriod(%q, %q) = %v..%v, %v; want %s..%s", tt.start, tt.end, first, last, err, tt.first, tt.last)
		}
	}
}

func TestUTCDayMatchesTimeDate(t *testing.T) {
	for y := minYear; y <= 2400; y++ {
		for m := 1; m <= 12; m++ {
			for _, d := range []int{1, 15, daysIn(y, m)} {
				want := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
				if got := utcDay(y, m, d); got != want {
					t.Fatalf("utcDay(%d, %d, %d) = %v, want %v", y, m, d, got, want)
				}
				if last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(); daysIn(y, m) != last {
					t.Fatalf("daysIn(%d, %d) = %d, want %d", y, m, daysIn(y, m), last)
				}
			}
		}
	}
}
