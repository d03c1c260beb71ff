package ingest

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/internal/topicread"
	"github.com/ledgerline/ledgerline/topology"
)

// readLedger reads the ledger topic up to its last stable offset and
// returns the latest entry per file; when only is non-empty, only that
// file's entry is kept.
func readLedger(ctx context.Context, clientOpts []kgo.Opt, topic string, codecs *avro.Codecs, only string) (map[string]avro.IngestLedgerEntry, error) {
	out := map[string]avro.IngestLedgerEntry{}
	err := topicread.All(ctx, clientOpts, []string{topic}, func(r *kgo.Record) error {
		if r.Value == nil || (only != "" && string(r.Key) != only) {
			return nil
		}
		e, err := codecs.Ledger.Decode(r.Value)
		if err != nil {
			return fmt.Errorf("ingest: ledger record %d/%d: %w", r.Partition, r.Offset, err)
		}
		out[e.FileSHA256] = e
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: read ledger: %w", err)
	}
	return out, nil
}

// ReadLedger returns the latest ledger entry of every file ingested, from
// the ingest-ledger topic with topicPrefix before its name (see
// topology.Options.TopicPrefix).
func ReadLedger(ctx context.Context, clientOpts []kgo.Opt, topicPrefix string) (map[string]avro.IngestLedgerEntry, error) {
	codecs, err := avro.NewCodecs()
	if err != nil {
		return nil, err
	}
	return readLedger(ctx, clientOpts, topicPrefix+topology.TopicIngestLedger, codecs, "")
}

// ReadFindings returns the reconciliation findings of every file, keyed by
// file hash, from the reconciliation topic with topicPrefix before its
// name.
func ReadFindings(ctx context.Context, clientOpts []kgo.Opt, topicPrefix string) (map[string][]avro.ReconciliationFinding, error) {
	codecs, err := avro.NewCodecs()
	if err != nil {
		return nil, err
	}
	latest := map[string]avro.ReconciliationFinding{} // by record key: the latest wins
	var order []string
	err = topicread.All(ctx, clientOpts, []string{topicPrefix + topology.TopicReconciliation}, func(r *kgo.Record) error {
		if r.Value == nil {
			return nil
		}
		f, err := codecs.Reconciliation.Decode(r.Value)
		if err != nil {
			return fmt.Errorf("ingest: reconciliation record %d/%d: %w", r.Partition, r.Offset, err)
		}
		if _, seen := latest[string(r.Key)]; !seen {
			order = append(order, string(r.Key))
		}
		latest[string(r.Key)] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: read reconciliation: %w", err)
	}
	out := map[string][]avro.ReconciliationFinding{}
	for _, k := range order {
		f := latest[k]
		out[f.FileSHA256] = append(out[f.FileSHA256], f)
	}
	return out, nil
}
