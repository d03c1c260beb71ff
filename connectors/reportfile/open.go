package reportfile

import (
	"fmt"
	"io"

	"github.com/ledgerline/ledgerline/connectors/reportfile/container"
	"github.com/ledgerline/ledgerline/connectors/reportfile/dsr"
	"github.com/ledgerline/ledgerline/connectors/reportfile/linereader"
	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
	"github.com/ledgerline/ledgerline/connectors/reportfile/profile"
	"github.com/ledgerline/ledgerline/connectors/reportfile/textdecode"
)

// Open sniffs the input (gzip and zip layers, encoding, delimiter and
// layout) and returns a streaming Reader. Zip input is read only when r
// also implements io.ReaderAt and has a Size() int64 method or is an
// *os.File.
//
// An error from Open means the file as a whole is unreadable (empty,
// binary, truncated or corrupt compression, an unknown layout, a layout
// that is not a sales report) and should be quarantined; its message says
// why. Test for the causes with errors.Is (ErrUnknownLayout,
// ErrNotSalesReport, ErrBinary, ErrTruncated, ...) or errors.As
// (*LayoutError, *NotSalesReportError).
func Open(r io.Reader, opts Options) (*Reader, error) {
	rd, err := open(r, opts)
	if err != nil {
		return nil, fmt.Errorf("reportfile: %w", err)
	}
	return rd, nil
}

func open(r io.Reader, opts Options) (*Reader, error) {
	maxBytes := opts.MaxLineBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxLineBytes
	}
	name := opts.Profile
	if name == "auto" {
		name = ""
	}
	set := opts.Profiles
	if set == nil && !isDSRProfile(name) {
		var err error
		if set, err = profile.Builtin(); err != nil {
			return nil, err
		}
	}
	var forced *profile.Profile
	if name != "" && !isDSRProfile(name) {
		if forced = set.Get(name); forced == nil {
			return nil, fmt.Errorf("%w %q; known: %v and %s", ErrUnknownProfile, name, set.Names(), ProfileDSR)
		}
	}

	counter := &container.Counter{}
	payload, err := container.Open(r, counter)
	if err != nil {
		return nil, err
	}
	declaredEnc := ""
	if forced != nil {
		declaredEnc = forced.Encoding
	}
	sniffed, err := textdecode.Sniff(payload.Reader, declaredEnc)
	if err != nil {
		return nil, err
	}
	rd := &Reader{counter: counter, payload: payload, notes: &model.Notes{}}
	start := func(encoding string) (*linereader.Reader, error) {
		text, err := sniffed.Open(payload.Reader, encoding)
		if err != nil {
			return nil, err
		}
		rd.encoding = text.Encoding
		return linereader.New(text.Reader, maxBytes, text.MayBeInvalid), nil
	}

	if isDSRProfile(name) || (name == "" && dsr.Detect(sniffed.Sample)) {
		lines, err := start(sniffed.Encoding)
		if err != nil {
			return nil, err
		}
		rd.src, rd.delimiter = dsrSource{p: dsr.New(lines, rd.notes)}, '\t'
		rd.profile = dsrProfileName(sniffed.Sample, name)
		return rd, nil
	}
	l, err := detectLayout(sniffed.Sample, sniffed.AtEOF, set, forced)
	if err != nil {
		return nil, err
	}
	if l.profile.Reject != "" {
		return nil, &NotSalesReportError{Profile: l.profile.Name, Reason: l.profile.Reject}
	}
	b, err := profile.Bind(l.profile, l.header)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", l.profile.Name, err)
	}
	lines, err := start(sniffed.Choose(l.profile.Encoding))
	if err != nil {
		return nil, err
	}
	rd.src = newTabularSource(lines, l, b, maxBytes, rd.notes)
	rd.profile, rd.delimiter = l.profile.Name, l.delimiter
	return rd, nil
}

// dsrProfileName reads the profile from the HEAD record of the sample so
// that Profile is right before the first row is read.
func dsrProfileName(sample []byte, forced string) string {
	p := dsr.New(&sampleLines{rest: sample}, &model.Notes{})
	for {
		if _, err := p.Next(); err != nil {
			break
		}
		if p.Structure().HeaderRows > 0 {
			break
		}
	}
	if name := p.Profile(); name != ProfileDSR || forced == "" {
		return name
	}
	return forced
}
