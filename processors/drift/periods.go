package drift

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/processors/catalog"
	"github.com/ledgerline/ledgerline/processors/catalog/textnorm"
)

// Layout of a periods store value, keyed by ISRC, a zero byte and the DSP:
// the catalog version the DSP's usage of the ISRC was last checked
// against, and the metadata the DSP last reported for the ISRC in each of
// its recent reporting periods, newest period (by start, then end) first.
//
//	byte    layout version (2)
//	uvarint catalog version last checked against (0: none, see below)
//	uint64  catalog.SplitsHash of that version's splits, little endian
//	string  that version's ISWC ("" when none)
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
// Layout 1, written before the catalog version was kept, lacks the three
// catalog fields and is read as catalog version 0: usage checked against
// no known version. Values are always written in layout 2, so a layout 1
// value is converted the first time its key is written.
//
// A period is kept while it is open (see Options.OpenPeriodDays), and the
// two newest are always kept, up to Options.MaxPeriods.
const (
	periodsLayout   = 2
	periodsLayoutV1 = 1
)

const artistSep = 0x1f

// periodEntry is one period of a periods value; the byte fields alias the
// value read from the store.
type periodEntry struct {
	start, end                         int32
	quiet                              uint64
	title, version, artists, iswc, upc []byte
}

// checked is the catalog version usage of an (ISRC, DSP) was last checked
// against, with what catalog_changed compares of it. Version 0 means none:
// the ISRC was not in the catalog, or the value predates layout 2.
type checked struct {
	version int64
	splits  uint64 // catalog.SplitsHash of the version's splits
	iswc    []byte // the version's ISWC; aliases the stored value when decoded
}

// checkedOf returns what is kept of catalog entry e, its ISWC copied into
// buf (reused to spare an allocation).
func checkedOf(e *catalog.Entry, buf []byte) checked {
	return checked{version: e.Record.Version, splits: e.SplitsHash(), iswc: append(buf[:0], deref(e.Record.ISWC)...)}
}

// checkedOfRecord returns what is kept of catalog record r.
func checkedOfRecord(r *avro.CatalogRecord) checked {
	return checked{version: r.Version, splits: catalog.SplitsHash(r.Splits), iswc: optBytes(r.ISWC)}
}

// differs reports whether the splits or the ISWC of c and d differ.
func (c *checked) differs(d *checked) bool {
	return c.splits != d.splits || !bytes.Equal(c.iswc, d.iswc)
}

func optBytes(s *string) []byte {
	if s == nil {
		return nil
	}
	return []byte(*s)
}

func decodePeriods(v []byte, dst []periodEntry) (checked, []periodEntry, error) {
	r := reader{b: v}
	var c checked
	switch r.byte() {
	case periodsLayout:
		c.version = int64(r.uvarint())
		c.splits = r.uint64()
		c.iswc = r.bytes()
	case periodsLayoutV1:
	default:
		return c, dst, fmt.Errorf("%w: periods layout", errCorrupt)
	}
	n := r.uvarint()
	if n > 1<<16 {
		return c, dst, fmt.Errorf("%w: %d periods", errCorrupt, n)
	}
	for i := uint64(0); i < n && r.err == nil; i++ {
		dst = append(dst, periodEntry{
			start: r.day(), end: r.day(), quiet: r.uint64(),
			title: r.bytes(), version: r.bytes(), artists: r.bytes(), iswc: r.bytes(), upc: r.bytes(),
		})
	}
	return c, dst, r.done()
}

// appendPeriodsHeader starts a periods value: the layout version and c.
func appendPeriodsHeader(b []byte, c *checked) []byte {
	b = append(b, periodsLayout)
	b = binary.AppendUvarint(b, uint64(c.version))
	b = binary.LittleEndian.AppendUint64(b, c.splits)
	return appendBytes(b, c.iswc)
}

