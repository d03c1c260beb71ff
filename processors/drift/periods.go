package drift

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/processors/catalog/textnorm"
)

// Layout of a periods store value, keyed by ISRC, a zero byte and the DSP:
// the metadata the DSP last reported for the ISRC in each of its recent
// reporting periods, newest period (by start, then end) first.
//
//	byte    layout version (1)
//	uvarint number of periods
//	per period:
//	  varint  period start, epoch day
//	  varint  period end, epoch day
//	  uint64  quiet hash, little endian (see quietHash)
//	  string  track title
//	  string  version title ("" when none)
//	  string  artists joined by 0x1F
//	  string  ISWC ("" when none)
//	  string  UPC ("" when none)
//
// A period is kept while it is open (see Options.OpenPeriodDays), and the
// two newest are always kept, up to Options.MaxPeriods.
const periodsLayout = 1

const artistSep = 0x1f

// periodEntry is one period of a periods value; the byte fields alias the
// value read from the store.
type periodEntry struct {
	start, end                         int32
	quiet                              uint64
	title, version, artists, iswc, upc []byte
}

func decodePeriods(v []byte, dst []periodEntry) ([]periodEntry, error) {
	r := reader{b: v}
	if r.byte() != periodsLayout {
		return dst, fmt.Errorf("%w: periods layout", errCorrupt)
	}
	n := r.uvarint()
	if n > 1<<16 {
		return dst, fmt.Errorf("%w: %d periods", errCorrupt, n)
	}
	for i := uint64(0); i < n && r.err == nil; i++ {
		dst = append(dst, periodEntry{
			start: int32(r.varint()), end: int32(r.varint()), quiet: r.uint64(),
			title: r.bytes(), version: r.bytes(), artists: r.bytes(), iswc: r.bytes(), upc: r.bytes(),
		})
	}
	return dst, r.done()
}

func appendPeriodEntry(b []byte, e *periodEntry) []byte {
	b = binary.AppendVarint(b, int64(e.start))
	b = binary.AppendVarint(b, int64(e.end))
	b = binary.LittleEndian.AppendUint64(b, e.quiet)
	b = appendBytes(b, e.title)
	b = appendBytes(b, e.version)
	b = appendBytes(b, e.artists)
	b = appendBytes(b, e.iswc)
	return appendBytes(b, e.upc)
}

func appendEventPeriod(b []byte, ev *avro.UsageEvent, quiet uint64) []byte {
	b = binary.AppendVarint(b, int64(epochDay(ev.PeriodStart)))
	b = binary.AppendVarint(b, int64(epochDay(ev.PeriodEnd)))
	b = binary.LittleEndian.AppendUint64(b, quiet)
	b = appendString(b, ev.TrackTitle)
	b = appendString(b, deref(ev.VersionTitle))
	n := 0
	for i, a := range ev.Artists {
		n += len(a)
		if i > 0 {
			n++
		}
	}
	b = binary.AppendUvarint(b, uint64(n))
	for i, a := range ev.Artists {
		if i > 0 {
			b = append(b, artistSep)
		}
		b = append(b, a...)
	}
	b = appendString(b, deref(ev.ISWC))
	return appendString(b, deref(ev.UPC))
}

// sameAsEvent reports whether e holds exactly ev's metadata.
func (e *periodEntry) sameAsEvent(ev *avro.UsageEvent) bool {
	return string(e.title) == ev.TrackTitle && string(e.version) == deref(ev.VersionTitle) &&
		artistsEqual(e.artists, ev.Artists) && string(e.iswc) == deref(ev.ISWC) && string(e.upc) == deref(ev.UPC)
}

// artistsEqual compares a joined artist field with a list, without
// allocating.
func artistsEqual(joined []byte, artists []string) bool {
	for i, a := range artists {
		if i > 0 {
			if len(joined) == 0 || joined[0] != artistSep {
				return false
			}
			joined = joined[1:]
		}
		if len(joined) < len(a) || string(joined[:len(a)]) != a {
			return false
		}
		joined = joined[len(a):]
	}
	return len(joined) == 0
}

func splitArtists(joined []byte) []string {
	if len(joined) == 0 {
		return nil
	}
	return strings.Split(string(joined), string(rune(artistSep)))
}

