package lake

import (
	"fmt"

	"github.com/ledgerline/ledgerline/avro"
)

// fromEnriched flattens a decoded topic record into the Parquet layout.
func fromEnriched(e *avro.EnrichedUsageEvent, topic string, partition int32, offset int64) (record, error) {
	ev := &e.Event
	rev, err := encodeRevenue(ev.Revenue)
	if err != nil {
		return record{}, fmt.Errorf("event %s: %w", ev.EventID, err)
	}
	return record{
		EventID:         ev.EventID,
		DSP:             ev.Source.DSP,
		ReportID:        ev.Source.ReportID,
		FileName:        ev.Source.FileName,
		FileSHA256:      ev.Source.FileSHA256,
		Line:            ev.Source.Line,
		Profile:         ev.Source.Profile,
		PeriodStart:     epochDay(ev.PeriodStart),
		PeriodEnd:       epochDay(ev.PeriodEnd),
		Territory:       ev.Territory,
		ISRC:            ev.ISRC,
		UPC:             ev.UPC,
		ISWC:            ev.ISWC,
		ProprietaryID:   ev.ProprietaryID,
		TrackTitle:      ev.TrackTitle,
		VersionTitle:    ev.VersionTitle,
		Artists:         ev.Artists,
		ReleaseTitle:    ev.ReleaseTitle,
		Label:           ev.Label,
		UseType:         ev.UseType,
		UseTypeReported: ev.UseTypeReported,
		CommercialModel: ev.CommercialModel,
		Units:           ev.Units,
		Revenue:         rev,
		Currency:        ev.Currency,
		NeedsMatch:      ev.NeedsMatch,
		Warnings:        ev.Warnings,
		IngestTime:      ev.IngestTime.UnixMilli(),
		CatalogVersion:  e.CatalogVersion,
		MatchedISRC:     e.MatchedISRC,
		Drift:           e.Drift,
		KafkaTopic:      topic,
		KafkaPartition:  partition,
		KafkaOffset:     offset,
	}, nil
}
