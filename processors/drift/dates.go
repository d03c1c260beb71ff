package drift

import "time"

// epochDay is the calendar day of t as days since 1970-01-01, as the Avro
// date type counts them.
func epochDay(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dayTime(d int32) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// appendISODay appends an epoch day as YYYY-MM-DD to dst.
func appendISODay(dst []byte, d int32) []byte {
	return dayTime(d).AppendFormat(dst, time.DateOnly)
}
