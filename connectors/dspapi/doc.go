// Package dspapi reads DSP reporting APIs: paginated HTTP/JSON endpoints
// that return usage items for a range of days. An API is described as
// data by a Profile (JSON, like the report-file profiles); two are built
// in, and LoadProfile also reads one from a file:
//
//   - cursor-json: the body is {"data": [items], "meta": {"next_cursor":
//     "..."}}; the cursor is sent back in a query parameter; the account
//     is part of the path.
//   - link-header: the body is a bare array of items; the next page is
//     the URL of the Link header's rel="next" link, which carries its own
//     page token; the account is a query parameter and the end date is
//     exclusive.
//
// They are generic shapes, not the API of any particular service.
//
// # Profile format
//
//	{
//	  "name": "cursor-json",
//	  "dsp": "...",                 // service name when items do not say
//	  "path": "/v1/accounts/{account}/usage",
//	  "query": {"account": "...", "from": "start_date", "to": "end_date",
//	            "cursor": "cursor", "page_size": "limit"},
//	  "to_exclusive": false,        // the API's end date is the day after
//	  "date_format": "2006-01-02",  // Go layout of the dates sent
//	  "page_size": 500,
//	  "pagination": "body-cursor",  // or "link-header"
//	  "items": "data",              // dotted path of the items array; "" = the body
//	  "next_cursor": "meta.next_cursor",
//	  "item_id": "id",              // the API's id of an item, if any
//	  "cursor_expired_status": [410],
//	  "rate": {"per_second": 5, "burst": 5},
//	  "decimal": ".",               // of amounts sent as strings
//	  "fields": {"isrc": "track.isrc", "units": "usage.plays", ...}
//	}
//
// fields maps the validate.Line cells (FieldNames: dsp, isrc, upc, iswc,
// proprietary_id, track_title, version_title, artists, release_title,
// label, territory, currency, units, amount, period_start, period_end,
// use_type, commercial_model, sale_type) to dotted paths in an item.
// Strings are taken as written, numbers as their JSON text (so amounts
// stay exact), an array of strings (artists) is joined with '|'. Unknown
// keys are errors.
//
// # Streaming and bad items
//
// A Page streams its body through a json.Decoder: each Next decodes one
// item, so neither a page nor a sync window is ever held in memory. The
// next cursor may stand before or after the items. MapItem maps an item
// onto a validate.Line; an item that is not an object, or a mapped value
// that is an object or an unexpected array, sets Line.Malformed, so the
// validator rejects it as malformed_row with the item's JSON as the raw
// bytes of its dead letter: a bad item is never dropped and never stops
// a sync. A body that is not the JSON the profile describes or that
// breaks off is an error wrapping ErrPageSyntax or a NetError: the page
// can be read again. One item may take at most MaxItemBytes (4 MiB) of the
// body, so memory stays bounded whatever an API sends; a larger one stops
// the sync at its last committed position with ErrItemTooLarge, which
// reading again would not cure.
//
// # Calling the API
//
// Client.Fetch waits for a golang.org/x/time/rate limiter (the profile's
// rate, or ClientOptions.Rate), then retries 429, 408, 5xx and network
// errors up to MaxAttempts times: after the Retry-After the API asks for
// (seconds or an HTTP date, capped at MaxRetryAfter) or else a capped
// exponential backoff with full jitter. Calls go through a circuit
// breaker (sony/gobreaker): after BreakerFailures network errors or 5xx
// in a row it opens and calls fail at once with ErrBreakerOpen for
// BreakerOpen, so a dead API is not hammered; 429 neither trips nor
// resets it, other 4xx count as the API being up. A status the profile
// lists in cursor_expired_status, answering a request with a cursor, is
// ErrCursorExpired: the caller starts the window over. A Link to another
// host than the base URL's is refused.
//
// # Sync windows
//
// Schedule.Plan cuts a sync into Windows, deterministic units of work: the
// days after the watermark (the last day synced in full), WindowDays at a
// time, up to the horizon: yesterday less SettleDays (a DSP's data for a
// day is final only after some days), and not past the sync's last day.
// An unfinished window is planned first exactly as it was, so it resumes
// under the same identity whatever the schedule says now. With
// LookbackDays, the last LookbackDays synced days are polled again once
// per horizon as restatement windows, whose identity includes the
// horizon (Window.AsOf). Window.ID is the SHA-256 of profile, account and
// window: with an item's 1-based position in the window it makes the
// event id, so polling the same window again gives the same ids.
//
// The command line is
//
//	ledgerline poll --profile NAME|FILE --base-url URL --account ID --from YYYY-MM-DD [--until YYYY-MM-DD] [--dry-run] [--format text|json]
//
// (see topology/apipoll for how polled items reach Kafka exactly once).
//
// Package dspapitest is a fake API on 127.0.0.1 for tests: pagination in
// both shapes, 429 with Retry-After, bursts of 500, bodies that break
// off, malformed items and expired cursors.
package dspapi
