package dsr

import (
	"strings"
)

// release is a release (RExx) record.
type release struct {
	ref, dspID, propID, catalog, icpn, artist, title, label string
}

// resource is a resource (ASxx) record.
type resource struct {
	ref, dspID, isrc, title, subtitle, artist, iswc string
}

// block holds the records of the current block.
type block struct {
	id        string
	started   bool
	line      int64
	releases  []release
	resources []resource
	iswcs     []string
	full      bool
}

// maxBlockRecords bounds the records kept per block.
const maxBlockRecords = 10000

func (b *block) reset(id string, line int64) {
	b.id, b.started, b.line, b.full = id, true, line, false
	b.releases = b.releases[:0]
	b.resources = b.resources[:0]
	b.iswcs = b.iswcs[:0]
}

func (b *block) findResource(id string) *resource {
	for i := range b.resources {
		if r := &b.resources[i]; r.ref == id || r.dspID == id {
			return r
		}
	}
	return nil
}

func (b *block) findRelease(id string) *release {
	for i := range b.releases {
		if r := &b.releases[i]; r.ref == id || r.dspID == id || r.propID == id {
			return r
		}
	}
	return nil
}

// iswc returns the distinct work ISWCs of the block joined with '|'.
func (b *block) iswc() string {
	return strings.Join(b.iswcs, "|")
}

// enterBlock starts a new block when the record's BlockId differs from
// the current one.
func (p *Parser) enterBlock(l *layout, line int64) {
	var bid string
	if l != nil {
		bid = p.id(l, "blockid")
	} else if len(p.cells) > 1 {
		bid = strings.TrimSpace(string(p.cells[1]))
	}
	if !p.blk.started || bid != p.blk.id {
		p.blk.reset(bid, line)
		p.st.Blocks++
	}
}

func (p *Parser) blockFull(line int64) bool {
	if len(p.blk.releases)+len(p.blk.resources)+len(p.blk.iswcs) < maxBlockRecords {
		return false
	}
	if !p.blk.full {
		p.blk.full = true
		p.notes.Anomalyf(line, "block %q has more than %d records; later ones are not kept for joining", p.blk.id, maxBlockRecords)
	}
	return true
}

func (p *Parser) onRelease(l *layout, line int64) {
	if p.blockFull(line) {
		return
	}
	p.blk.releases = append(p.blk.releases, release{
		ref:     p.id(l, "releasereference"),
		dspID:   p.id(l, "dspreleaseid"),
		propID:  p.id(l, "proprietaryreleaseid"),
		catalog: p.id(l, "catalognumber"),
		icpn:    p.id(l, "icpn"),
		artist:  p.str(l, "displayartistname"),
		title:   p.str(l, "title"),
		label:   p.str(l, "labelname", "label"),
	})
}

func (p *Parser) onResource(l *layout, line int64) {
	if p.blockFull(line) {
		return
	}
	p.blk.resources = append(p.blk.resources, resource{
		ref:      p.id(l, "resourcereference"),
		dspID:    p.id(l, "dspresourceid"),
		isrc:     p.id(l, "isrc"),
		title:    p.str(l, "title"),
		subtitle: p.str(l, "subtitle"),
		artist:   p.str(l, "displayartistname"),
		iswc:     p.id(l, "iswc"),
	})
}

func (p *Parser) onWork(l *layout) {
	v := p.id(l, "iswc")
	if v == "" || p.blockFull(0) {
		return
	}
	for _, have := range p.blk.iswcs {
		if have == v {
			return
		}
	}
	p.blk.iswcs = append(p.blk.iswcs, v)
}
