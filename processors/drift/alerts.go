package drift

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors"
)

// maxSamples bounds the sample event ids an alert carries.
const maxSamples = 5

// alertKey is the SHA-256 alert id, the key of the alerts store.
type alertKey [sha256.Size]byte

// finding is a difference found for one event or catalog change.
type finding struct {
	kind, severity, field string
	reported              string
	catalogValue          *string
	catalogVersion        *int64
	detail                string
}

// occurrence is what a finding was seen on: the alert identity besides
// kind and reported value, and the sighting to count.
type occurrence struct {
	isrc       string // "" for events without ISRC
	dsp        string
	start, end int32 // reporting period, epoch days
	eventID    string
	seen       time.Time
}

func eventOccurrence(ev *avro.UsageEvent, isrc string) occurrence {
	return occurrence{
		isrc: isrc, dsp: ev.Source.DSP,
		start: epochDay(ev.PeriodStart), end: epochDay(ev.PeriodEnd),
		eventID: ev.EventID, seen: ev.IngestTime,
	}
}

// alertID is the SHA-256 of isrc, dsp, kind, reported value, period start
// and period end (dates as YYYY-MM-DD), each preceded by its length in
// bytes as a uvarint. The ISRC is empty for events without one.
func alertID(scratch []byte, occ *occurrence, kind, reported string) (alertKey, []byte) {
	b := appendString(scratch[:0], occ.isrc)
	b = appendString(b, occ.dsp)
	b = appendString(b, kind)
	b = appendString(b, reported)
	b = binary.AppendUvarint(b, uint64(len(time.DateOnly)))
	b = appendISODay(b, occ.start)
	b = binary.AppendUvarint(b, uint64(len(time.DateOnly)))
	b = appendISODay(b, occ.end)
	return sha256.Sum256(b), b
}

// raise records one sighting of f in the alerts store and marks the alert
// for the next Flush. The store holds the alert's full state, so counts
// survive restarts and a rolled-back transaction rolls the count back.
func (p *Processor) raise(ctx processors.Context, t *partState, occ occurrence, f *finding) error {
	id, scratch := alertID(t.hash, &occ, f.kind, f.reported)
	t.hash = scratch
	store := ctx.Store(StoreAlerts)
	v, ok, err := store.Get(id[:])
	if err != nil {
		return fmt.Errorf("drift: read alert %x: %w", id, err)
	}
	seen := occ.seen.UnixMilli()
	c := alertCounters{count: 1, first: seen, last: seen}
	if ok {
		if c, err = decodeCounters(v, t.samples); err != nil {
			return fmt.Errorf("drift: alert %x: %w", id, err)
		}
		t.samples = c.samples
		if f.kind == KindCatalogChanged && c.versioned && f.catalogVersion != nil && c.catalogVersion >= *f.catalogVersion {
			return nil // this catalog version was counted already
		}
		c.count++
		c.first, c.last = min(c.first, seen), max(c.last, seen)
	}
	if occ.eventID != "" && len(c.samples) < maxSamples && !containsID(c.samples, occ.eventID) {
		c.samples = append(c.samples, []byte(occ.eventID))
	}
	// The descriptive fields follow the latest comparison: the catalog may
	// have moved on since the alert was first raised.
	a := avro.DriftAlert{
		Kind: f.kind, Severity: f.severity, Field: f.field, ReportedValue: f.reported,
		CatalogValue: f.catalogValue, CatalogVersion: f.catalogVersion, Detail: f.detail,
		DSP: occ.dsp, PeriodStart: dayTime(occ.start), PeriodEnd: dayTime(occ.end),
	}
	if occ.isrc != "" {
		a.ISRC = &occ.isrc
	}
	val := appendAlertStateParts(make([]byte, 0, 128+len(f.reported)+len(f.detail)), &c, &a)
	clear(t.samples)
	if err := store.Put(bytes.Clone(id[:]), val); err != nil {
		return fmt.Errorf("drift: write alert %x: %w", id, err)
	}
	t.dirty[id] = struct{}{}
	return nil
}

func containsID(ids [][]byte, id string) bool {
	for _, b := range ids {
		if string(b) == id {
			return true
		}
	}
	return false
}

// flush emits the alerts marked since the last flush, reading each from
// the alerts store, in id order so the output does not depend on map
// iteration.
func (p *Processor) flush(ctx processors.Context, t *partState) error {
	if len(t.dirty) == 0 {
		return nil
	}
	ids := make([]alertKey, 0, len(t.dirty))
	for id := range t.dirty {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b alertKey) int { return bytes.Compare(a[:], b[:]) })
	store := ctx.Store(StoreAlerts)
	for _, id := range ids {
		v, ok, err := store.Get(id[:])
		if err != nil {
			return fmt.Errorf("drift: read alert %x: %w", id, err)
		}
		if !ok {
			continue // raised in a transaction that was rolled back
		}
		a, err := decodeAlertState(v)
		if err != nil {
			return fmt.Errorf("drift: alert %x: %w", id, err)
		}
		a.AlertID = hex.EncodeToString(id[:])
		key := a.AlertID
		if a.ISRC != nil {
			key = *a.ISRC
		}
		if err := ctx.Emit(OutAlerts, []byte(key), &a); err != nil {
			return fmt.Errorf("drift: emit alert %s: %w", a.AlertID, err)
		}
		if a.Severity == SeverityCritical {
			review := a
			if err := ctx.Emit(OutReview, []byte(key), &review); err != nil {
				return fmt.Errorf("drift: emit review %s: %w", a.AlertID, err)
			}
		}
		delete(t.dirty, id)
	}
	return nil
}
