package reportfile

import (
	"github.com/ledgerline/ledgerline/connectors/reportfile/dsr"
	"github.com/ledgerline/ledgerline/connectors/reportfile/model"
)

// dsrSource produces the usage rows of a DSR flat file.
type dsrSource struct {
	p *dsr.Parser
}

func (s dsrSource) next(row *model.Row) error {
	r, err := s.p.Next()
	*row = r
	return err
}
func (s dsrSource) declaredTotals() []model.Declared { return s.p.Declared() }
func (s dsrSource) structure() model.Structure       { return s.p.Structure() }
