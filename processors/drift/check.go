package drift

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/catalog"
	"github.com/ledgerline/ledgerline/processors/catalog/textnorm"
)

// titleSeverity is the severity of a title difference against the
// catalog (see the package documentation for the table).
func titleSeverity(l level) string {
	switch l {
	case levMinor:
		return SeverityInfo
	case levMajor:
		return SeverityCritical
	}
	return SeverityWarn
}

// artistSeverity is the severity of an artist difference against the
// catalog.
func artistSeverity(l level) string { return titleSeverity(l) }

// checkCatalog appends the differences between ev and the catalog entry
// e to dst. Events whose title, version title and artists equal the
// catalog's byte for byte skip normalisation altogether.
func checkCatalog(dst []finding, ev *avro.UsageEvent, e *catalog.Entry) []finding {
	rec := &e.Record
	titleRaw := ev.TrackTitle == rec.Title && optEqual(ev.VersionTitle, rec.VersionTitle)
	artistsRaw := slices.Equal(ev.Artists, rec.Artists)
	if !titleRaw || !artistsRaw {
		et := e.Title()
		if !titleRaw {
			parsed := textnorm.ParseTitle(ev.TrackTitle, ev.VersionTitle)
			et = &parsed
			if ev.TrackTitle != "" {
				if v := compareTitles(et, e.Title()); v.level != levSame {
					dst = append(dst, finding{
						kind: KindTitleMismatch, severity: titleSeverity(v.level), field: FieldTitle,
						reported:       displayTitle(ev.TrackTitle, ev.VersionTitle),
						catalogValue:   ptr(displayTitle(rec.Title, rec.VersionTitle)),
						catalogVersion: ptr(rec.Version), detail: v.detail,
					})
				}
			}
		}
		if len(ev.Artists) > 0 && len(rec.Artists) > 0 {
			ec := e.Credits()
			if !artistsRaw {
				parsed := textnorm.ParseCredits(ev.Artists)
				ec = &parsed
			}
			if v := compareCredits(ec, et, e.Credits(), e.Title()); v.level != levSame {
				dst = append(dst, finding{
					kind: KindArtistMismatch, severity: artistSeverity(v.level), field: FieldArtists,
					reported:       strings.Join(ev.Artists, ", "),
					catalogValue:   ptr(strings.Join(rec.Artists, ", ")),
					catalogVersion: ptr(rec.Version), detail: v.detail,
				})
			}
		}
	}
	if r := deref(ev.ISWC); r != "" {
		switch c := deref(rec.ISWC); {
		case c == "":
			dst = append(dst, finding{
				kind: KindISWCMismatch, severity: SeverityWarn, field: FieldISWC, reported: r,
				catalogVersion: ptr(rec.Version), detail: "the catalog has no ISWC for this recording",
			})
		case r != c && canonicalISWC(r) != canonicalISWC(c):
			dst = append(dst, finding{
				kind: KindISWCMismatch, severity: SeverityCritical, field: FieldISWC, reported: r,
				catalogValue: rec.ISWC, catalogVersion: ptr(rec.Version),
				detail: "reported work differs from the catalog's: publishing royalties would go to the wrong work",
			})
		}
	}
	if r, c := deref(ev.UPC), deref(rec.UPC); r != "" && c != "" && r != c && strings.TrimLeft(r, "0") != strings.TrimLeft(c, "0") {
		dst = append(dst, finding{
			kind: KindUPCMismatch, severity: SeverityInfo, field: FieldUPC, reported: r,
			catalogValue: rec.UPC, catalogVersion: ptr(rec.Version),
			detail: "reported release differs from the catalog's main release (the recording may also appear on another release)",
		})
	}
	return dst
}

// displayTitle renders a title with its version title, as people write
// it: "Yesterday (Remastered 2009)".
func displayTitle(title string, version *string) string {
	if v := deref(version); v != "" {
		return fmt.Sprintf("%s (%s)", title, v)
	}
	return title
}

// canonicalISWC strips separators ("T-034.524.680-1") and upper-cases.
func canonicalISWC(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z':
			return r
		}
		return -1
	}, s)
}

func optEqual(a, b *string) bool {
	if a == nil || b == nil {
		return deref(a) == deref(b)
	}
	return *a == *b
}

func ptr[T any](v T) *T { return &v }
