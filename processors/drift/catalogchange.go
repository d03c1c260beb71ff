package drift

import (
	"bytes"
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/processors/catalog"
)

// catalog_changed is raised by OnCatalogChange and by the next usage
// event of the recording (trackPeriod), through catchUp and raiseChanged,
// comparing the catalog version recorded in the periods store with the
// newer one; see "Catalog changes" in the package documentation.

// OnCatalogChange raises catalog_changed for a new version of a recording
// whose splits or ISWC changed, once per (DSP, open period) with usage of
// the recording in this partition. The runtime calls it for every
// partition on every applied catalog record; partitions without usage of
// the ISRC do nothing. A change not applied (a replayed version) or a
// recording's first version raises nothing. Usage already checked against
// this version or a newer one (by an earlier call or by an event that saw
// it first) raises nothing either; usage checked against a version older
// than change.Previous is compared with that older version. A catalog
// version already counted for an alert is not counted again, so a replay
// after a crash is harmless. The alerts are emitted by the next Flush.
func (p *Processor) OnCatalogChange(ctx processors.Context, change catalog.Change) error {
	if !change.Applied || change.Previous == nil || !change.Fields.Any(catalog.FieldSplits|catalog.FieldISWC) {
		return nil
	}
	dsps, err := usageDSPs(ctx, change.ISRC)
	if err != nil || len(dsps) == 0 {
		return err
	}
	cur := &change.Current
	at := cur.ValidFrom
	if at.IsZero() {
		at = ctx.Now()
	}
	next := checkedOfRecord(cur)
	return p.catchUp(ctx, p.state(ctx.Partition()), change.ISRC, dsps, "", cur, &next, change.Previous, at)
}

// catchUp brings the periods of isrc of each DSP of dsps but skip up to
// catalog version cur (next is what is kept of it). A DSP whose usage was
// checked against an older version with other splits or ISWC gets
// catalog_changed for its open periods (raiseChanged); every DSP checked
// against an older version then records cur. prev is the version cur
// replaced when known (a Change), nil otherwise: it stands in for the
// version usage was checked against when that is unknown (version 0);
// without it such usage records cur and raises nothing. at is the
// sighting time of the alerts.
func (p *Processor) catchUp(ctx processors.Context, t *partState, isrc string, dsps []string, skip string,
	cur *avro.CatalogRecord, next *checked, prev *avro.CatalogRecord, at time.Time) error {
	store := ctx.Store(StorePeriods)
	for _, dsp := range dsps {
		if dsp == skip {
			continue
		}
		key := periodsKey(nil, isrc, dsp)
		v, ok, err := store.Get(key)
		if err != nil {
			return fmt.Errorf("drift: read periods of %s/%s: %w", isrc, dsp, err)
		}
		if !ok {
			continue
		}
		base, entries, err := decodePeriods(v, nil)
		if err != nil {
			return fmt.Errorf("drift: periods of %s/%s: %w", isrc, dsp, err)
		}
		if base.version >= cur.Version {
			continue // already checked against this version or a newer one
		}
		var baseRec *avro.CatalogRecord
		switch {
		case prev == nil:
		case base.version == 0:
			// Checked against no known version (the ISRC was not in the
			// catalog, or the state predates periods layout 2): compare
			// with the version the change replaced.
			base, baseRec = checkedOfRecord(prev), prev
		case base.version == prev.Version:
			baseRec = prev
		}
		if base.version > 0 && base.differs(next) {
			if err := p.raiseChanged(ctx, t, isrc, dsp, entries, &base, baseRec, next, cur, at); err != nil {
				return err
			}
		}
		if err := store.Put(key, encodeEntries(next, entries)); err != nil {
			return fmt.Errorf("drift: write periods of %s/%s: %w", isrc, dsp, err)
		}
		delete(t.memo, t.memoKey(isrc, dsp))
	}
	return nil
}

// raiseChanged raises catalog_changed for each open period among entries,
// the periods of (isrc, dsp), whose usage was checked against catalog
// version base and is now compared with cur (next is what is kept of
// cur): one alert per field of splits and ISWC that differs. baseRec is
// base's record when the caller has it; otherwise it is read from the
// catalog, and only if the splits differ, to show the old splits. at is
// the sighting time: cur's valid_from, or the caller's time without one.
func (p *Processor) raiseChanged(ctx processors.Context, t *partState, isrc, dsp string, entries []periodEntry,
	base *checked, baseRec *avro.CatalogRecord, next *checked, cur *avro.CatalogRecord, at time.Time) error {
	if base.splits != next.splits && baseRec == nil {
		rec, ok, err := p.cat.Version(isrc, base.version)
		if err != nil {
			return fmt.Errorf("drift: catalog version %d of %s: %w", base.version, isrc, err)
		}
		if ok {
			baseRec = &rec
		}
	}
	fs := changedFindings(base, baseRec, next, cur)
	for _, e := range p.openPeriods(entries) {
		occ := occurrence{isrc: isrc, dsp: dsp, start: e.start, end: e.end, seen: at}
		for i := range fs {
			if err := p.raise(ctx, t, occ, &fs[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// openPeriods returns the periods still open: the latest, and those ending
// within OpenPeriodDays of the latest end.
func (p *Processor) openPeriods(entries []periodEntry) []periodEntry {
	if len(entries) == 0 {
		return nil
	}
	latest := entries[0].end
	for _, e := range entries[1:] {
		latest = max(latest, e.end)
	}
	var open []periodEntry
	for _, e := range entries {
		if int(latest-e.end) <= p.opts.OpenPeriodDays {
			open = append(open, e)
		}
	}
	return open
}

// changedFindings are the catalog_changed findings of cur against base,
// the version usage was checked against: one for the splits and one for
// the ISWC, each if it differs. baseRec, base's record, may be nil when
// the catalog no longer has it; the old splits are then not shown.
func changedFindings(base *checked, baseRec *avro.CatalogRecord, next *checked, cur *avro.CatalogRecord) []finding {
	version := cur.Version
	var fs []finding
	if base.splits != next.splits {
		f := finding{
			kind: KindCatalogChanged, severity: SeverityCritical, field: FieldSplits,
			reported: catalog.SplitsString(cur.Splits), catalogVersion: &version,
			detail: fmt.Sprintf("splits changed in catalog version %d (was version %d) while the period is open: royalties computed with the old splits must be recomputed",
				version, base.version),
		}
		if baseRec != nil {
			f.catalogValue = ptr(catalog.SplitsString(baseRec.Splits))
		} else {
			f.detail = fmt.Sprintf("splits changed in catalog version %d (was version %d, no longer in the catalog) while the period is open: royalties computed with the old splits must be recomputed",
				version, base.version)
		}
		fs = append(fs, f)
	}
	if !bytes.Equal(base.iswc, next.iswc) {
		fs = append(fs, finding{
			kind: KindCatalogChanged, severity: SeverityCritical, field: FieldISWC,
			reported: deref(cur.ISWC), catalogValue: optional(base.iswc), catalogVersion: &version,
			detail: fmt.Sprintf("ISWC changed in catalog version %d (was version %d) while the period is open: publishing royalties may have gone to the wrong work",
				version, base.version),
		})
	}
	return fs
}
