// Package drift detects metadata drift: usage events whose metadata
// differs from the catalog, from what the same DSP reported in its
// previous period, or whose catalog record changed under an open period.
//
// # Inputs and outputs
//
// Processor implements processors.Processor[avro.UsageEvent] and
// processors.Flusher. Usage records are keyed by ISRC (events without
// ISRC by their DSP, UPC and title), so all state of an ISRC, and every
// sighting of one unidentified recording, lives in one partition. Every
// event is emitted to OutEnriched as an *avro.EnrichedUsageEvent with the
// catalog version it was checked against, the matched ISRC and the alert
// kinds it raised, keyed like its usage record (the input record's key;
// by ISRC, or event_id without one, only when the input record has no
// key). Alerts (*avro.DriftAlert) are buffered and emitted by Flush to
// OutAlerts, critical ones to OutReview as well. OnCatalogChange is
// called for every partition when the catalog applies a new version of a
// recording; catalog_changed does not depend on it reaching the
// partition (see Catalog changes).
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
// # Catalog changes
//
// catalog_changed does not depend on the runtime delivering every
// catalog change. The periods store records, per ISRC and DSP, the
// catalog version the usage was last checked against, with a hash of its
// splits (catalog.SplitsHash) and its ISWC. Whenever a newer version is
// seen, by OnCatalogChange or by the next usage event of the recording
// (from any DSP), each DSP's usage of the recording in the partition is
// compared with it: where the splits or the ISWC differ from the recorded
// version's, catalog_changed is raised for that DSP's open periods, and
// the newer version is recorded in the same transaction. A change applied
// while no drift task ran (start-up, a stopped pipeline, a crash between
// the catalog table storing the record and the drift transaction
// committing) is therefore raised by the next usage of the recording,
// and a change seen by both paths is counted once: whichever comes first
// records the version, the other finds nothing newer, and a catalog
// version already counted for an alert is not counted again. The period
// of the event that detects a change is alerted only if it already had
// usage; a new period was checked against the new version. When several
// versions were applied before either path ran, the usage is compared
// with the newest, against the version it was checked against (the
// alert's catalog value; omitted if the catalog no longer holds that
// version, for example after it was rebuilt from the compacted topic).
// Usage recorded before the catalog version was kept (periods layout 1),
// or while the ISRC was not in the catalog, has no version to compare
// with: OnCatalogChange compares it with the version the change replaced,
// an event records the version it sees and raises nothing.
//
// # Alerts
//
// There is one alert per (ISRC, DSP, kind, reported value, period); its
// alert_id is the hex SHA-256 of those fields (see alertID for the exact
// bytes). Each sighting increments its count, widens first_seen/last_seen
// (event ingest times; the catalog record's valid_from for
// catalog_changed, or without one the time of the OnCatalogChange call or
// the ingest time of the event that detected the change) and adds the
// event id to up to 5 samples (none for catalog_changed); severity,
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
// starts with a version byte. A new layout is read alongside the older
// ones and values are always written in the newest, so state written by
// an earlier release keeps working and is converted as its keys are
// written: periods layout 2 added the catalog version checked against,
// and a layout 1 value is read as checked against no version. An event
// whose metadata equals what its DSP already reported for its period, up
// to the quiet form, and whose catalog version is the one its usage was
// checked against, writes nothing;
// each period keeps a 64-bit hash of its quiet metadata so that
// comparisons with the previous period parse titles only when they really
// differ. An alert sighting reads only the alert's counters and rewrites
// the record; the alert is decoded in full once per Flush.
//
// # Determinism and transactions
//
// Output depends only on the input records, the catalog state and, for a
// catalog change without valid_from delivered by OnCatalogChange,
// ctx.Now(). Alerts are flushed in alert id order. In-memory state is the
// set of alerts awaiting Flush and a memo of (ISRC, DSP) sightings that
// changed nothing, which lets identical sightings later skip the periods
// store read (a sighting checked against another catalog version is not
// identical). Both are dropped by Revoke, which the runtime calls when a
// transaction aborts, and when the input offset of a partition goes back
// (a replay from the last committed offset), so a crash-and-replay run
// produces the same output as a clean run. The
// runtime must call Revoke when a partition is revoked (or build a new
// Processor per assignment), since another instance may have advanced the
// partition meanwhile.
package drift
