package state

// The small interfaces processors declare for their state.
var (
	_ interface {
		Get([]byte) ([]byte, bool, error)
		Put([]byte, []byte) error
		Delete([]byte) error
	} = (*Store)(nil)
	_ interface {
		Get([]byte) ([]byte, bool, error)
	} = (*GlobalTable)(nil)
	_ interface{ Readiness() Readiness } = (*GlobalTable)(nil)
)
