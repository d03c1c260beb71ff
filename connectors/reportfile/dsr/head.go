package dsr

import (
	"strings"
	"unicode"

	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
)

// head holds what the HEAD record says about the file.
type head struct {
	seen               bool
	profile            string
	senderName         string
	serviceDescription string
	usageStart         string
	usageEnd           string
}

func (p *Parser) onHead(l *layout, line int64) {
	if p.head.seen {
		p.notes.Anomalyf(line, "second HEAD record ignored")
		return
	}
	p.head.seen = true
	for _, c := range p.cells[1:] {
		if s := strings.TrimSpace(string(c)); len(s) > len("profile") && strings.HasSuffix(strings.ToLower(s), "profile") {
			p.head.profile = profileName(s)
			break
		}
	}
	p.head.senderName = p.str(l, "sendername")
	p.head.serviceDescription = p.str(l, "servicedescription")
	p.head.usageStart = p.id(l, "usagestartdate")
	p.head.usageEnd = p.id(l, "usageenddate")
}

func (p *Parser) onFoot(l *layout, line int64) {
	if p.footSeen {
		p.notes.Anomalyf(line, "second FOOT record")
	}
	p.footSeen = true
	if l == nil {
		return
	}
	for i, name := range l.names {
		if i+1 >= len(p.cells) || name == "" {
			continue
		}
		v := strings.TrimSpace(unescape(p.cells[i+1]))
		if v == "" {
			continue
		}
		p.declared = append(p.declared, model.Declared{Measure: footMeasure(name), Value: v, Tolerance: "0", Line: line})
	}
}

// profileName turns a HEAD profile cell ("BasicAudioProfile",
// "UGCProfile") into a reader profile name ("ddex-dsr-basic-audio",
// "ddex-dsr-ugc").
func profileName(cell string) string {
	name := strings.TrimSpace(cell)
	if len(name) >= len("profile") && strings.EqualFold(name[len(name)-len("profile"):], "profile") {
		name = name[:len(name)-len("profile")]
	}
	if name == "" {
		return ProfileGeneric
	}
	var b strings.Builder
	b.WriteString(ProfileGeneric)
	b.WriteByte('-')
	prevLower := false
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
			prevLower = false
			continue
		}
		if unicode.IsUpper(r) && prevLower {
			b.WriteByte('-')
		}
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimSuffix(b.String(), "-")
}

// Reader profile names.
const (
	ProfileGeneric    = "ddex-dsr"
	ProfileBasicAudio = "ddex-dsr-basic-audio"
	ProfileUGC        = "ddex-dsr-ugc"
)

// footMeasure names the declared total of a FOOT cell.
func footMeasure(name string) string {
	switch name {
	case "numberoflinesinfile":
		return "lines_in_file"
	case "numberoflinesinreport":
		return "lines_in_report"
	case "numberofsummaryrecords":
		return "summary_records"
	case "numberofblocksinfile":
		return "blocks"
	case "numberofblocksinreport":
		return "blocks_in_report"
	}
	return name
}
