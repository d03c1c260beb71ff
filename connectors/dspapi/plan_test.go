package dspapi

import (
	"strings"
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func windows(ws []Window) string {
	var parts []string
	for _, w := range ws {
		s := w.String()
		if w.EndsPass {
			s += "!"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestPlan(t *testing.T) {
	now := d("2026-03-20").Add(15 * time.Hour)
	cur := func(from, to, asOf string) *Window {
		w := &Window{From: d(from), To: d(to)}
		if asOf != "" {
			w.AsOf = d(asOf)
		}
		return w
	}
	cases := []struct {
		name  string
		sched Schedule
		st    SyncState
		want  string
	}{
		{"first sync, weekly, up to yesterday", Schedule{WindowDays: 7},
			SyncState{Start: d("2026-03-01")},
			"2026-03-01..2026-03-07 2026-03-08..2026-03-14 2026-03-15..2026-03-19"},
		{"settle lag holds back the last days", Schedule{WindowDays: 7, SettleDays: 3},
			SyncState{Start: d("2026-03-01")},
			"2026-03-01..2026-03-07 2026-03-08..2026-03-14 2026-03-15..2026-03-16"},
		{"until bounds the horizon", Schedule{WindowDays: 10},
			SyncState{Start: d("2026-03-01"), Until: d("2026-03-04")},
			"2026-03-01..2026-03-04"},
		{"after the watermark only", Schedule{WindowDays: 7},
			SyncState{Start: d("2026-03-01"), SyncedThrough: d("2026-03-14")},
			"2026-03-15..2026-03-19"},
		{"nothing new", Schedule{WindowDays: 7},
			SyncState{Start: d("2026-03-01"), SyncedThrough: d("2026-03-19")},
			""},
		{"start in the future", Schedule{},
			SyncState{Start: d("2026-04-01")},
			""},
		{"an unfinished window resumes as it was", Schedule{WindowDays: 3},
			SyncState{Start: d("2026-03-01"), SyncedThrough: d("2026-03-10"), Current: cur("2026-03-11", "2026-03-17", "")},
			"2026-03-11..2026-03-17 2026-03-18..2026-03-19"},
		{"a complete window is not polled again", Schedule{WindowDays: 7},
			SyncState{Start: d("2026-03-01"), SyncedThrough: d("2026-03-19"), Current: cur("2026-03-15", "2026-03-19", ""), Complete: true},
			""},
		{"restatement pass before new days", Schedule{WindowDays: 2, LookbackDays: 3},
			SyncState{Start: d("2026-03-01"), SyncedThrough: d("2026-03-17")},
			"2026-03-15..2026-03-16@2026-03-19 2026-03-17..2026-03-17@2026-03-19! 2026-03-18..2026-03-19"},
		{"restatement pass done for this horizon", Schedule{WindowDays: 2, LookbackDays: 3},
			SyncState{Start: d("2026-03-01"), SyncedThrough: d("2026-03-19"), RestatedAsOf: d("2026-03-19")},
			""},
		{"restatement pass resumes", Schedule{WindowDays: 2, LookbackDays: 3},
			SyncState{Start: d("2026-03-01"), SyncedThrough: d("2026-03-17"), Current: cur("2026-03-15", "2026-03-16", "2026-03-19"), Complete: true},
			"2026-03-17..2026-03-17@2026-03-19! 2026-03-18..2026-03-19"},
		{"lookback never before the start", Schedule{WindowDays: 7, LookbackDays: 30},
			SyncState{Start: d("2026-03-10"), SyncedThrough: d("2026-03-12")},
			"2026-03-10..2026-03-12@2026-03-19! 2026-03-13..2026-03-19"},
		{"no restatement before the first sync", Schedule{WindowDays: 30, LookbackDays: 3},
			SyncState{Start: d("2026-03-10")},
			"2026-03-10..2026-03-19"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := windows(tc.sched.Plan(tc.st, now))
			if got != tc.want {
				t.Fatalf("Plan =\n  %s\nwant\n  %s", got, tc.want)
			}
			// Deterministic: the same state gives the same windows.
			if again := windows(tc.sched.Plan(tc.st, now)); again != got {
				t.Fatalf("second plan differs: %s", again)
			}
		})
	}
}

func TestWindowIdentity(t *testing.T) {
	w := Window{From: d("2026-03-01"), To: d("2026-03-07")}
	r := w
	r.AsOf = d("2026-03-20")
	ids := map[string]bool{
		w.ID("cursor-json", "a"): true, w.ID("cursor-json", "b"): true,
		w.ID("link-header", "a"): true, r.ID("cursor-json", "a"): true,
	}
	if len(ids) != 4 {
		t.Fatalf("window ids collide: %v", ids)
	}
	if w.ID("cursor-json", "a") != (Window{From: d("2026-03-01"), To: d("2026-03-07")}).ID("cursor-json", "a") {
		t.Fatal("window id is not deterministic")
	}
	if len(w.ID("p", "a")) != 64 || w.Days() != 7 || w.Label("p", "a") != "p/a/2026-03-01..2026-03-07" {
		t.Fatalf("id %q, days %d, label %q", w.ID("p", "a"), w.Days(), w.Label("p", "a"))
	}
}
