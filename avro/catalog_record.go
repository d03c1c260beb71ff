package avro

import (
	"time"

	"github.com/shopspring/decimal"
)

// Split is one contributor's share of a recording.
type Split struct {
	PartyID string
	Name    string
	Role    string
	Share   decimal.Decimal // fraction of 1
}

// CatalogRecord is the authoritative metadata of one recording.
type CatalogRecord struct {
	ISRC         string
	Version      int64
	ValidFrom    time.Time
	Title        string
	VersionTitle *string
	Artists      []string
	ReleaseTitle *string
	UPC          *string
	ISWC         *string
	Label        *string
	Splits       []Split
}

func catalogToNative(c *CatalogRecord) (map[string]any, error) {
	splits := make([]any, len(c.Splits))
	for i, s := range c.Splits {
		share, err := decimalToRat(s.Share, ShareScale, "share")
		if err != nil {
			return nil, err
		}
		splits[i] = map[string]any{"party_id": s.PartyID, "name": s.Name, "role": s.Role, "share": share}
	}
	return map[string]any{
		"isrc":          c.ISRC,
		"version":       c.Version,
		"valid_from":    c.ValidFrom,
		"title":         c.Title,
		"version_title": optString(c.VersionTitle),
		"artists":       strings2any(c.Artists),
		"release_title": optString(c.ReleaseTitle),
		"upc":           optString(c.UPC),
		"iswc":          optString(c.ISWC),
		"label":         optString(c.Label),
		"splits":        splits,
	}, nil
}

func catalogFromNative(m map[string]any) (CatalogRecord, error) {
	r := fieldReader{m: m}
	c := CatalogRecord{
		ISRC:         r.str("isrc"),
		Version:      r.long("version"),
		ValidFrom:    r.timestamp("valid_from"),
		Title:        r.str("title"),
		VersionTitle: r.optStr("version_title"),
		Artists:      r.strs("artists"),
		ReleaseTitle: r.optStr("release_title"),
		UPC:          r.optStr("upc"),
		ISWC:         r.optStr("iswc"),
		Label:        r.optStr("label"),
	}
	for _, sm := range r.records("splits") {
		sr := fieldReader{m: sm}
		c.Splits = append(c.Splits, Split{
			PartyID: sr.str("party_id"),
			Name:    sr.str("name"),
			Role:    sr.str("role"),
			Share:   sr.decimal("share"),
		})
		if sr.err != nil && r.err == nil {
			r.err = sr.err
		}
	}
	return c, r.err
}
