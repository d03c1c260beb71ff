package ingest

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Summary is what ingesting one file did. Its JSON form has exactly the
// keys file, profile, rows, accepted, rejected, rejected_by_reason, units,
// revenue and reconciliation.
type Summary struct {
	File             string
	Profile          string
	Rows             int64 // data rows (DSR: usage records), header, trailer, comment and blank lines excluded
	Accepted         int64
	Rejected         int64
	RejectedByReason map[string]int64
	Units            int64                      // over accepted rows
	Revenue          map[string]decimal.Decimal // currency -> sum over accepted rows
	Reconciliation   Reconciliation

	// Not part of the JSON summary.
	SHA256     string
	Skipped    bool  // the ledger says the file is already in
	ResumedAt  int64 // lines up to this one were already in
	Produced   int64 // events and dead letters produced by this run
	Warnings   map[string]int64
	Structure  string
	Quarantine string // why the file as a whole could not be read
}

// Reconciliation compares declared totals with computed ones. Keys are
// measure names, suffixed with ".CUR" for amounts and prefixed with a scope
// ("summary 1/") for totals that cover part of a file. Computed is "n/a"
// for a total that cannot be computed from the file's rows. Matched is
// true when every other total agrees with its computed value within the
// total's tolerance (see the reportfile profiles' documentation); it is
// true when the file declares nothing.
type Reconciliation struct {
	Declared map[string]string `json:"declared"`
	Computed map[string]string `json:"computed"`
	Matched  bool              `json:"matched"`
	Findings []Finding         `json:"-"`
}

// Finding is one declared total and what was computed for it. A total
// that cannot be computed from the file's rows (a service-wide usage count,
// a balance brought forward, a measure with no counterpart) has Computed
// "n/a" and Compared false; it does not affect Reconciliation.Matched.
type Finding struct {
	Key       string
	Measure   string
	Scope     string
	Currency  string
	Declared  string
	Computed  string
	Tolerance string
	Compared  bool
	Matched   bool
	Note      string
}

type summaryJSON struct {
	File             string            `json:"file"`
	Profile          string            `json:"profile"`
	Rows             int64             `json:"rows"`
	Accepted         int64             `json:"accepted"`
	Rejected         int64             `json:"rejected"`
	RejectedByReason map[string]int64  `json:"rejected_by_reason"`
	Units            int64             `json:"units"`
	Revenue          map[string]string `json:"revenue"`
	Reconciliation   Reconciliation    `json:"reconciliation"`
}

// MarshalJSON renders the summary with exact decimal strings.
func (s Summary) MarshalJSON() ([]byte, error) {
	j := summaryJSON{
		File: s.File, Profile: s.Profile, Rows: s.Rows, Accepted: s.Accepted, Rejected: s.Rejected,
		RejectedByReason: s.RejectedByReason, Units: s.Units, Revenue: map[string]string{},
		Reconciliation: s.Reconciliation,
	}
	if j.RejectedByReason == nil {
		j.RejectedByReason = map[string]int64{}
	}
	for c, v := range s.Revenue {
		j.Revenue[c] = v.String()
	}
	if j.Reconciliation.Declared == nil {
		j.Reconciliation.Declared = map[string]string{}
	}
	if j.Reconciliation.Computed == nil {
		j.Reconciliation.Computed = map[string]string{}
	}
	return json.Marshal(j)
}

// WriteText writes the summary for humans.
func (s Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  (profile %s)\n", s.File, s.Profile)
	switch {
	case s.Quarantine != "":
		fmt.Fprintf(&b, "  QUARANTINED: %s\n", s.Quarantine)
	case s.Skipped:
		fmt.Fprintf(&b, "  already ingested (sha256 %s): nothing produced\n", s.SHA256)
	case s.ResumedAt > 0:
		fmt.Fprintf(&b, "  resumed after line %d\n", s.ResumedAt)
	}
	fmt.Fprintf(&b, "  rows %d, accepted %d, rejected %d\n", s.Rows, s.Accepted, s.Rejected)
	for _, r := range sortedKeys(s.RejectedByReason) {
		fmt.Fprintf(&b, "    %-18s %d\n", r, s.RejectedByReason[r])
	}
	for _, r := range sortedKeys(s.Warnings) {
		fmt.Fprintf(&b, "    warning %-10s %d\n", r, s.Warnings[r])
	}
	fmt.Fprintf(&b, "  units %d\n", s.Units)
	for _, c := range sortedKeys(s.Revenue) {
		fmt.Fprintf(&b, "  revenue %s %s\n", c, s.Revenue[c].String())
	}
	if len(s.Reconciliation.Findings) > 0 {
		verdict := "matched"
		if !s.Reconciliation.Matched {
			verdict = "MISMATCH"
		}
		fmt.Fprintf(&b, "  reconciliation: %s\n", verdict)
		for _, f := range s.Reconciliation.Findings {
			mark := "ok"
			switch {
			case !f.Compared:
				mark = "n/a"
			case !f.Matched:
				mark = "DIFF"
			}
			fmt.Fprintf(&b, "    %-4s %-28s declared %-14s computed %-14s tolerance %s%s\n", mark, f.Key, f.Declared, f.Computed, f.Tolerance, noteSuffix(f.Note))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func noteSuffix(n string) string {
	if n == "" {
		return ""
	}
	return "  (" + n + ")"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
