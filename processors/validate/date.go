package validate

import (
	"fmt"
	"strings"
	"time"
)

// Date orders of numeric dates that end with the year (Line.DateOrder).
const (
	OrderMDY = "MDY" // 10/15/2023: month first (the default)
	OrderDMY = "DMY" // 15/10/2023: day first
	OrderYMD = "YMD" // the report writes years first; year-last dates are refused
)

// Plausible years of a reporting period or catalog date: anything else is
// a typo or a placeholder (0001-01-01, 9999-12-31).
const (
	minYear = 1900
	maxYear = 2999
)

var monthNames = [...]string{
	"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december",
}

// ParseDate parses one date cell and returns the first and the last day it
// covers, as UTC midnights. The shapes, with the period each one covers:
//   - a day: 2015-10-01, 2015/10/01, 20151001, 10/15/2023 and 15/10/2023
//     (month or day first by order: OrderMDY when order is "", except
//     that dotted dates 15.10.2023 are day first unless order says MDY),
//     15 Jul 2017, 15-Jul-2017, Jul 15, 2017; a time may follow a day and
//     is ignored with its offset (2015-10-01T00:00:00Z,
//     10/15/2023 12:00:00 AM, 2023-03-31T23:59:59.999Z): a period is a
//     range of calendar days as the report wrote them;
//   - a month: 2015-10, 201510, 10/2015, 2017M10, Jul 2017, Jul - 2017,
//     July 2017, 2017-Jul;
//   - a quarter: 2015-Q4, 2015Q4, 2015 Q4, Q4 2015;
//   - a range of any two of these: 2015-10-01--2015-12-31 (DDEX) or
//     2015-10-01/2015-12-31 (ISO 8601).
//
// A numeric date with day, month and a two-digit year last (1/5/20,
// 15.10.23) takes the century as POSIX strptime does (69..99 are 19xx,
// 00..68 are 20xx); a two-digit year anywhere else, and a bare year, are
// refused (a year alone is more often a stray number than an annual
// period). Years outside 1900..2999 wrap
// ErrRange; other malformed dates ErrSyntax, an empty cell ErrEmpty.
func ParseDate(s, order string) (first, last time.Time, err error) {
	s = trim(s)
	if s == "" {
		return time.Time{}, time.Time{}, ErrEmpty
	}
	a, b, isRange := splitRange(s)
	if !isRange {
		return parseDateShape(s, s, order)
	}
	first, _, err = parseDateShape(a, s, order)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	_, last, err = parseDateShape(b, s, order)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if last.Before(first) {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: period %q ends before it starts", ErrRange, s)
	}
	return first, last, nil
}

// ParsePeriod parses the start and end cells of a reporting period. A
// start cell alone gives the period it covers (a day, a month, a quarter or
// a range); with an end cell the period runs from the first day of the
// start to the last day of the end. The error wraps ErrEmpty when start is
// empty and ErrRange when the end is before the start.
func ParsePeriod(start, end, order string) (first, last time.Time, err error) {
	first, last, err = ParseDate(start, order)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("period start: %w", err)
	}
	if trim(end) == "" {
		return first, last, nil
	}
	_, last, err = ParseDate(end, order)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("period end: %w", err)
	}
	if last.Before(first) {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: period end %q is before period start %q", ErrRange, trim(end), trim(start))
	}
	return first, last, nil
}

// splitRange splits "a--b" and the ISO 8601 interval "YYYY-...../YYYY-...".
func splitRange(s string) (a, b string, ok bool) {
	if i := strings.Index(s, "--"); i > 0 {
		return trim(s[:i]), trim(s[i+2:]), true
	}
	if len(s) > 5 && allDigits(s[:4]) && s[4] == '-' {
		if i := strings.IndexByte(s, '/'); i > 0 {
			return trim(s[:i]), trim(s[i+1:]), true
		}
	}
	return "", "", false
}

// dateScan reads a date left to right.
type dateScan struct {
	s string
	i int
}

func (d *dateScan) done() bool { return d.i >= len(d.s) }

func (d *dateScan) peek() byte {
	if d.done() {
		return 0
	}
	return d.s[d.i]
}

// number reads a run of digits, returning its value and length.
func (d *dateScan) number() (v, n int) {
	for !d.done() && isDigit(d.s[d.i]) && n < 9 {
		v = v*10 + int(d.s[d.i]-'0')
		d.i++
		n++
	}
	return v, n
}

// word reads a run of ASCII letters.
func (d *dateScan) word() string {
	start := d.i
	for !d.done() && isLetter(d.s[d.i]) {
		d.i++
	}
	return d.s[start:d.i]
}

