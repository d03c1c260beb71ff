package drift

import (
	"fmt"
	"strings"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors"
	"github.com/ledgerline/ledgerline/processors/catalog"
	"github.com/ledgerline/ledgerline/processors/catalog/textnorm"
)

// unidentified handles an event without ISRC: it tries to identify the
// recording by UPC and normalised title and raises an unidentified alert
// saying whether and to what it matched. Such events are keyed by DSP,
// UPC and title, not by the matched ISRC, so they are not checked further
// nor tracked across periods: that state belongs to the matched ISRC's
// partition.
func (p *Processor) unidentified(ctx processors.Context, t *partState, ev *avro.UsageEvent, out *avro.EnrichedUsageEvent) error {
	upc := deref(ev.UPC)
	f := finding{kind: KindUnidentified, field: FieldISRC, reported: unidentifiedValue(ev), severity: SeverityWarn}
	var m catalog.Match
	if upc != "" {
		var err error
		if m, err = p.cat.MatchTitle(upc, textnorm.ParseTitle(ev.TrackTitle, ev.VersionTitle)); err != nil {
			return fmt.Errorf("drift: match %s: %w", ev.EventID, err)
		}
	}
	switch {
	case m.Matched():
		e, ok, err := p.cat.Lookup(m.ISRC)
		if err != nil {
			return fmt.Errorf("drift: catalog lookup %s: %w", m.ISRC, err)
		}
		isrc := m.ISRC
		out.MatchedISRC, f.catalogValue = &isrc, &isrc
		if ok {
			v := e.Record.Version
			out.CatalogVersion, f.catalogVersion = &v, &v
		}
		f.severity = SeverityInfo
		f.detail = fmt.Sprintf("no ISRC reported; matched by UPC %s and title to ISRC %s", upc, isrc)
	case upc == "":
		f.detail = "no ISRC and no UPC reported; not matched to the catalog"
	case m.Candidates > 1:
		f.detail = fmt.Sprintf("no ISRC reported; not matched: %d recordings on UPC %s have this title and none has its version", m.Candidates, upc)
	default:
		f.detail = fmt.Sprintf("no ISRC reported; not matched: no recording on UPC %s has this title", upc)
	}
	if err := p.raise(ctx, t, eventOccurrence(ev, ""), &f); err != nil {
		return err
	}
	addKind(out, KindUnidentified)
	return nil
}

// unidentifiedValue is the reported value of an unidentified alert: what
// the line says about the recording, "title / artists / UPC".
func unidentifiedValue(ev *avro.UsageEvent) string {
	var b strings.Builder
	b.WriteString(displayTitle(ev.TrackTitle, ev.VersionTitle))
	b.WriteString(" / ")
	b.WriteString(strings.Join(ev.Artists, ", "))
	b.WriteString(" / ")
	if upc := deref(ev.UPC); upc != "" {
		b.WriteString("UPC ")
		b.WriteString(upc)
	} else {
		b.WriteString("no UPC")
	}
	return b.String()
}
