package dsr

import (
	"regexp"
	"strconv"
	"strings"
)

// recordType matches record type codes such as "SY02", "SU03.01", "HEAD".
var recordType = regexp.MustCompile(`^(HEAD|FOOT|[A-Z]{2}[0-9]{2}(\.[0-9]{2})?)$`)

// layout names the cells of a record type. Position 0 is the record type.
type layout struct {
	recordType string
	source     string
	names      []string
	pos        map[string]int
}

func newLayout(recordType, source string, names []string) *layout {
	l := &layout{recordType: recordType, source: source, pos: make(map[string]int, len(names))}
	for i, n := range names {
		key := normName(n)
		l.names = append(l.names, key)
		if _, dup := l.pos[key]; !dup && key != "" {
			l.pos[key] = i + 1
		}
	}
	return l
}

// cell returns the position of the first of names the layout has, or -1.
func (l *layout) cell(names ...string) int {
	if l == nil {
		return -1
	}
	for _, n := range names {
		if i, ok := l.pos[n]; ok {
			return i
		}
	}
	return -1
}

// normName folds a cell name: lower case, no white space.
func normName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// baseType strips the version: "SU03.01" -> "SU03".
func baseType(t string) string {
	if i := strings.IndexByte(t, '.'); i >= 0 {
		return t[:i]
	}
	return t
}

// family strips the number: "SU03.01" -> "SU".
func family(t string) string {
	if t == "HEAD" || t == "FOOT" || len(t) < 2 {
		return t
	}
	return t[:2]
}

// defaultOrder lists the record types of defaultLayouts in a fixed order.
func defaultOrder() []string {
	return []string{"HEAD", "FOOT", "SY01.02", "SY02.01", "SY02.03", "RE01.02", "AS01", "AS02.03", "MW01.01", "RU01", "SU02.02", "SU03.01", "LI01.01"}
}

