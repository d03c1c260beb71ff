package lake

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// PartitionKey names a Hive-style partition column of the lake layout.
type PartitionKey string

// The partition keys a lake can be laid out by.
const (
	// KeyIngestDate is the UTC calendar day of the event's ingest_time
	// (YYYY-MM-DD).
	KeyIngestDate PartitionKey = "ingest_date"
	// KeyPeriod is the month of the event's period_start (YYYY-MM).
	KeyPeriod PartitionKey = "period"
	// KeyDSP is the reporting service as the report names it.
	KeyDSP PartitionKey = "dsp"
	// KeyTerritory is the territory code.
	KeyTerritory PartitionKey = "territory"
	// KeyCurrency is the revenue currency.
	KeyCurrency PartitionKey = "currency"
)

// DefaultPartitionKeys is ingest_date=YYYY-MM-DD/dsp=<dsp>/territory=<CC>.
var DefaultPartitionKeys = []PartitionKey{KeyIngestDate, KeyDSP, KeyTerritory}

func (k PartitionKey) valid() bool {
	switch k {
	case KeyIngestDate, KeyPeriod, KeyDSP, KeyTerritory, KeyCurrency:
		return true
	}
	return false
}

func validateKeys(keys []PartitionKey) error {
	seen := map[PartitionKey]bool{}
	for _, k := range keys {
		if !k.valid() {
			return fmt.Errorf("lake: unknown partition key %q", k)
		}
		if seen[k] {
			return fmt.Errorf("lake: partition key %q repeated", k)
		}
		seen[k] = true
	}
	return nil
}

// keyValue is the partition value of r for key k, unescaped.
func keyValue(k PartitionKey, r *record) string {
	switch k {
	case KeyIngestDate:
		return time.UnixMilli(r.IngestTime).UTC().Format(time.DateOnly)
	case KeyPeriod:
		return dayTime(r.PeriodStart).Format("2006-01")
	case KeyDSP:
		return r.DSP
	case KeyTerritory:
		return r.Territory
	case KeyCurrency:
		return r.Currency
	}
	return ""
}

// partitionPath is the lake partition directory of r:
// "k1=v1/k2=v2/...", values escaped with EscapeValue.
func partitionPath(keys []PartitionKey, r *record) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(string(k))
		b.WriteByte('=')
		b.WriteString(EscapeValue(keyValue(k, r)))
	}
	return b.String()
}

// emptyValue stands for the empty string in a path, as in Hive.
const emptyValue = "__HIVE_DEFAULT_PARTITION__"

// Values longer than maxValueLen once escaped are cut and suffixed with a
// hash of the whole value, so that a path element stays well inside the
// 255-byte name limit of common filesystems and object keys.
const (
	maxValueLen = 120
	keepPrefix  = 96
)

// EscapeValue turns an untrusted partition value into a safe path element:
// bytes other than ASCII letters, digits, '-', '_' and '.' become %XX (so
// '/', '=', '%', NUL and non-ASCII cannot appear), "", "." and ".." are
// replaced, and overlong values are cut and suffixed with '~' and 16 hex
// digits of their SHA-256. The mapping is deterministic, so a query for a
// value finds its directory by escaping the value the same way. Short values
// round-trip through UnescapeValue; the exact value of every row is in the
// file regardless.
func EscapeValue(v string) string {
	if v == "" {
		return emptyValue
	}
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
			b.WriteByte(c)
		case c == '.' && v != "." && v != "..":
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	s := b.String()
	if len(s) <= maxValueLen {
		return s
	}
	cut := keepPrefix
	if i := strings.LastIndexByte(s[:cut], '%'); i >= cut-2 {
		cut = i // do not split an escape
	}
	sum := sha256.Sum256([]byte(v))
	return s[:cut] + "~" + hex.EncodeToString(sum[:8])
}

// UnescapeValue reverses EscapeValue for values that were not cut. It
// reports false for a cut value or a malformed escape.
func UnescapeValue(s string) (string, bool) {
	if s == emptyValue {
		return "", true
	}
	if strings.ContainsRune(s, '~') {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", false
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return "", false
		}
		b.WriteByte(hi<<4 | lo)
		i += 2
	}
	return b.String(), true
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// splitElement splits a partition directory name "key=value".
func splitElement(name string) (key PartitionKey, escaped string, ok bool) {
	k, v, found := strings.Cut(name, "=")
	if !found || !PartitionKey(k).valid() {
		return "", "", false
	}
	return PartitionKey(k), v, true
}
