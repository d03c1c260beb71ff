package apipoll

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Summary is what one run of a sync did. Its JSON form has the keys
// profile, account, windows, windows_done, pages, items, accepted,
// rejected, rejected_by_reason, synced_through and resumed.
type Summary struct {
	Profile          string
	Account          string
	Windows          int   // windows planned
	WindowsDone      int   // windows completed
	Pages            int64 // pages read in full
	Items            int64 // items handled by this run (accepted + rejected)
	Accepted         int64
	Rejected         int64
	RejectedByReason map[string]int64
	// SyncedThrough is the watermark after the run; before the start day
	// when nothing is synced.
	SyncedThrough time.Time
	// Resumed names the unfinished window the run continued, if any.
	Resumed string

	// Not part of the JSON summary.
	Restarts    int // windows started over after an expired cursor
	PageRetries int // pages read again after their body broke off
}

func (p *Poller) newSummary() Summary {
	return Summary{Profile: p.profile.Name, Account: p.opts.Account, RejectedByReason: map[string]int64{}}
}

type summaryJSON struct {
	Profile          string           `json:"profile"`
	Account          string           `json:"account"`
	Windows          int              `json:"windows"`
	WindowsDone      int              `json:"windows_done"`
	Pages            int64            `json:"pages"`
	Items            int64            `json:"items"`
	Accepted         int64            `json:"accepted"`
	Rejected         int64            `json:"rejected"`
	RejectedByReason map[string]int64 `json:"rejected_by_reason"`
	SyncedThrough    string           `json:"synced_through"`
	Resumed          string           `json:"resumed,omitempty"`
}

// MarshalJSON renders the summary with the documented keys.
func (s Summary) MarshalJSON() ([]byte, error) {
	j := summaryJSON{Profile: s.Profile, Account: s.Account, Windows: s.Windows, WindowsDone: s.WindowsDone,
		Pages: s.Pages, Items: s.Items, Accepted: s.Accepted, Rejected: s.Rejected,
		RejectedByReason: s.RejectedByReason, SyncedThrough: s.SyncedThrough.Format(time.DateOnly), Resumed: s.Resumed}
	if j.RejectedByReason == nil {
		j.RejectedByReason = map[string]int64{}
	}
	return json.Marshal(j)
}

// WriteText writes the summary for humans.
func (s Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  (account %s)\n", s.Profile, s.Account)
	if s.Resumed != "" {
		fmt.Fprintf(&b, "  resumed window %s\n", s.Resumed)
	}
	fmt.Fprintf(&b, "  windows %d of %d, pages %d\n", s.WindowsDone, s.Windows, s.Pages)
	fmt.Fprintf(&b, "  items %d, accepted %d, rejected %d\n", s.Items, s.Accepted, s.Rejected)
	reasons := make([]string, 0, len(s.RejectedByReason))
	for r := range s.RejectedByReason {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(&b, "    %-18s %d\n", r, s.RejectedByReason[r])
	}
	if s.Restarts > 0 || s.PageRetries > 0 {
		fmt.Fprintf(&b, "  windows restarted after an expired cursor %d, pages read again %d\n", s.Restarts, s.PageRetries)
	}
	fmt.Fprintf(&b, "  synced through %s\n", s.SyncedThrough.Format(time.DateOnly))
	_, err := io.WriteString(w, b.String())
	return err
}