// defaultLayouts returns the cell layouts of the record types of the
// published DSR samples (Basic Audio 1.3 and UGC 1.0/1.1 profiles).
func defaultLayouts() map[string][]string {
	return map[string][]string{
		"HEAD":    {"MessageVersion", "Profile", "ProfileVersion", "MessageId", "MessageCreatedDateTime", "FileNumber", "NumberOfFiles", "UsageStartDate", "UsageEndDate", "SenderPartyId", "SenderName", "ServiceDescription", "RecipientPartyId", "RecipientName", "RepresentedRepertoire"},
		"FOOT":    {"NumberOfLinesInFile", "NumberOfLinesInReport", "NumberOfSummaryRecords", "NumberOfBlocksInFile", "NumberOfBlocksInReport"},
		"SY01.02": {"SummaryRecordId", "DistributionChannel", "DistributionChannelDPID", "CommercialModel", "UseType", "Territory", "ServiceDescription", "TotalUsages", "Subscribers", "CurrencyOfReporting", "NetRevenue", "IndirectValue", "CurrencyOfTransaction", "ExchangeRate"},
		"SY02.01": {"SummaryRecordId", "DistributionChannel", "DistributionChannelDPID", "CommercialModel", "UseType", "Territory", "ServiceDescription", "Usages", "Users", "Currency", "NetRevenue", "RightsController", "RightsControllerPartyId", "AllocatedUsages", "AllocatedRevenue", "AllocatedNetRevenue", "RightsType"},
		"SY02.03": {"SummaryRecordId", "DistributionChannel", "DistributionChannelDPID", "CommercialModel", "UseType", "Territory", "ServiceDescription", "Usages", "Users", "Currency", "NetRevenue", "RightsController", "RightsControllerPartyId", "AllocatedUsages", "AllocatedRevenue", "AllocatedNetRevenue", "RightsType", "ContentCategory", "ExchangeRateBaseCurrency", "ExchangeRate", "RightsTypePercentage"},
		"RE01.02": {"BlockId", "ReleaseReference", "DspReleaseId", "ProprietaryReleaseId", "CatalogNumber", "ICPN", "DisplayArtistName", "DisplayArtistPartyId", "Title", "SubTitle", "ReleaseType", "LabelName", "PLine", "DataProviderName", "ReleaseDate"},
		"AS01":    {"BlockId", "ResourceReference", "DspResourceId", "ISRC", "Title", "SubTitle", "DisplayArtistName", "DisplayArtistPartyId", "Duration", "ResourceType"},
		"AS02.03": {"BlockId", "ResourceReference", "DspResourceId", "ISRC", "Title", "SubTitle", "DisplayArtistName", "DisplayArtistPartyId", "Duration", "ResourceType", "ISWC", "ComposerAuthor", "ComposerAuthorPartyId", "Arranger", "ArrangerPartyId", "MusicPublisher", "MusicPublisherPartyId", "WorkContributor", "WorkContributorPartyId", "ProprietaryWorkId", "IsMasterRecording", "IsSubjectToOwnershipConflict", "LastConflictCheck"},
		"MW01.01": {"BlockId", "DspWorkId", "ISWC", "Title", "SubTitle", "ComposerAuthor", "ComposerAuthorPartyId", "Arranger", "ArrangerPartyId", "MusicPublisher", "MusicPublisherPartyId", "WorkContributor", "WorkContributorPartyId", "DataProvider", "ProprietaryWorkId"},
		"RU01":    {"BlockId", "SummaryRecordId", "DspReleaseId", "Usages"},
		"SU02.02": {"BlockId", "SummaryRecordId", "SalesTransactionId", "TransactedRelease", "TransactedResource", "IsRoyaltyBearing", "NumberOfStreams", "PriceConsumerPaidExcSalesTax", "PromotionalActivity", "UseType"},
		"SU03.01": {"BlockId", "SalesTransactionId", "SummaryRecordId", "DspReleaseId", "Usages", "NetRevenue", "ValidityPeriodStart", "ValidityPeriodEnd"},
		"LI01.01": {"BlockId", "SummaryRecordId", "RightsController", "RightsControllerProprietaryID", "RightsControllerWorkID", "RightShare%", "RightType", "AllocatedNetRevenue", "AllocatedAmount"},
	}
}

// layoutBook resolves record types to layouts: the file's '#' lines first,
// then the built-in layouts.
type layoutBook struct {
	comments     map[string]*layout
	lastOfFamily map[string]*layout
	defaults     []*layout
}

func newLayoutBook() *layoutBook {
	b := &layoutBook{
		comments:     map[string]*layout{},
		lastOfFamily: map[string]*layout{},
	}
	all := defaultLayouts()
	for _, t := range defaultOrder() {
		b.defaults = append(b.defaults, newLayout(t, "the built-in "+t+" layout", all[t]))
	}
	return b
}

// addComment registers the layout named by a '#' line; it reports whether
// the line named a record type.
func (b *layoutBook) addComment(cells []string, line int64) bool {
	if len(cells) == 0 {
		return false
	}
	t := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(cells[0], "#")))
	if !recordType.MatchString(t) {
		return false
	}
	l := newLayout(t, "the #"+t+" line "+strconv.FormatInt(line, 10), cells[1:])
	b.comments[t] = l
	b.lastOfFamily[family(t)] = l
	return true
}

// lookup returns the layout for a record type and, when it is borrowed
// from another record type, a note saying so.
func (b *layoutBook) lookup(t string) (*layout, string) {
	if l := b.comments[t]; l != nil {
		return l, ""
	}
	for _, l := range b.defaults {
		if l.recordType == t {
			return l, ""
		}
	}
	base := baseType(t)
	if l := b.comments[base]; l != nil {
		return l, ""
	}
	for _, l := range b.defaults {
		if baseType(l.recordType) == base {
			return l, ""
		}
	}
	if l := b.lastOfFamily[family(t)]; l != nil {
		return l, "record type " + t + " has no layout of its own; read with " + l.source
	}
	return nil, "record type " + t + " has no known layout"
}