// encodeEntries writes c and entries unchanged.
func encodeEntries(c *checked, entries []periodEntry) []byte {
	b := make([]byte, 0, 32+len(c.iswc)+len(entries)*64)
	b = appendPeriodsHeader(b, c)
	b = binary.AppendUvarint(b, uint64(len(entries)))
	for i := range entries {
		b = appendPeriodEntry(b, &entries[i])
	}
	return b
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
// records ev's metadata for its period. ce is the ISRC's current catalog
// entry, nil when the catalog has none. If ce is newer than the version
// the DSP's usage of the ISRC was last checked against, trackPeriod
// records ce's version and, when that older version is known, raises
// catalog_changed as OnCatalogChange does: for the open periods of this
// DSP and of the recording's other DSPs in the partition whose splits or
// ISWC differ (see catchUp). The store is written only when the period is
// new, its metadata changed beyond what the quiet form ignores (case,
// diacritics, apostrophes, spacing), or the catalog version moved on.
func (p *Processor) trackPeriod(ctx processors.Context, t *partState, fs []finding, ev *avro.UsageEvent, isrc string, ce *catalog.Entry) ([]finding, error) {
	var version int64
	if ce != nil {
		version = ce.Record.Version
	}
	mk, mh := t.memoHash(isrc, ev, version)
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
	var seen checked
	entries := t.entries[:0]
	if known {
		if seen, entries, err = decodePeriods(v, entries); err != nil {
			return fs, fmt.Errorf("drift: periods of %s/%s: %w", isrc, ev.Source.DSP, err)
		}
		t.entries = entries // keep the grown buffer; entries alias v until the next call
	}
	moved := version > seen.version // the catalog has a newer version than the one checked
	if moved {
		next := checkedOf(ce, t.iswc)
		t.iswc = next.iswc
		if seen.version > 0 {
			// Usage checked against an older version: compare it, and the
			// other DSPs' usage of the recording, with the new one.
			at := ce.Record.ValidFrom
			if at.IsZero() {
				at = ev.IngestTime
			}
			if seen.differs(&next) {
				if err := p.raiseChanged(ctx, t, isrc, ev.Source.DSP, entries, &seen, nil, &next, &ce.Record, at); err != nil {
					return fs, err
				}
			}
			dsps, err := usageDSPs(ctx, isrc)
			if err != nil {
				return fs, err
			}
			if err := p.catchUp(ctx, t, isrc, dsps, ev.Source.DSP, &ce.Record, &next, nil, at); err != nil {
				return fs, err
			}
		}
		seen = next
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
	var value []byte
	if cur >= 0 {
		e := &entries[cur]
		if e.sameAsEvent(ev) || (string(e.iswc) == deref(ev.ISWC) && string(e.upc) == deref(ev.UPC) && e.quiet == eventQuiet()) {
			// Nothing changed beyond what the quiet form ignores.
			if !moved {
				if len(fs) == found {
					t.memoRemember(mk, mh)
				}
				return fs, nil
			}
			value = encodeEntries(&seen, entries) // only the catalog version moved
		}
	}
	if value == nil {
		value = p.encodePeriods(&seen, entries, cur, ev, eventQuiet(), start, end)
	}
	delete(t.memo, mk)
	if err := store.Put(bytes.Clone(t.key), value); err != nil {
		return fs, fmt.Errorf("drift: write periods of %s/%s: %w", isrc, ev.Source.DSP, err)
	}
	if !known {
		if err := addUsage(ctx, isrc, ev.Source.DSP); err != nil {
			return fs, err
		}
	}
	return fs, nil
}

// encodePeriods writes c and entries with ev's metadata replacing entry
// cur (or inserted in order when cur < 0), dropping closed periods.
func (p *Processor) encodePeriods(c *checked, entries []periodEntry, cur int, ev *avro.UsageEvent, quiet uint64, start, end int32) []byte {
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
	b := make([]byte, 0, 96+len(c.iswc)+len(entries)*64)
	b = appendPeriodsHeader(b, c)
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
