package dsr

import (
	"fmt"

	"github.com/ledgerline/ledgerline/connectors/reportfile/linereader"
	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
)

// usage builds the row of a usage (SUxx) record.
func (p *Parser) usage(l *layout, layoutNote string, line linereader.Line) model.Row {
	row := model.Row{
		Line:      line.Number,
		Raw:       line.Text,
		Numbers:   model.NumberStyle{Decimal: '.'},
		DateOrder: model.DateOrderYMD,
	}
	var problems []string
	if l == nil {
		problems = append(problems, layoutNote)
	}

	sum, why := p.findSummary(p.id(l, "summaryrecordid"), l.cell("summaryrecordid") >= 0)
	if why != "" {
		problems = append(problems, why)
	}
	res, rel, why := p.findProduct(l)
	if why != "" {
		problems = append(problems, why)
	}

	c := &row.Cells
	c[model.FieldDSP] = first(p.head.senderName, sumField(sum, func(s *summary) string { return s.serviceDescription }), p.head.serviceDescription)
	if sum != nil {
		row.Scope = scopeName(sum.id)
		c[model.FieldTerritory] = sum.territory
		c[model.FieldCurrency] = sum.currency
		c[model.FieldCommercialModel] = sum.commercialModel
		c[model.FieldUseType] = sum.useType
	}
	if res != nil {
		c[model.FieldISRC] = res.isrc
		c[model.FieldTrackTitle] = res.title
		c[model.FieldVersionTitle] = res.subtitle
		c[model.FieldArtists] = res.artist
		c[model.FieldISWC] = res.iswc
		c[model.FieldProprietaryID] = res.dspID
	}
	if c[model.FieldISWC] == "" && (res != nil || rel == nil) {
		c[model.FieldISWC] = p.blk.iswc()
	}
	if rel != nil {
		c[model.FieldUPC] = rel.icpn
		c[model.FieldReleaseTitle] = rel.title
		c[model.FieldLabel] = rel.label
		c[model.FieldArtists] = first(c[model.FieldArtists], rel.artist)
		c[model.FieldProprietaryID] = first(c[model.FieldProprietaryID], rel.dspID, rel.propID, rel.catalog)
	}
	c[model.FieldProprietaryID] = first(c[model.FieldProprietaryID], p.id(l, "dspresourceid"), p.id(l, "dspreleaseid"))
	unitCells := [...]string{"numberofstreams", "usages", "numberofusages", "numberofsales", "numberofconsumersalesgross", "salescount"}
	amountCells := [...]string{"netrevenue", "royaltyamount", "amount"}
	c[model.FieldUnits] = p.id(l, unitCells[:]...)
	c[model.FieldAmount] = p.id(l, amountCells[:]...)
	// A record type without the column (Basic Audio usage records carry
	// streams but no revenue) does not report the value at all.
	if l != nil && l.cell(unitCells[:]...) < 0 {
		row.NotReported = row.NotReported.With(model.FieldUnits)
	}
	if l != nil && l.cell(amountCells[:]...) < 0 {
		row.NotReported = row.NotReported.With(model.FieldAmount)
	}
	c[model.FieldUseType] = first(p.str(l, "usetype"), c[model.FieldUseType])
	c[model.FieldCommercialModel] = first(p.str(l, "commercialmodel"), c[model.FieldCommercialModel])
	if start := p.id(l, "validityperiodstart", "usagestartdate"); start != "" {
		c[model.FieldPeriodStart] = start
		c[model.FieldPeriodEnd] = p.id(l, "validityperiodend", "usageenddate")
	} else {
		c[model.FieldPeriodStart] = p.head.usageStart
		c[model.FieldPeriodEnd] = p.head.usageEnd
	}
	row.Malformed = describe(problems)
	return row
}

// findProduct joins a usage record to the resource or release it names
// in the current block.
func (p *Parser) findProduct(l *layout) (*resource, *release, string) {
	b := &p.blk
	var res *resource
	var rel *release
	switch txRes, txRel, dspRes, dspRel := p.id(l, "transactedresource"), p.id(l, "transactedrelease"), p.id(l, "dspresourceid"), p.id(l, "dspreleaseid"); {
	case txRes != "":
		if res = b.findResource(txRes); res == nil {
			return nil, nil, fmt.Sprintf("TransactedResource %q is not a resource of block %q", txRes, b.id)
		}
	case txRel != "":
		if rel = b.findRelease(txRel); rel == nil {
			return nil, nil, fmt.Sprintf("TransactedRelease %q is not a release of block %q", txRel, b.id)
		}
	case dspRes != "":
		if res = b.findResource(dspRes); res == nil {
			return nil, nil, fmt.Sprintf("DspResourceId %q is not a resource of block %q", dspRes, b.id)
		}
	case dspRel != "":
		if res = b.findResource(dspRel); res == nil {
			if rel = b.findRelease(dspRel); rel == nil {
				return nil, nil, fmt.Sprintf("DspReleaseId %q is not a release or resource of block %q", dspRel, b.id)
			}
		}
	case len(b.resources) == 1:
		res = &b.resources[0]
	case len(b.releases) == 1:
		rel = &b.releases[0]
	case len(b.resources) == 0 && len(b.releases) == 0:
		return nil, nil, fmt.Sprintf("block %q has no release or resource record before the usage record", b.id)
	default:
		return nil, nil, "the usage record names no release or resource"
	}
	if res != nil && rel == nil && len(b.releases) > 0 {
		rel = &b.releases[0]
	}
	return res, rel, ""
}

func first(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func sumField(s *summary, f func(*summary) string) string {
	if s == nil {
		return ""
	}
	return f(s)
}