// periodsKey is ISRC, 0, DSP.
func periodsKey(dst []byte, isrc, dsp string) []byte {
	dst = append(append(dst[:0], isrc...), 0)
	return append(dst, dsp...)
}

// trackPeriod compares ev with what the same DSP reported for the ISRC in
// its previous period, appending period_change findings to fs, and
// records ev's metadata for its period. The store is written only when
// the period is new or its metadata changed beyond what the quiet form
// ignores (case, diacritics, apostrophes, spacing).
func (p *Processor) trackPeriod(ctx processors.Context, t *partState, fs []finding, ev *avro.UsageEvent, isrc string) ([]finding, error) {
	mk, mh := t.memoHash(isrc, ev)
	if t.memoClean(mk, mh) {
		return fs, nil
	}
	found := len(fs)
	store := ctx.Store(StorePeriods)
	t.key = periodsKey(t.key, isrc, ev.Source.DSP)
	v, known, err := store.Get(t.key)
	if err != nil {
		return fs, fmt.Errorf("drift: read periods of %s/%s: %w", isrc, ev.Source.DSP, err)
	}
	entries := t.entries[:0]
	if known {
		if entries, err = decodePeriods(v, entries); err != nil {
			return fs, fmt.Errorf("drift: periods of %s/%s: %w", isrc, ev.Source.DSP, err)
		}
		t.entries = entries // keep the grown buffer; entries alias v until the next call
	}
	start, end := epochDay(ev.PeriodStart), epochDay(ev.PeriodEnd)
	cur, prev := -1, -1
	for i := range entries {
		e := &entries[i]
		if e.start == start && e.end == end {
			cur = i
		} else if prev < 0 && e.start < start {
			prev = i
		}
	}
	var quiet uint64
	quietDone := false
	eventQuiet := func() uint64 {
		if !quietDone {
			quiet, quietDone = t.quietHash(ev), true
		}
		return quiet
	}
	if prev >= 0 {
		pe := &entries[prev]
		sameText := (string(pe.title) == ev.TrackTitle && string(pe.version) == deref(ev.VersionTitle) &&
			artistsEqual(pe.artists, ev.Artists)) || pe.quiet == eventQuiet()
		fs = comparePeriod(fs, ev, pe, sameText)
	}
	if cur >= 0 {
		e := &entries[cur]
		if e.sameAsEvent(ev) || (string(e.iswc) == deref(ev.ISWC) && string(e.upc) == deref(ev.UPC) && e.quiet == eventQuiet()) {
			if len(fs) == found {
				t.memoRemember(mk, mh)
			}
			return fs, nil // nothing changed beyond what the quiet form ignores
		}
	}
	delete(t.memo, mk)
	if err := store.Put(bytes.Clone(t.key), p.encodePeriods(entries, cur, ev, eventQuiet(), start, end)); err != nil {
		return fs, fmt.Errorf("drift: write periods of %s/%s: %w", isrc, ev.Source.DSP, err)
	}
	if !known {
		if err := addUsage(ctx, isrc, ev.Source.DSP); err != nil {
			return fs, err
		}
	}
	return fs, nil
}

// encodePeriods writes entries with ev's metadata replacing entry cur (or
// inserted in order when cur < 0), dropping closed periods.
func (p *Processor) encodePeriods(entries []periodEntry, cur int, ev *avro.UsageEvent, quiet uint64, start, end int32) []byte {
	// Position of ev's period among entries (newest first).
	pos := cur
	if pos < 0 {
		pos = len(entries)
		for i := range entries {
			if entries[i].start < start || (entries[i].start == start && entries[i].end < end) {
				pos = i
				break
			}
		}
	}
	total := len(entries)
	if cur < 0 {
		total++
	}
	endAt := func(i int) int32 { // end of the i-th period of the result
		switch {
		case i == pos:
			return end
		case cur < 0 && i > pos:
			return entries[i-1].end
		default:
			return entries[i].end
		}
	}
	latest := endAt(0)
	for i := 1; i < total; i++ {
		latest = max(latest, endAt(i))
	}
	keep := 0
	for i := 0; i < total && keep < p.opts.MaxPeriods; i++ {
		if i < 2 || int(latest-endAt(i)) <= p.opts.OpenPeriodDays {
			keep = i + 1
		}
	}
	b := make([]byte, 0, 64+len(entries)*64)
	b = append(b, periodsLayout)
	b = binary.AppendUvarint(b, uint64(keep))
	for i := 0; i < keep; i++ {
		switch {
		case i == pos:
			b = appendEventPeriod(b, ev, quiet)
		case cur < 0 && i > pos:
			b = appendPeriodEntry(b, &entries[i-1])
		default:
			b = appendPeriodEntry(b, &entries[i])
		}
	}
	return b
}

