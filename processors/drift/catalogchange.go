package drift

import (
	"fmt"

	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/processors/catalog"
)

// OnCatalogChange raises catalog_changed for a new version of a recording
// whose splits or ISWC changed, once per (DSP, open period) with usage of
// the recording in this partition. The runtime calls it for every
// partition on every applied catalog record; partitions without usage of
// the ISRC do nothing. A change not applied (a replayed version) or a recording's
// first version raises nothing, and a catalog version already counted for
// an alert is not counted again, so a replay after a crash is harmless.
// The alerts are emitted by the next Flush.
func (p *Processor) OnCatalogChange(ctx processors.Context, change catalog.Change) error {
	if !change.Applied || change.Previous == nil || !change.Fields.Any(catalog.FieldSplits|catalog.FieldISWC) {
		return nil
	}
	isrc := change.ISRC
	dsps, err := usageDSPs(ctx, isrc)
	if err != nil || len(dsps) == 0 {
		return err
	}
	fs := changeFindings(change)
	seen := change.Current.ValidFrom
	if seen.IsZero() {
		seen = ctx.Now()
	}
	t := p.state(ctx.Partition())
	store := ctx.Store(StorePeriods)
	for _, dsp := range dsps {
		t.key = periodsKey(t.key, isrc, dsp)
		v, ok, err := store.Get(t.key)
		if err != nil {
			return fmt.Errorf("drift: read periods of %s/%s: %w", isrc, dsp, err)
		}
		if !ok {
			continue
		}
		entries, err := decodePeriods(v, nil)
		if err != nil {
			return fmt.Errorf("drift: periods of %s/%s: %w", isrc, dsp, err)
		}
		for _, e := range p.openPeriods(entries) {
			occ := occurrence{isrc: isrc, dsp: dsp, start: e.start, end: e.end, seen: seen}
			for i := range fs {
				if err := p.raise(ctx, t, occ, &fs[i]); err != nil {
					return err
				}
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

// changeFindings are the catalog_changed findings of a change.
func changeFindings(ch catalog.Change) []finding {
	prev, cur := ch.Previous, &ch.Current
	version := cur.Version
	var fs []finding
	if ch.Fields.Has(catalog.FieldSplits) {
		fs = append(fs, finding{
			kind: KindCatalogChanged, severity: SeverityCritical, field: FieldSplits,
			reported: catalog.SplitsString(cur.Splits), catalogValue: ptr(catalog.SplitsString(prev.Splits)),
			catalogVersion: &version,
			detail: fmt.Sprintf("splits changed in catalog version %d (was version %d) while the period is open: royalties computed with the old splits must be recomputed",
				version, prev.Version),
		})
	}
	if ch.Fields.Has(catalog.FieldISWC) {
		fs = append(fs, finding{
			kind: KindCatalogChanged, severity: SeverityCritical, field: FieldISWC,
			reported: deref(cur.ISWC), catalogValue: prev.ISWC, catalogVersion: &version,
			detail: fmt.Sprintf("ISWC changed in catalog version %d (was version %d) while the period is open: publishing royalties may have gone to the wrong work",
				version, prev.Version),
		})
	}
	return fs
}
