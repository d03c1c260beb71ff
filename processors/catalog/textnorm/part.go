package textnorm

// Part is one normalised piece of metadata: a base title, a version suffix
// or an artist name, in its quiet and loose forms.
type Part struct {
	Quiet string
	Loose string
}

func newPart(quiet string) Part { return Part{Quiet: quiet, Loose: Loose(quiet)} }

// EqualQuiet reports whether a and b have the same quiet forms, in order.
func EqualQuiet(a, b []Part) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Quiet != b[i].Quiet {
			return false
		}
	}
	return true
}

// EqualLoose reports whether a and b have the same loose forms, in order.
func EqualLoose(a, b []Part) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Loose != b[i].Loose {
			return false
		}
	}
	return true
}

// appendUnique appends p unless a part with the same loose form is there.
func appendUnique(ps []Part, p Part) []Part {
	if p.Loose == "" {
		return ps
	}
	for _, q := range ps {
		if q.Loose == p.Loose {
			return ps
		}
	}
	return append(ps, p)
}
