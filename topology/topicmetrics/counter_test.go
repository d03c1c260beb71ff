package topicmetrics

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/drift"
	"github.com/ledgerline/ledgerline/topology"
)

func TestCountsOutcomesByContent(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1),
		kfake.SeedTopics(1, topology.TopicDeadLetter, topology.TopicDriftAlerts, topology.TopicDriftReview))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	codecs, err := avro.NewCodecs()
	if err != nil {
		t.Fatal(err)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	produce := func(topic string, value []byte, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Value: value}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	dl := &avro.DeadLetter{DeadLetterID: "f/1", Stage: topology.StageIngest, FileName: "f", Line: 1,
		Reason: avro.ReasonInvalidISRC, Message: "bad", Time: time.Unix(0, 0).UTC()}
	alert := &avro.DriftAlert{AlertID: "a", Kind: drift.KindTitleMismatch, Severity: drift.SeverityCritical,
		Field: "title", DSP: "x", Count: 1}
	produce(topology.TopicDeadLetter, nil, nil) // nothing to decode
	produce(topology.TopicDeadLetter, []byte("not avro"), nil)
	dv, err := codecs.DeadLetter.Encode(dl)
	produce(topology.TopicDeadLetter, dv, err)
	produce(topology.TopicDeadLetter, dv, nil)
	av, err := codecs.Alert.Encode(alert)
	produce(topology.TopicDriftAlerts, av, err)
	produce(topology.TopicDriftReview, av, nil)

	reg := prometheus.NewRegistry()
	counter, err := New(Config{ClientOpts: []kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...)}, FromStart: true, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	defer counter.Close()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- counter.Run(runCtx) }()

	value := func(cv *prometheus.CounterVec, labels ...string) float64 {
		var m dto.Metric
		if err := cv.WithLabelValues(labels...).Write(&m); err != nil {
			t.Fatal(err)
		}
		return m.GetCounter().GetValue()
	}
	for value(counter.review, drift.KindTitleMismatch) < 1 || value(counter.deadLetters, topology.StageIngest, avro.ReasonInvalidISRC) < 2 ||
		value(counter.deadLetters, Undecodable, Undecodable) < 2 || value(counter.alerts, drift.KindTitleMismatch, drift.SeverityCritical) < 1 {
		select {
		case <-ctx.Done():
			t.Fatal("records were not counted")
		case <-time.After(10 * time.Millisecond):
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	// Known label values exist at zero.
	if got := value(counter.deadLetters, topology.StageDrift, avro.ReasonMalformedRow); got != 0 {
		t.Fatalf("drift/malformed_row = %v", got)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, mf := range mfs {
		names[mf.GetName()] = true
	}
	for _, n := range []string{"ledgerline_dead_letters_total", "ledgerline_drift_alerts_total", "ledgerline_drift_review_total"} {
		if !names[n] {
			t.Errorf("%s not registered", n)
		}
	}
}
