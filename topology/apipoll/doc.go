// Package apipoll runs the api-poll stage: one sync (a DSP reporting API
// profile and an account) is polled window by window with
// connectors/dspapi, every item is validated at the boundary by
// processors/validate, and the resulting usage events and dead letters
// are produced to the same usage and dead-letter topics as report files,
// in Kafka transactions that also carry the sync's checkpoint.
//
// # Exactly once
//
// An item's identity is its window and its position in it: the event id
// (and dead-letter id) is the window's id (SHA-256 of profile, account
// and window, dspapi.Window.ID), ':', the 1-based position. The same
// window polled again gives the same ids. The sync's progress is the
// compacted sync-checkpoint topic, keyed by profile and account, and
// every write goes through Kafka transactions:
//
//  1. A transactional producer is created whose transactional.id is
//     derived from (app, profile, account). Initialising it fences any
//     earlier poller of the same sync (crashed, or still running) and
//     aborts its open transaction.
//  2. Only then is the checkpoint read, read_committed, up to the last
//     stable offset: the watermark, the window in progress, the cursor of
//     the page holding the next item, how many of that page's items and
//     of the window's are in, and the API's id of the last one.
//  3. Windows are planned from it (an unfinished window first, as it
//     was). Items are produced page by page; each page (and, within a
//     long page, every ChunkItems items) is one transaction holding its
//     events, its dead letters and a checkpoint saying where the window
//     is. The transaction that ends a window marks it complete and moves
//     the watermark.
//
// A crash loses at most the open transaction, which read_committed
// consumers never see and the next poller's fencing aborts; the next run
// fetches the page the checkpoint names and passes over the items of it
// that are in. When that cursor has expired, the window starts over from
// its first page and passes over every committed item, checking that the
// last one passed over has the id the checkpoint recorded; an API whose
// items of the window changed (fewer, or others at that position) stops
// the window with ErrWindowChanged rather than lose or double items. A
// page whose body breaks off is read again the same way. Two pollers of
// one sync cannot both commit: whichever initialised last fenced the
// other, and it read the checkpoint after fencing.
//
// Positions are only meaningful if the API serves a window's items in
// the same order every time; profiles with an item id let a resume check
// it.
//
// # Restatements
//
// With a lookback (dspapi.Schedule.LookbackDays), the last synced days are
// polled again once per horizon day as restatement windows. Their ids
// differ from the first sync's (the window's identity includes the
// horizon), and their events carry the warning "restated": downstream
// sees restated lines next to the original ones and must net them out.
//
// Dry runs poll and validate without Kafka and without a checkpoint.
package apipoll
