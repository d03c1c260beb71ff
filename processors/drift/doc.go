// Package drift detects metadata drift: usage events whose metadata
// differs from the catalog, from what the same DSP reported in its
// previous period, or whose catalog record changed under an open period.
//
// # Inputs and outputs
//
// Processor implements processors.Processor[avro.UsageEvent] and
// processors.Flusher. Usage records are keyed by ISRC (events without
// ISRC by their DSP, UPC and title), so all state of an ISRC, and every
// sighting of one unidentified recording, lives in one partition. Every event is emitted to OutEnriched as an
// *avro.EnrichedUsageEvent with the catalog version it was checked
// against, the matched ISRC and the alert kinds it raised. Alerts
// (*avro.DriftAlert) are buffered and emitted by Flush to OutAlerts,
// critical ones to OutReview as well. OnCatalogChange is called for every
// partition when the catalog applies a new version of a recording.
//
// # Checks and severities
//
// Titles and artists are compared with package textnorm. Differences in
// case, diacritics (including letters without a combining mark: ø, æ, ß,
// ł, ...), apostrophe spelling (' ’ ‘ ` ´ ʼ), typographic quotes and
// dashes, and white space are not differences: "Tøilette & Café" equals
// "Toilette & Cafe", "Hier, à l'aube" equals "Hier, a lʼaube". Nor is the
// place a version is written ("Song - Live" equals title "Song" with
// version title "Live"), nor how a list of artists is joined ("A & B",
// "A and B", "A, B" and ["A", "B"] are the same two artists).
//
//	kind             field        condition                                          severity
//	unknown_isrc     isrc         ISRC not in the catalog                            warn
//	unidentified     isrc         no ISRC; matched by UPC and title                  info
//	unidentified     isrc         no ISRC; no UPC, no match or ambiguous             warn
//	title_mismatch   track_title  only punctuation or '&' versus "and"               info
//	title_mismatch   track_title  version suffix differs, edition words only         info
//	                              (remastered, mono, explicit, a year, ...)
//	title_mismatch   track_title  version suffix differs, different audio            warn
//	                              (live, remix, radio edit, acoustic, ...)
//	title_mismatch   track_title  base title within 3 edits and 20% (a typo)         warn
//	title_mismatch   track_title  base title differs                                 critical
//	artist_mismatch  artists      same names; punctuation, order, or featured        info
//	                              artist in the title instead of the artist list
//	artist_mismatch  artists      some artists added or missing                      warn
//	artist_mismatch  artists      no artist in common                                critical
//	iswc_mismatch    iswc         reported and catalog ISWC differ                   critical
//	iswc_mismatch    iswc         reported ISWC, catalog has none                    warn
//	upc_mismatch     upc          reported and catalog UPC differ                    info
//	period_change    track_title  differs from the DSP's previous period: minor      info
//	                 artists      (as above), otherwise                              warn
//	period_change    iswc         differs from the previous period                   critical
//	period_change    upc          differs from the previous period                   info
//	catalog_changed  splits/iswc  new catalog version while the period is open       critical
//
// A title or artist difference is minor when the loose forms agree (only
// punctuation, a version suffix naming an edition, or featured-artist
// placement differ) and major otherwise. A featured artist moved between
// title and artist list is reported once, as artist_mismatch; the title
// comparison ignores "(feat. X)". ISWC drift is critical because
// publishing royalties would go to the wrong work; UPC drift is only
// informative because a recording appears on several releases and the
// catalog names only the main one.
//
// Period changes compare an event with the metadata the same DSP last
// reported for the same ISRC in its nearest earlier period (by start).
// Periods arriving out of order are compared with their nearest earlier
// period only; later periods are not re-checked.
//
// A period is open while its end is within Options.OpenPeriodDays
// (default 62, about two monthly statements) of the end of the latest
// period the DSP reported for the ISRC; the latest period is always open.
// The rule depends on the data only, never on the wall clock, so replays
// agree, and it reflects that DSP statements are settled weeks after the
// period ends: a split or ISWC change affects the statements still being
// settled.
//
// # Alerts
//
// There is one alert per (ISRC, DSP, kind, reported value, period); its
// alert_id is the hex SHA-256 of those fields (see alertID for the exact
// bytes). Each sighting increments its count, widens first_seen/last_seen
// (event ingest times; the catalog record's valid_from for
// catalog_changed) and adds the event id to up to 5 samples; severity,
// catalog value, catalog version and detail follow the latest comparison.
// The alert's state is written through to the alerts store on every
// sighting, so counts continue after a restart and roll back with an
// aborted transaction; Flush emits each alert changed since the previous
// Flush once, so 100 events raising the same alert produce one record
// with count 100. Alerts are keyed by ISRC, or by alert_id for events
// without ISRC.
//
// # State stores
//
// All three stores use compact hand-rolled binary layouts (internal state,
// not a public contract), documented next to their codecs: periods.go
// (StorePeriods, keyed by ISRC and DSP), alertstate.go (StoreAlerts, keyed
// by the 32-byte alert id) and usage.go (StoreUsage, keyed by ISRC: the
// DSPs with usage, whose periods the periods store holds). Each layout
// starts with a version byte. An event whose metadata equals what its DSP
// already reported for its period, up to the quiet form, writes nothing;
// each period keeps a 64-bit hash of its quiet metadata so that
// comparisons with the previous period parse titles only when they really
// differ. An alert sighting reads only the alert's counters and rewrites
// the record; the alert is decoded in full once per Flush.
//
// # Determinism and transactions
//
// Output depends only on the input records, the catalog state and, for a
// catalog change without valid_from, ctx.Now(). Alerts are flushed in
// alert id order. In-memory state lives at most one transaction: the set
// of alerts awaiting Flush, and a memo of (ISRC, DSP) sightings that
// changed nothing, which lets identical sightings later in the same
// transaction skip the periods store read. Both are dropped when the
// input offset of a partition goes back (the runtime aborted the
// transaction and replays from the last committed offset), so a
// crash-and-replay run produces the same output as a clean run. The
// runtime must call Revoke when a partition is revoked (or build a new
// Processor per assignment), since another instance may have advanced the
// partition meanwhile.
package drift