// skip skips any of the bytes in set.
func (d *dateScan) skip(set string) {
	for !d.done() && inSet(d.s[d.i], set) {
		d.i++
	}
}

func inSet(c byte, set string) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return true
		}
	}
	return false
}

func (d *dateScan) rest() string { return d.s[d.i:] }

// parseDateShape parses a single date shape (not a range). orig is the
// cell, for messages.
func parseDateShape(s, orig, order string) (first, last time.Time, err error) {
	d := dateScan{s: s}
	bad := func() (time.Time, time.Time, error) {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: date %q is not a recognised date, month or quarter", ErrSyntax, orig)
	}
	if d.done() {
		return bad()
	}
	if isLetter(d.peek()) {
		return parseWordFirst(&d, orig, bad)
	}
	v, n := d.number()
	switch n {
	case 8: // YYYYMMDD
		if !timeSuffix(d.rest()) {
			return bad()
		}
		return dayRange(v/10000, v/100%100, v%100, orig)
	case 6: // YYYYMM
		if !d.done() {
			return bad()
		}
		return monthRange(v/100, v%100, orig)
	case 4:
		return parseYearFirst(&d, v, orig, bad)
	case 1, 2:
		return parseDayOrMonthFirst(&d, v, orig, order, bad)
	}
	return bad()
}

type badDate func() (time.Time, time.Time, error)

// parseYearFirst parses what follows a leading four-digit year.
func parseYearFirst(d *dateScan, year int, orig string, bad badDate) (time.Time, time.Time, error) {
	sep := d.peek()
	switch sep {
	case 'M', 'm': // 2017M10
		d.i++
		m, n := d.number()
		if n < 1 || n > 2 || !d.done() {
			return bad()
		}
		return monthRange(year, m, orig)
	case 'Q', 'q': // 2015Q4
		return quarterAfterQ(d, year, orig, bad)
	case ' ': // 2015 Q4
		d.skip(" ")
		if c := d.peek(); c == 'Q' || c == 'q' {
			return quarterAfterQ(d, year, orig, bad)
		}
		return bad()
	case '-', '/', '.':
		d.i++
	default:
		return bad()
	}
	if c := d.peek(); c == 'Q' || c == 'q' { // 2015-Q4
		return quarterAfterQ(d, year, orig, bad)
	}
	if isLetter(d.peek()) { // 2017-Jul
		m := monthByName(d.word())
		if m == 0 || !d.done() {
			return bad()
		}
		return monthRange(year, m, orig)
	}
	m, n := d.number()
	if n < 1 || n > 2 {
		return bad()
	}
	if d.done() { // 2015-10
		return monthRange(year, m, orig)
	}
	if d.peek() != sep {
		return bad()
	}
	d.i++
	day, n := d.number()
	if n < 1 || n > 2 || !timeSuffix(d.rest()) {
		return bad()
	}
	return dayRange(year, m, day, orig)
}

// quarterAfterQ parses "Q4" at d (the year already read) to the end.
func quarterAfterQ(d *dateScan, year int, orig string, bad badDate) (time.Time, time.Time, error) {
	d.i++ // Q
	q, n := d.number()
	if n != 1 || !d.done() {
		return bad()
	}
	return quarterRange(year, q, orig)
}

// parseDayOrMonthFirst parses a date that starts with a one- or two-digit
// number a: a numeric date with the year last, "07/2017", or "15 Jul 2017".
func parseDayOrMonthFirst(d *dateScan, a int, orig, order string, bad badDate) (time.Time, time.Time, error) {
	sep := d.peek()
	if sep != '/' && sep != '-' && sep != '.' && sep != ' ' {
		return bad()
	}
	d.i++
	if isLetter(d.peek()) { // 15 Jul 2017, 15-Jul-2017
		m := monthByName(d.word())
		if m == 0 {
			return bad()
		}
		d.skip(" -/.,")
		year, n := d.number()
		if n != 4 || !timeSuffix(d.rest()) {
			return bad()
		}
		return dayRange(year, m, a, orig)
	}
	b, n := d.number()
	if n == 4 && d.done() && sep != ' ' { // 07/2017
		return monthRange(b, a, orig)
	}
	if n < 1 || n > 2 || d.peek() != sep || sep == ' ' {
		return bad()
	}
	d.i++
	year, n := d.number()
	if (n != 4 && n != 2) || !timeSuffix(d.rest()) {
		return bad()
	}
	if n == 2 {
		year = expandYear(year)
	}
	switch {
	case order == OrderYMD:
		return time.Time{}, time.Time{}, fmt.Errorf("%w: date %q ends with the year, but the report writes dates year first", ErrSyntax, orig)
	case order == OrderDMY, order != OrderMDY && sep == '.':
		return dayRange(year, b, a, orig)
	}
	return dayRange(year, a, b, orig)
}

