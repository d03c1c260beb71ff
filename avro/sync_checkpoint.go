package avro

import (
	"time"

	"github.com/linkedin/goavro/v2"
)

// Status values of a SyncCheckpoint's window.
const (
	CheckpointInProgress = "in_progress"
	CheckpointComplete   = "complete"
)

// SyncCheckpoint is the progress of one incremental sync of a DSP
// reporting API: the watermark, and the window being polled with the
// position within it. See schemas/sync_checkpoint.avsc.
type SyncCheckpoint struct {
	SyncKey        string
	Profile        string
	Account        string
	SyncedThrough  time.Time  // a calendar day, UTC midnight
	WindowFrom     time.Time  // a calendar day, UTC midnight
	WindowTo       time.Time  // a calendar day, UTC midnight, inclusive
	WindowAsOf     *time.Time // restatement windows only
	Status         string
	Cursor         *string
	PageOffset     int64
	ItemsCommitted int64
	LastItemID     *string
	Pages          int64
	Accepted       int64
	Rejected       int64
	RestatedAsOf   *time.Time
	Updated        time.Time
}

func checkpointToNative(c *SyncCheckpoint) (map[string]any, error) {
	return map[string]any{
		"sync_key":        c.SyncKey,
		"profile":         c.Profile,
		"account":         c.Account,
		"synced_through":  dateValue(c.SyncedThrough),
		"window_from":     dateValue(c.WindowFrom),
		"window_to":       dateValue(c.WindowTo),
		"window_as_of":    optDate(c.WindowAsOf),
		"status":          c.Status,
		"cursor":          optString(c.Cursor),
		"page_offset":     c.PageOffset,
		"items_committed": c.ItemsCommitted,
		"last_item_id":    optString(c.LastItemID),
		"pages":           c.Pages,
		"accepted":        c.Accepted,
		"rejected":        c.Rejected,
		"restated_as_of":  optDate(c.RestatedAsOf),
		"updated":         c.Updated,
	}, nil
}

func checkpointFromNative(m map[string]any) (SyncCheckpoint, error) {
	r := fieldReader{m: m}
	c := SyncCheckpoint{
		SyncKey:        r.str("sync_key"),
		Profile:        r.str("profile"),
		Account:        r.str("account"),
		SyncedThrough:  r.date("synced_through"),
		WindowFrom:     r.date("window_from"),
		WindowTo:       r.date("window_to"),
		WindowAsOf:     r.optDate("window_as_of"),
		Status:         r.str("status"),
		Cursor:         r.optStr("cursor"),
		PageOffset:     r.long("page_offset"),
		ItemsCommitted: r.long("items_committed"),
		LastItemID:     r.optStr("last_item_id"),
		Pages:          r.long("pages"),
		Accepted:       r.long("accepted"),
		Rejected:       r.long("rejected"),
		RestatedAsOf:   r.optDate("restated_as_of"),
		Updated:        r.timestamp("updated"),
	}
	return c, r.err
}

// optDate is a nullable date: goavro names the branch by its type and
// logical type.
func optDate(t *time.Time) any {
	if t == nil {
		return nil
	}
	return goavro.Union("int.date", dateValue(*t))
}

func (r *fieldReader) optDate(name string) *time.Time {
	b, ok := r.branch(name, "int.date")
	if !ok {
		return nil
	}
	t, ok := b.(time.Time)
	if !ok {
		r.fail(name, b, "date")
		return nil
	}
	t = t.UTC()
	return &t
}
