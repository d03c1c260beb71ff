package drift

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/avro"
)

// Layout of an alerts store value, keyed by the 32-byte SHA-256 alert id
// (see alertID): the alert as last emitted, without its id. The counters
// come first so that a sighting reads only them and rewrites the rest
// from what it found.
//
//	byte    layout version (1)
//	uvarint count
//	varint  first seen, Unix milliseconds
//	varint  last seen, Unix milliseconds
//	uvarint number of sample event ids, then each as a string
//	byte    flags: 1 ISRC present, 2 catalog value present, 4 catalog version present (no other bit)
//	varint  catalog version     (flag 4)
//	string  kind
//	string  severity
//	string  ISRC                (flag 1)
//	string  field
//	string  reported value
//	string  catalog value       (flag 2)
//	string  detail
//	string  DSP
//	varint  period start, epoch day
//	varint  period end, epoch day
const alertLayout = 1

const (
	flagISRC = 1 << iota
	flagCatalogValue
	flagCatalogVersion

	knownFlags = flagISRC | flagCatalogValue | flagCatalogVersion
)

// alertCounters is the leading part of an alert state.
type alertCounters struct {
	count          int64
	first, last    int64    // Unix milliseconds
	samples        [][]byte // aliasing the stored value
	catalogVersion int64
	versioned      bool
}

// decodeCounters reads the counters and the catalog version of a stored
// alert without decoding its strings.
func decodeCounters(v []byte, samples [][]byte) (alertCounters, error) {
	r := reader{b: v}
	var c alertCounters
	if r.byte() != alertLayout {
		return c, fmt.Errorf("%w: alert layout", errCorrupt)
	}
	c.count = int64(r.uvarint())
	c.first, c.last = r.varint(), r.varint()
	n := r.uvarint()
	if n > maxSamples || r.err != nil {
		return c, fmt.Errorf("%w: alert samples", errCorrupt)
	}
	c.samples = samples[:0]
	for range n {
		c.samples = append(c.samples, r.bytes())
	}
	flags := r.byte()
	if flags&^knownFlags != 0 {
		r.fail()
	}
	if flags&flagCatalogVersion != 0 {
		c.catalogVersion, c.versioned = r.varint(), true
	}
	return c, r.err
}

// appendAlertStateParts encodes an alert from its counters and
// descriptive fields.
func appendAlertStateParts(b []byte, c *alertCounters, a *avro.DriftAlert) []byte {
	b = append(b, alertLayout)
	b = binary.AppendUvarint(b, uint64(c.count))
	b = binary.AppendVarint(b, c.first)
	b = binary.AppendVarint(b, c.last)
	b = binary.AppendUvarint(b, uint64(len(c.samples)))
	for _, id := range c.samples {
		b = appendBytes(b, id)
	}
	var flags byte
	if a.ISRC != nil {
		flags |= flagISRC
	}
	if a.CatalogValue != nil {
		flags |= flagCatalogValue
	}
	if a.CatalogVersion != nil {
		flags |= flagCatalogVersion
	}
	b = append(b, flags)
	if a.CatalogVersion != nil {
		b = binary.AppendVarint(b, *a.CatalogVersion)
	}
	b = appendString(b, a.Kind)
	b = appendString(b, a.Severity)
	if a.ISRC != nil {
		b = appendString(b, *a.ISRC)
	}
	b = appendString(b, a.Field)
	b = appendString(b, a.ReportedValue)
	if a.CatalogValue != nil {
		b = appendString(b, *a.CatalogValue)
	}
	b = appendString(b, a.Detail)
	b = appendString(b, a.DSP)
	b = binary.AppendVarint(b, int64(epochDay(a.PeriodStart)))
	return binary.AppendVarint(b, int64(epochDay(a.PeriodEnd)))
}

// appendAlertState encodes a whole alert.
func appendAlertState(b []byte, a *avro.DriftAlert) []byte {
	c := alertCounters{count: a.Count, first: a.FirstSeen.UnixMilli(), last: a.LastSeen.UnixMilli()}
	for _, id := range a.SampleEventIDs {
		c.samples = append(c.samples, []byte(id))
	}
	return appendAlertStateParts(b, &c, a)
}

// decodeAlertState decodes a whole alert (without its id).
func decodeAlertState(v []byte) (avro.DriftAlert, error) {
	r := reader{b: v}
	var a avro.DriftAlert
	if r.byte() != alertLayout {
		return a, fmt.Errorf("%w: alert layout", errCorrupt)
	}
	a.Count = int64(r.uvarint())
	a.FirstSeen = time.UnixMilli(r.varint()).UTC()
	a.LastSeen = time.UnixMilli(r.varint()).UTC()
	n := r.uvarint()
	if n > maxSamples || r.err != nil {
		return a, fmt.Errorf("%w: alert samples", errCorrupt)
	}
	if n > 0 {
		a.SampleEventIDs = make([]string, n)
		for i := range a.SampleEventIDs {
			a.SampleEventIDs[i] = r.string()
		}
	}
	flags := r.byte()
	if flags&^knownFlags != 0 {
		r.fail()
	}
	if flags&flagCatalogVersion != 0 {
		v := r.varint()
		a.CatalogVersion = &v
	}
	a.Kind = r.string()
	a.Severity = r.string()
	if flags&flagISRC != 0 {
		s := r.string()
		a.ISRC = &s
	}
	a.Field = r.string()
	a.ReportedValue = r.string()
	if flags&flagCatalogValue != 0 {
		s := r.string()
		a.CatalogValue = &s
	}
	a.Detail = r.string()
	a.DSP = r.string()
	a.PeriodStart = dayTime(r.day())
	a.PeriodEnd = dayTime(r.day())
	return a, r.done()
}
