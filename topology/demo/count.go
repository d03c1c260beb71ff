package demo

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/connectors/lake"
	"github.com/ledgerline/ledgerline/internal/topicread"
	"github.com/ledgerline/ledgerline/topology"
)

// countAlerts reads drift-alerts and drift-review to their end
// (read_committed, once the stopped run's last transactions have
// settled) and counts distinct alerts: an alert's later records
// update its count, they are not new alerts.
func countAlerts(ctx context.Context, clientOpts []kgo.Opt, sum *Summary) error {
	codecs, err := avro.NewCodecs()
	if err != nil {
		return err
	}
	kinds := map[string]string{}
	review := map[string]bool{}
	examples := map[string]avro.DriftAlert{} // per kind, the smallest alert id
	err = topicread.Settled(ctx, clientOpts, []string{topology.TopicDriftAlerts, topology.TopicDriftReview}, func(r *kgo.Record) error {
		a, err := codecs.Alert.Decode(r.Value)
		if err != nil {
			return err
		}
		if r.Topic == topology.TopicDriftReview {
			review[a.AlertID] = true
		} else {
			kinds[a.AlertID] = a.Kind
			if ex, ok := examples[a.Kind]; !ok || a.AlertID <= ex.AlertID {
				examples[a.Kind] = a
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo: read alerts: %w", err)
	}
	for _, k := range kinds {
		sum.DriftAlerts++
		sum.DriftAlertsByKind[k]++
	}
	sum.ReviewQueue = int64(len(review))
	sum.AlertExamples = map[string]string{}
	for kind, a := range examples {
		sum.AlertExamples[kind] = describeAlert(a)
	}
	return nil
}

// describeAlert says in one line what an alert found.
func describeAlert(a avro.DriftAlert) string {
	isrc := "(no ISRC)"
	if a.ISRC != nil {
		isrc = *a.ISRC
	}
	s := fmt.Sprintf("%s %s on %s: %s %q", a.Severity, isrc, a.DSP, a.Field, a.ReportedValue)
	if a.CatalogValue != nil {
		s += fmt.Sprintf(" vs catalog %q", *a.CatalogValue)
	}
	if a.Detail != "" {
		s += " (" + a.Detail + ")"
	}
	return s
}

// countLake counts the live files and rows of the lake, as a reader
// following the manifests sees them: an unfiltered query reads them all.
func countLake(ctx context.Context, root string, sum *Summary) error {
	res, err := lake.Query(ctx, root, lake.QuerySpec{})
	if err != nil {
		return fmt.Errorf("demo: read lake: %w", err)
	}
	for _, t := range res.Totals {
		sum.LakeRows += t.Rows
	}
	sum.LakeFiles = int64(res.Stats.Files)
	return nil
}
