package validate

import "fmt"

// Options configure a Validator for a report profile.
type Options struct {
	// DefaultCurrency is used when a line has no currency cell and no
	// currency code on its amount. Empty: such lines are missing_field.
	DefaultCurrency string
	// DefaultTerritory is used when a line's territory cell is empty, for
	// layouts without a territory column (a worldwide statement gives
	// "WW"). Empty: such lines are missing_field.
	DefaultTerritory string
	// UnitsOptional is for layouts without a units column: an empty units
	// cell gives 0 units and the warning WarnUnitsNotReported instead of
	// missing_field.
	UnitsOptional bool
}

// WarnUnitsNotReported is the warning code of a line accepted without a
// units cell (Options.UnitsOptional).
const WarnUnitsNotReported = "units_not_reported"

// WarnRevenueNotReported is the warning code of a line accepted with
// revenue 0 because its layout reports no revenue (Line.AmountNotReported).
const WarnRevenueNotReported = "revenue_not_reported"

// Check reports whether the defaults in o are valid codes.
func (o Options) Check() error {
	if o.DefaultCurrency != "" {
		if _, err := NormalizeCurrency(o.DefaultCurrency); err != nil {
			return fmt.Errorf("default currency: %w", err)
		}
	}
	if o.DefaultTerritory != "" {
		if _, err := NormalizeTerritory(o.DefaultTerritory); err != nil {
			return fmt.Errorf("default territory: %w", err)
		}
	}
	return nil
}

// Validator validates and normalises reported lines and catalog records.
// It holds only its options and is safe for concurrent use.
type Validator struct {
	opts Options
}

// New returns a Validator with the given options. Defaults are validated
// where they are used, like the cells they stand in for; call
// Options.Check to refuse a bad configuration up front.
func New(opts Options) *Validator {
	return &Validator{opts: opts}
}
