package lake

import (
	"time"

	"github.com/shopspring/decimal"
)

// Row is one usage event as stored in the lake: the UsageEvent flattened,
// the enrichment (catalog version, matched ISRC, drift) and the Kafka
// lineage of the record it came from.
type Row struct {
	EventID         string
	DSP             string
	ReportID        string
	FileName        string
	FileSHA256      string
	Line            int64
	Profile         string
	PeriodStart     time.Time // UTC midnight
	PeriodEnd       time.Time // UTC midnight, inclusive
	Territory       string
	ISRC            *string
	UPC             *string
	ISWC            *string
	ProprietaryID   *string
	TrackTitle      string
	VersionTitle    *string
	Artists         []string
	ReleaseTitle    *string
	Label           *string
	UseType         string
	UseTypeReported string
	CommercialModel string
	Units           int64
	Revenue         decimal.Decimal
	Currency        string
	NeedsMatch      bool
	Warnings        []string
	IngestTime      time.Time // UTC, millisecond precision
	CatalogVersion  *int64
	MatchedISRC     *string
	Drift           []string

	Topic     string // Kafka lineage
	Partition int32
	Offset    int64
}

// record is the Parquet row layout. Column names are the Avro field names
// (source fields flattened), plus kafka_topic, kafka_partition and
// kafka_offset.
type record struct {
	EventID         string             `parquet:"event_id"`
	DSP             string             `parquet:"dsp,dict"`
	ReportID        string             `parquet:"report_id,dict"`
	FileName        string             `parquet:"file_name,dict"`
	FileSHA256      string             `parquet:"file_sha256,dict"`
	Line            int64              `parquet:"line"`
	Profile         string             `parquet:"profile,dict"`
	PeriodStart     int32              `parquet:"period_start,date"`
	PeriodEnd       int32              `parquet:"period_end,date"`
	Territory       string             `parquet:"territory,dict"`
	ISRC            *string            `parquet:"isrc,optional"`
	UPC             *string            `parquet:"upc,optional"`
	ISWC            *string            `parquet:"iswc,optional"`
	ProprietaryID   *string            `parquet:"proprietary_id,optional"`
	TrackTitle      string             `parquet:"track_title"`
	VersionTitle    *string            `parquet:"version_title,optional"`
	Artists         []string           `parquet:"artists,list"`
	ReleaseTitle    *string            `parquet:"release_title,optional"`
	Label           *string            `parquet:"label,optional"`
	UseType         string             `parquet:"use_type,dict"`
	UseTypeReported string             `parquet:"use_type_reported,dict"`
	CommercialModel string             `parquet:"commercial_model,dict"`
	Units           int64              `parquet:"units"`
	Revenue         [revenueWidth]byte `parquet:"revenue,decimal(15:38)"`
	Currency        string             `parquet:"currency,dict"`
	NeedsMatch      bool               `parquet:"needs_match"`
	Warnings        []string           `parquet:"warnings,list"`
	IngestTime      int64              `parquet:"ingest_time,timestamp(millisecond)"`
	CatalogVersion  *int64             `parquet:"catalog_version,optional"`
	MatchedISRC     *string            `parquet:"matched_isrc,optional"`
	Drift           []string           `parquet:"drift,list"`
	KafkaTopic      string             `parquet:"kafka_topic,dict"`
	KafkaPartition  int32              `parquet:"kafka_partition"`
	KafkaOffset     int64              `parquet:"kafka_offset"`
}

// Column names used by pruning and aggregation.
const (
	colISRC       = "isrc"
	colFileSHA256 = "file_sha256"
)

const day = 24 * time.Hour

func epochDay(t time.Time) int32 {
	y, m, d := t.UTC().Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dayTime(days int32) time.Time {
	return time.Unix(int64(days)*86400, 0).UTC()
}

// sizeEstimate approximates the bytes a buffered record holds, for the
// RollBytes trigger.
func (r *record) sizeEstimate() int64 {
	n := 160 + len(r.EventID) + len(r.DSP) + len(r.ReportID) + len(r.FileName) +
		len(r.FileSHA256) + len(r.Profile) + len(r.Territory) + len(r.TrackTitle) +
		len(r.UseType) + len(r.UseTypeReported) + len(r.CommercialModel) +
		len(r.Currency) + len(r.KafkaTopic)
	for _, p := range []*string{r.ISRC, r.UPC, r.ISWC, r.ProprietaryID, r.VersionTitle, r.ReleaseTitle, r.Label, r.MatchedISRC} {
		if p != nil {
			n += 16 + len(*p)
		}
	}
	for _, ss := range [][]string{r.Artists, r.Warnings, r.Drift} {
		for _, s := range ss {
			n += 16 + len(s)
		}
	}
	return int64(n)
}

func (r *record) toRow() Row {
	return Row{
		EventID:         r.EventID,
		DSP:             r.DSP,
		ReportID:        r.ReportID,
		FileName:        r.FileName,
		FileSHA256:      r.FileSHA256,
		Line:            r.Line,
		Profile:         r.Profile,
		PeriodStart:     dayTime(r.PeriodStart),
		PeriodEnd:       dayTime(r.PeriodEnd),
		Territory:       r.Territory,
		ISRC:            r.ISRC,
		UPC:             r.UPC,
		ISWC:            r.ISWC,
		ProprietaryID:   r.ProprietaryID,
		TrackTitle:      r.TrackTitle,
		VersionTitle:    r.VersionTitle,
		Artists:         r.Artists,
		ReleaseTitle:    r.ReleaseTitle,
		Label:           r.Label,
		UseType:         r.UseType,
		UseTypeReported: r.UseTypeReported,
		CommercialModel: r.CommercialModel,
		Units:           r.Units,
		Revenue:         decodeRevenue(r.Revenue),
		Currency:        r.Currency,
		NeedsMatch:      r.NeedsMatch,
		Warnings:        r.Warnings,
		IngestTime:      time.UnixMilli(r.IngestTime).UTC(),
		CatalogVersion:  r.CatalogVersion,
		MatchedISRC:     r.MatchedISRC,
		Drift:           r.Drift,
		Topic:           r.KafkaTopic,
		Partition:       r.KafkaPartition,
		Offset:          r.KafkaOffset,
	}
}
