package dspapi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// Schedule says how a sync is cut into windows.
type Schedule struct {
	// WindowDays is the number of days per window; default 7.
	WindowDays int
	// SettleDays is how long a DSP takes to finalise a day: day d is
	// polled only once d + SettleDays has come (0: days are final when
	// they end, so yesterday is the last day polled).
	SettleDays int
	// LookbackDays, when positive, polls the last LookbackDays synced
	// days again once per horizon day, as restatement windows, because
	// DSPs restate usage after they first report it. Their lines are new
	// events (marked "restated") next to the ones they restate: whoever
	// turns this on must net them out downstream, which the lake does not
	// do, so `ledgerline poll` leaves it off.
	LookbackDays int
}

// Window is a deterministic unit of work: the usage of days From..To
// (inclusive), and for a restatement window the horizon day AsOf of its
// pass. Its identity (ID) depends on nothing else.
type Window struct {
	From, To time.Time // calendar days, UTC midnight
	// AsOf is zero for a window synced for the first time; a restatement
	// window carries the horizon of its pass.
	AsOf time.Time
	// EndsPass marks the last window of a restatement pass.
	EndsPass bool
}

// Restatement reports whether w polls days synced before.
func (w Window) Restatement() bool { return !w.AsOf.IsZero() }

// Days returns the number of days of the window.
func (w Window) Days() int { return int(w.To.Sub(w.From)/(24*time.Hour)) + 1 }

// String renders the window: "2026-03-01..2026-03-07", with "@AsOf" for
// a restatement window.
func (w Window) String() string {
	s := w.From.Format(time.DateOnly) + ".." + w.To.Format(time.DateOnly)
	if w.Restatement() {
		s += "@" + w.AsOf.Format(time.DateOnly)
	}
	return s
}

// ID returns the window's identity within a sync: the lowercase hex
// SHA-256 of the profile, account and window. It is what event ids are
// made of, with the item's position in the window.
func (w Window) ID(profile, account string) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "dspapi\x00%s\x00%s\x00%s", profile, account, w.String()))
	return hex.EncodeToString(sum[:])
}

// Label names the window for people: "profile/account/window".
func (w Window) Label(profile, account string) string {
	return profile + "/" + account + "/" + w.String()
}

// SyncState is what a plan starts from: the sync's bounds and what its
// checkpoint says.
type SyncState struct {
	// Start is the first day the sync covers.
	Start time.Time
	// Until, when not zero, is the last day it covers.
	Until time.Time
	// SyncedThrough is the watermark: the last day synced in full (zero,
	// or before Start: none).
	SyncedThrough time.Time
	// Current is the window of the checkpoint, if any, and Complete
	// whether it is done. An unfinished window is planned first, as it
	// was, whatever the schedule says now, so that it resumes under the
	// same identity.
	Current  *Window
	Complete bool
	// RestatedAsOf is the horizon of the last complete restatement pass.
	RestatedAsOf time.Time
}

// Day returns t's calendar day in UTC, at midnight.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Horizon returns the last day that may be polled at now: yesterday less
// the settle lag, and not after until (when set).
func (s Schedule) Horizon(now, until time.Time) time.Time {
	h := Day(now).AddDate(0, 0, -1-max(s.SettleDays, 0))
	if !until.IsZero() && Day(until).Before(h) {
		h = Day(until)
	}
	return h
}

// Plan returns the windows to poll at now, in order: an unfinished
// window first, then the restatement pass of the horizon (when
// LookbackDays is set and the pass is not done), then the days after the
// watermark up to the horizon. The same state and now give the same
// windows.
func (s Schedule) Plan(st SyncState, now time.Time) []Window {
	size := s.WindowDays
	if size <= 0 {
		size = 7
	}
	start := Day(st.Start)
	synced := Day(st.SyncedThrough)
	if st.SyncedThrough.IsZero() || synced.Before(start) {
		synced = start.AddDate(0, 0, -1)
	}
	horizon := s.Horizon(now, st.Until)
	var out []Window
	var resumed *Window
	if st.Current != nil && !st.Complete {
		w := *st.Current
		out = append(out, w)
		resumed = &w
	}
	// The restatement pass of this horizon: the last LookbackDays synced
	// days, once.
	if s.LookbackDays > 0 && !synced.Before(start) && st.RestatedAsOf.Before(horizon) {
		from := synced.AddDate(0, 0, 1-s.LookbackDays)
		if from.Before(start) {
			from = start
		}
		pass := cut(from, synced, size, horizon)
		pass[len(pass)-1].EndsPass = true
		for _, w := range pass {
			if st.Current != nil && st.Current.AsOf.Equal(horizon) && !w.To.After(st.Current.To) {
				continue // done in this pass, or resumed above
			}
			out = append(out, w)
		}
	}
	first := synced.AddDate(0, 0, 1)
	if resumed != nil && !resumed.Restatement() && !resumed.To.Before(first) {
		first = resumed.To.AddDate(0, 0, 1)
	}
	if !first.After(horizon) {
		out = append(out, cut(first, horizon, size, time.Time{})...)
	}
	return out
}

// cut splits from..to into windows of size days.
func cut(from, to time.Time, size int, asOf time.Time) []Window {
	var out []Window
	for d := from; !d.After(to); d = d.AddDate(0, 0, size) {
		end := d.AddDate(0, 0, size-1)
		if end.After(to) {
			end = to
		}
		out = append(out, Window{From: d, To: end, AsOf: asOf})
	}
	return out
}
