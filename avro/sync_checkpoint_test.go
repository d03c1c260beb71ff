package avro

import (
	"testing"
	"time"
)

func TestSyncCheckpointRoundTrip(t *testing.T) {
	c, err := NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	asOf := day(2026, 3, 10)
	for _, cp := range []SyncCheckpoint{
		{SyncKey: "cursor-json/acct-1", Profile: "cursor-json", Account: "acct-1",
			SyncedThrough: day(2026, 2, 28), WindowFrom: day(2026, 3, 1), WindowTo: day(2026, 3, 7),
			Status: CheckpointInProgress, Cursor: ptr("c-17"), PageOffset: 3, ItemsCommitted: 103,
			LastItemID: ptr("item-103"), Pages: 4, Accepted: 100, Rejected: 3, Updated: time.UnixMilli(77).UTC()},
		{SyncKey: "link-header/a", Profile: "link-header", Account: "a",
			SyncedThrough: day(2026, 3, 7), WindowFrom: day(2026, 3, 1), WindowTo: day(2026, 3, 7), WindowAsOf: &asOf,
			Status: CheckpointComplete, ItemsCommitted: 9, Accepted: 9, RestatedAsOf: &asOf, Updated: time.UnixMilli(78).UTC()},
	} {
		roundTrip(t, c.Checkpoint, cp)
	}
}
