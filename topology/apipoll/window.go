package apipoll

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/dspapi"
	"github.com/ledgerline/ledgerline/processors/validate"
)

// ErrWindowChanged means the API no longer serves a window's items as it
// did: fewer items than were committed, or another item at the position
// where a resumed window continues. Continuing would lose or double
// items, so the window stops; nothing after the last commit is produced.
var ErrWindowChanged = errors.New("apipoll: the API's items of the window changed")

// windowJob polls one window.
type windowJob struct {
	p       *Poller
	w       dspapi.Window
	s       sink
	sum     *Summary
	last    bool // the last window of the plan
	horizon time.Time

	id, label string
	pos       position
	inTx      int // items given to the sink since the last commit
}

// position is how far a window has got.
type position struct {
	cursor     string // continuation of the page being read; "" for the first page
	pageOffset int64  // items of that page handled
	items      int64  // items of the window handled: the last one's position
	lastID     string // the API's id of the last item handled
	pages      int64
	accepted   int64
	rejected   int64
}

func (j *windowJob) poll(ctx context.Context, resume *avro.SyncCheckpoint) error {
	p := j.p
	j.id, j.label = j.w.ID(p.profile.Name, p.opts.Account), j.w.Label(p.profile.Name, p.opts.Account)
	var skip int64 // items to pass over before the next new one
	var verify string
	if resume != nil {
		j.pos = position{pageOffset: resume.PageOffset, items: resume.ItemsCommitted,
			pages: resume.Pages, accepted: resume.Accepted, rejected: resume.Rejected}
		if resume.Cursor != nil {
			j.pos.cursor = *resume.Cursor
		}
		if resume.LastItemID != nil {
			j.pos.lastID = *resume.LastItemID
		}
		skip, verify = resume.PageOffset, j.pos.lastID
	}
	var (
		l        validate.Line
		ev       avro.UsageEvent
		scratch  validate.Scratch
		retries  int
		restarts int
	)
	for {
		pg, err := p.opts.Client.Fetch(ctx, dspapi.PageRequest{Account: p.opts.Account, From: j.w.From, To: j.w.To, Cursor: j.pos.cursor})
		if errors.Is(err, dspapi.ErrCursorExpired) && j.pos.cursor != "" {
			if restarts++; restarts > p.opts.PageRetries {
				return fmt.Errorf("started over %d times: %w", restarts-1, err)
			}
			// Start the window over and pass over what is committed.
			j.pos.cursor, j.pos.pageOffset = "", 0
			skip, verify = j.pos.items, j.pos.lastID
			j.sum.Restarts++
			continue
		}
		if err != nil {
			return err
		}
		pageSkip := skip // what this page starts by passing over
		var read int64   // items of this page read, passed over or handled
		var broke error
		for {
			raw, err := pg.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				broke = err
				break
			}
			read++
			if skip > 0 {
				skip--
				if skip == 0 && verify != "" {
					if id := p.profile.ItemIDOf(raw); id != verify {
						pg.Close()
						return fmt.Errorf("%w: item %d is %q, the checkpoint says %q", ErrWindowChanged, j.pos.items, id, verify)
					}
				}
				continue
			}
			j.pos.items++
			j.pos.pageOffset = read
			if err := j.item(raw, &l, &ev, &scratch); err != nil {
				pg.Close()
				return err
			}
			if j.inTx >= p.opts.ChunkItems {
				if err := j.commit(ctx, avro.CheckpointInProgress); err != nil {
					pg.Close()
					return err
				}
			}
		}
		pg.Close()
		if broke != nil {
			// The body broke off: read the page again, passing over what
			// was read of it.
			if !dspapi.IsRetryable(broke) || retries >= p.opts.PageRetries {
				return broke
			}
			retries++
			j.sum.PageRetries++
			skip = max(pageSkip, read)
			if read > pageSkip {
				verify = j.pos.lastID
			}
			continue
		}
		retries = 0
		j.pos.pages++
		j.sum.Pages++
		if skip > 0 {
			// Still passing over committed items: nothing new to
			// commit, and the cursor of this page must not be recorded.
			if next := pg.NextCursor(); next != "" {
				j.pos.cursor = next
				continue
			}
			return fmt.Errorf("%w: it ends %d items short of the %d committed", ErrWindowChanged, skip, j.pos.items)
		}
		next := pg.NextCursor()
		j.pos.cursor, j.pos.pageOffset = next, 0
		if next == "" {
			return j.commit(ctx, avro.CheckpointComplete)
		}
		if err := j.commit(ctx, avro.CheckpointInProgress); err != nil {
			return err
		}
	}
}

// item validates one item and gives its event or dead letter to the sink.
func (j *windowJob) item(raw []byte, l *validate.Line, ev *avro.UsageEvent, scratch *validate.Scratch) error {
	p := j.p
	l.Source = avro.Source{ReportID: j.label, FileName: j.label, FileSHA256: j.id, Line: j.pos.items, Profile: p.profile.Name}
	j.pos.lastID = p.profile.MapItem(raw, l)
	if j.w.Restatement() {
		l.Warnings = []string{WarnRestated}
	}
	now := p.opts.Now()
	j.sum.Items++
	j.inTx++
	if rej := p.opts.Validator.ValidateInto(l, now, scratch, ev); rej != nil {
		j.pos.rejected++
		j.sum.Rejected++
		j.sum.RejectedByReason[rej.Reason]++
		dl := validate.DeadLetter(l, rej, StageName, now)
		return j.s.deadLetter(&dl)
	}
	j.pos.accepted++
	j.sum.Accepted++
	return j.s.event(ev)
}

// commit commits the items given since the last commit with the
// checkpoint of the current position.
func (j *windowJob) commit(ctx context.Context, status string) error {
	p := j.p
	prev := j.s.committed()
	cp := avro.SyncCheckpoint{SyncKey: SyncKey(p.profile.Name, p.opts.Account), Profile: p.profile.Name,
		Account: p.opts.Account, SyncedThrough: prev.SyncedThrough, WindowFrom: j.w.From, WindowTo: j.w.To,
		Status: status, PageOffset: j.pos.pageOffset, ItemsCommitted: j.pos.items, Pages: j.pos.pages,
		Accepted: j.pos.accepted, Rejected: j.pos.rejected, RestatedAsOf: prev.RestatedAsOf, Updated: p.opts.Now()}
	if j.w.Restatement() {
		asOf := j.w.AsOf
		cp.WindowAsOf = &asOf
	}
	if j.pos.cursor != "" {
		c := j.pos.cursor
		cp.Cursor = &c
	}
	if j.pos.lastID != "" {
		id := j.pos.lastID
		cp.LastItemID = &id
	}
	if status == avro.CheckpointComplete {
		cp.PageOffset = 0
		if !j.w.Restatement() && j.w.To.After(cp.SyncedThrough) {
			cp.SyncedThrough = j.w.To
		}
		// Once the plan's last window or a restatement pass is done,
		// every synced day has been polled at this horizon.
		if j.last || j.w.EndsPass {
			h := j.horizon
			if cp.RestatedAsOf == nil || cp.RestatedAsOf.Before(h) {
				cp.RestatedAsOf = &h
			}
		}
	}
	if err := j.s.commit(ctx, &cp); err != nil {
		return err
	}
	j.inTx = 0
	return nil
}
