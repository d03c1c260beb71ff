package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/internal/topicread"
	"github.com/ledgerline/ledgerline/processors/drift"
	"github.com/ledgerline/ledgerline/topology"
)

var (
	alertKinds = []string{drift.KindUnknownISRC, drift.KindUnidentified, drift.KindTitleMismatch, drift.KindArtistMismatch,
		drift.KindISWCMismatch, drift.KindUPCMismatch, drift.KindPeriodChange, drift.KindCatalogChanged}
	alertSeverities = []string{drift.SeverityCritical, drift.SeverityWarn, drift.SeverityInfo} // most severe first
)

// runAlerts prints the current state of the drift alerts: the latest
// record of each alert id on drift-alerts (or drift-review), read to the
// end with read_committed, filtered and sorted most severe first.
func runAlerts(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "alerts", "alerts [--kind K,...] [--severity S,...] [--dsp DSP] [--isrc ISRC] [--review] [--limit N] [--format table|json]")
	kafka := addKafkaFlags(fs, e)
	kinds := fs.String("kind", "", "comma-separated kinds to show: "+strings.Join(alertKinds, ", ")+" (default: all)")
	severities := fs.String("severity", "", "comma-separated severities to show: "+strings.Join(alertSeverities, ", ")+" (default: all)")
	dsp := fs.String("dsp", "", "only the alerts of this DSP")
	isrc := fs.String("isrc", "", "only the alerts of this ISRC")
	review := fs.Bool("review", false, "read the manual review queue (drift-review, critical alerts) instead of drift-alerts")
	limit := fs.Int("limit", 50, "show at most this many alerts (0: all)")
	format := fs.String("format", "table", "table, or json (one alert per line)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := oneOf("format", *format, "table", "json"); err != nil {
		return err
	}
	want := alertFilter{dsp: *dsp, isrc: *isrc}
	var err error
	if want.kinds, err = listFlag("kind", *kinds, alertKinds); err != nil {
		return err
	}
	if want.severities, err = listFlag("severity", *severities, alertSeverities); err != nil {
		return err
	}
	clientOpts, err := kafka.connect(ctx, false)
	if err != nil {
		return err
	}
	topic := topology.TopicDriftAlerts
	if *review {
		topic = topology.TopicDriftReview
	}
	topic = *kafka.topicPrefix + topic
	latest, err := latestAlerts(ctx, clientOpts, topic)
	if err != nil {
		return err
	}
	shown := want.apply(latest)
	total := len(shown)
	if *limit > 0 && len(shown) > *limit {
		shown = shown[:*limit]
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		for i := range shown {
			if err := enc.Encode(alertJSON(&shown[i])); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tKIND\tISRC\tDSP\tPERIOD\tFIELD\tCOUNT\tREPORTED\tCATALOG")
	for _, a := range shown {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", a.Severity, a.Kind, orDash(a.ISRC), a.DSP,
			a.PeriodStart.Format(time.DateOnly)+".."+a.PeriodEnd.Format(time.DateOnly), a.Field, a.Count,
			clip(a.ReportedValue), clip(derefOr(a.CatalogValue, "-")))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d alerts on %s match (%d of all %d shown)\n", total, topic, len(shown), len(latest))
	return nil
}

// latestAlerts reads topic to its end and returns the latest record of
// each alert id: an alert id is always keyed alike, so its records share
// a partition and the last one read is the newest.
func latestAlerts(ctx context.Context, clientOpts []kgo.Opt, topic string) (map[string]avro.DriftAlert, error) {
	codecs, err := avro.NewCodecs()
	if err != nil {
		return nil, err
	}
	latest := map[string]avro.DriftAlert{}
	err = topicread.All(ctx, clientOpts, []string{topic}, func(r *kgo.Record) error {
		a, err := codecs.Alert.Decode(r.Value)
		if err != nil {
			return fmt.Errorf("alert record %s/%d@%d: %w", r.Topic, r.Partition, r.Offset, err)
		}
		latest[a.AlertID] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", topic, err)
	}
	return latest, nil
}

// alertFilter selects alerts; empty fields select everything.
type alertFilter struct {
	kinds, severities []string
	dsp, isrc         string
}

// apply returns the alerts of latest that f selects, most severe first,
// then by count (highest first) and alert id.
func (f alertFilter) apply(latest map[string]avro.DriftAlert) []avro.DriftAlert {
	var out []avro.DriftAlert
	for _, a := range latest {
		switch {
		case len(f.kinds) > 0 && !slices.Contains(f.kinds, a.Kind),
			len(f.severities) > 0 && !slices.Contains(f.severities, a.Severity),
			f.dsp != "" && !strings.EqualFold(f.dsp, a.DSP),
			f.isrc != "" && (a.ISRC == nil || !strings.EqualFold(f.isrc, *a.ISRC)):
			continue
		}
		out = append(out, a)
	}
	rank := func(s string) int {
		if i := slices.Index(alertSeverities, s); i >= 0 {
			return i
		}
		return len(alertSeverities)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if ra, rb := rank(a.Severity), rank(b.Severity); ra != rb {
			return ra < rb
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.AlertID < b.AlertID
	})
	return out
}

// listFlag splits a comma-separated flag value, each item one of allowed.
func listFlag(name, value string, allowed []string) ([]string, error) {
	items := list(value)
	for _, it := range items {
		if err := oneOf(name, it, allowed...); err != nil {
			return nil, err
		}
	}
	return items, nil
}

// alertJSON is the JSON form of an alert, with the Avro field names.
func alertJSON(a *avro.DriftAlert) map[string]any {
	return map[string]any{
		"alert_id": a.AlertID, "kind": a.Kind, "severity": a.Severity, "isrc": a.ISRC,
		"field": a.Field, "reported_value": a.ReportedValue, "catalog_value": a.CatalogValue,
		"catalog_version": a.CatalogVersion, "detail": a.Detail, "dsp": a.DSP,
		"period_start": a.PeriodStart.Format(time.DateOnly), "period_end": a.PeriodEnd.Format(time.DateOnly),
		"first_seen": a.FirstSeen.UTC().Format(time.RFC3339Nano), "last_seen": a.LastSeen.UTC().Format(time.RFC3339Nano),
		"count": a.Count, "sample_event_ids": a.SampleEventIDs,
	}
}

func orDash(s *string) string { return derefOr(s, "-") }

func derefOr(s *string, def string) string {
	if s == nil || *s == "" {
		return def
	}
	return *s
}

// clip shortens a value for a table cell.
func clip(s string) string {
	const width = 40
	if r := []rune(s); len(r) > width {
		return string(r[:width-1]) + "…"
	}
	return s
}
