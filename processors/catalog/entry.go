package catalog

import (
	"sync"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/catalog/textnorm"
)

// Entry is a decoded catalog record with its normalised forms, as the
// cache keeps it. The normalised forms are computed on first use and kept
// with the record, so a lookup whose caller only compares raw strings
// never pays for normalisation. Entries are shared between callers and
// must not be modified.
type Entry struct {
	Record avro.CatalogRecord
	opt    optionals // storage of Record's optional strings

	norm    sync.Once
	title   textnorm.Title
	credits textnorm.Credits

	splitsOnce sync.Once
	splitsHash uint64
}

func (e *Entry) normalise() {
	e.title = textnorm.ParseTitle(e.Record.Title, e.Record.VersionTitle)
	e.credits = textnorm.ParseCredits(e.Record.Artists)
}

// Title returns Record.Title and Record.VersionTitle, parsed.
func (e *Entry) Title() *textnorm.Title {
	e.norm.Do(e.normalise)
	return &e.title
}

// Credits returns Record.Artists, parsed.
func (e *Entry) Credits() *textnorm.Credits {
	e.norm.Do(e.normalise)
	return &e.credits
}

// SplitsHash returns SplitsHash(Record.Splits), computed on first use.
func (e *Entry) SplitsHash() uint64 {
	e.splitsOnce.Do(func() { e.splitsHash = SplitsHash(e.Record.Splits) })
	return e.splitsHash
}