// periodSeverity is the severity of a title or artist change between
// periods: never more than a warning, as only ISWC changes move money.
func periodSeverity(l level) string {
	if l == levMinor {
		return SeverityInfo
	}
	return SeverityWarn
}

// comparePeriod appends a period_change finding for each field of ev that
// differs from the DSP's previous period prev. sameText reports that
// title, version and artists are known to agree (byte for byte, or by
// their quiet hashes), which spares parsing them.
func comparePeriod(fs []finding, ev *avro.UsageEvent, prev *periodEntry, sameText bool) []finding {
	detail := func(v string) string {
		return fmt.Sprintf("differs from period %s to %s: %s",
			dayTime(prev.start).Format("2006-01-02"), dayTime(prev.end).Format("2006-01-02"), v)
	}
	titleRaw := string(prev.title) == ev.TrackTitle && string(prev.version) == deref(ev.VersionTitle)
	if !sameText && (!titleRaw || !artistsEqual(prev.artists, ev.Artists)) {
		prevVersion := optional(prev.version)
		pt := textnorm.ParseTitle(string(prev.title), prevVersion)
		et := textnorm.ParseTitle(ev.TrackTitle, ev.VersionTitle)
		if !titleRaw {
			if v := compareTitles(&et, &pt); v.level != levSame {
				fs = append(fs, finding{
					kind: KindPeriodChange, severity: periodSeverity(v.level), field: FieldTitle,
					reported:     displayTitle(ev.TrackTitle, ev.VersionTitle),
					catalogValue: ptr(displayTitle(string(prev.title), prevVersion)),
					detail:       detail(v.detail),
				})
			}
		}
		prevArtists := splitArtists(prev.artists)
		if len(prevArtists) > 0 && len(ev.Artists) > 0 {
			pc, ec := textnorm.ParseCredits(prevArtists), textnorm.ParseCredits(ev.Artists)
			if v := compareCredits(&ec, &et, &pc, &pt); v.level != levSame {
				fs = append(fs, finding{
					kind: KindPeriodChange, severity: periodSeverity(v.level), field: FieldArtists,
					reported:     strings.Join(ev.Artists, ", "),
					catalogValue: ptr(strings.Join(prevArtists, ", ")),
					detail:       detail(v.detail),
				})
			}
		}
	}
	if r, c := deref(ev.ISWC), string(prev.iswc); r != "" && c != "" && r != c && canonicalISWC(r) != canonicalISWC(c) {
		fs = append(fs, finding{
			kind: KindPeriodChange, severity: SeverityCritical, field: FieldISWC, reported: r,
			catalogValue: ptr(c), detail: detail("reported work changed"),
		})
	}
	if r, c := deref(ev.UPC), string(prev.upc); r != "" && c != "" && r != c {
		fs = append(fs, finding{
			kind: KindPeriodChange, severity: SeverityInfo, field: FieldUPC, reported: r,
			catalogValue: ptr(c), detail: detail("reported release changed"),
		})
	}
	return fs
}

// quietHash is the 64-bit FNV-1a hash of the quiet forms of ev's title,
// version title and artists (separated by 0x1F and 0x1E). Equal hashes
// mean the texts differ at most in what the quiet form ignores, so a
// period comparison need not parse them.
func (t *partState) quietHash(ev *avro.UsageEvent) uint64 {
	b := textnorm.AppendQuiet(t.scratch[:0], ev.TrackTitle)
	b = append(b, artistSep)
	b = textnorm.AppendQuiet(b, deref(ev.VersionTitle))
	for _, a := range ev.Artists {
		b = append(b, 0x1e)
		b = textnorm.AppendQuiet(b, a)
	}
	t.scratch = b
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func optional(b []byte) *string {
	if len(b) == 0 {
		return nil
	}
	s := string(b)
	return &s
}