// parseWordFirst parses a date that starts with letters: "Jul 2017",
// "Jul - 2017", "July 15, 2017", "Q4 2015".
func parseWordFirst(d *dateScan, orig string, bad badDate) (time.Time, time.Time, error) {
	w := d.word()
	if (w == "Q" || w == "q") && !d.done() && isDigit(d.peek()) {
		q, n := d.number()
		if n != 1 {
			return bad()
		}
		d.skip(" -/")
		year, n := d.number()
		if n != 4 || !d.done() {
			return bad()
		}
		return quarterRange(year, q, orig)
	}
	m := monthByName(w)
	if m == 0 {
		return bad()
	}
	d.skip(" -/.,")
	v, n := d.number()
	switch {
	case n == 4 && d.done():
		return monthRange(v, m, orig)
	case n == 1 || n == 2:
		d.skip(" ,")
		year, n := d.number()
		if n != 4 || !timeSuffix(d.rest()) {
			return bad()
		}
		return dayRange(year, m, v, orig)
	}
	return bad()
}

// monthByName returns 1..12 for an English month name or its three-letter
// abbreviation (and "Sept"), any case; 0 otherwise.
func monthByName(w string) int {
	if len(w) < 3 || len(w) > len("september") {
		return 0
	}
	var m int
	switch string([]byte{lower(w[0]), lower(w[1]), lower(w[2])}) {
	case "jan":
		m = 1
	case "feb":
		m = 2
	case "mar":
		m = 3
	case "apr":
		m = 4
	case "may":
		m = 5
	case "jun":
		m = 6
	case "jul":
		m = 7
	case "aug":
		m = 8
	case "sep":
		m = 9
	case "oct":
		m = 10
	case "nov":
		m = 11
	case "dec":
		m = 12
	default:
		return 0
	}
	if len(w) == 3 || strings.EqualFold(w, monthNames[m-1]) || (m == 9 && strings.EqualFold(w, "sept")) {
		return m
	}
	return 0
}

// expandYear turns the two-digit year of a numeric date (Bandcamp writes
// 1/5/20 3:42pm) into a full year as POSIX strptime does: 69..99 are
// 1969..1999, 00..68 are 2000..2068.
func expandYear(yy int) int {
	if yy >= 69 {
		return 1900 + yy
	}
	return 2000 + yy
}

func checkYear(y int, orig string) error {
	if y < minYear || y > maxYear {
		return fmt.Errorf("%w: date %q has year %d, outside %d..%d", ErrRange, orig, y, minYear, maxYear)
	}
	return nil
}

func dayRange(y, m, d int, orig string) (time.Time, time.Time, error) {
	if err := checkYear(y, orig); err != nil {
		return time.Time{}, time.Time{}, err
	}
	if m < 1 || m > 12 {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: date %q has month %d", ErrRange, orig, m)
	}
	if d < 1 || d > daysIn(y, m) {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: date %q has day %d, month %d has %d days", ErrRange, orig, d, m, daysIn(y, m))
	}
	t := utcDay(y, m, d)
	return t, t, nil
}

func monthRange(y, m int, orig string) (time.Time, time.Time, error) {
	if err := checkYear(y, orig); err != nil {
		return time.Time{}, time.Time{}, err
	}
	if m < 1 || m > 12 {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: date %q has month %d", ErrRange, orig, m)
	}
	return utcDay(y, m, 1), utcDay(y, m, daysIn(y, m)), nil
}

func quarterRange(y, q int, orig string) (time.Time, time.Time, error) {
	if err := checkYear(y, orig); err != nil {
		return time.Time{}, time.Time{}, err
	}
	if q < 1 || q > 4 {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: date %q has quarter %d", ErrRange, orig, q)
	}
	return utcDay(y, 3*q-2, 1), utcDay(y, 3*q, daysIn(y, 3*q)), nil
}

var monthDays = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// daysIn returns the number of days of month m (1..12) of year y.
func daysIn(y, m int) int {
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 29
	}
	return monthDays[m]
}

// utcDay returns midnight UTC of a valid calendar day; it is time.Date
// for days already checked, without its normalisation.
func utcDay(y, m, d int) time.Time {
	// Days since 1970-01-01 of the proleptic Gregorian date (H. Hinnant's
	// days_from_civil).
	if m <= 2 {
		y--
	}
	era := y / 400 // years are positive here
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	days := era*146097 + doe - 719468
	return time.Unix(int64(days)*86400, 0).UTC()
}
