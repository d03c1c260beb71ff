package instance

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/topology"
	"github.com/ledgerline/ledgerline/topology/lagmetrics"
	"github.com/ledgerline/ledgerline/topology/pipeline"
	"github.com/ledgerline/ledgerline/topology/topicmetrics"
)

// Config configures an instance.
type Config struct {
	// Pipeline configures the drift stage and the lake sink; its
	// Brokers, ClientOpts, Registerer and Logger serve the
	// measurements too.
	Pipeline pipeline.Config
	// LagInterval is the time between polls of consumer lag; zero
	// means lagmetrics.DefaultInterval, a negative one turns the lag
	// metrics off.
	LagInterval time.Duration
	// LagGroups are further consumer groups whose lag is reported, for
	// example the one of the tool that works off the drift-review
	// queue.
	LagGroups []string
}

// Consumer is a consumer group of the app and the topic it reads.
type Consumer struct {
	Group, Topic string
}

// Consumers returns the consumer groups an instance of app runs, with
// the topic each reads (prefixed with topicPrefix as the pipeline does):
// the drift stage's on usage, the lake sink's on usage-enriched.
func Consumers(app, topicPrefix string) []Consumer {
	if app == "" {
		app = "ledgerline"
	}
	return []Consumer{
		{Group: topology.GroupID(app, topology.StageDrift), Topic: topicPrefix + topology.TopicUsage},
		{Group: topology.GroupID(app, topology.StageLakeSink), Topic: topicPrefix + topology.TopicUsageEnriched},
	}
}

// Instance is an opened instance.
type Instance struct {
	pipeline *pipeline.Pipeline
	lag      *lagmetrics.Collector
	outcomes *topicmetrics.Counter
}

// Open opens the pipeline (restoring the catalog) and the measurements.
func Open(ctx context.Context, cfg Config) (*Instance, error) {
	pc := cfg.Pipeline
	if pc.App == "" {
		pc.App = "ledgerline"
	}
	clientOpts := append([]kgo.Opt{kgo.SeedBrokers(pc.Brokers...)}, pc.ClientOpts...)
	p, err := pipeline.Open(ctx, pc)
	if err != nil {
		return nil, err
	}
	in := &Instance{pipeline: p}
	if cfg.LagInterval >= 0 {
		var groups []string
		for _, c := range Consumers(pc.App, pc.TopicPrefix) {
			groups = append(groups, c.Group)
		}
		in.lag, err = lagmetrics.New(lagmetrics.Config{
			ClientOpts: clientOpts,
			Groups:     append(groups, cfg.LagGroups...),
			Topics:     []string{pc.Topic(topology.TopicDeadLetter), pc.Topic(topology.TopicDriftAlerts), pc.Topic(topology.TopicDriftReview)},
			Interval:   cfg.LagInterval,
			Registerer: pc.Registerer,
			Logger:     pc.Logger,
		})
		if err != nil {
			in.Close()
			return nil, fmt.Errorf("instance: %w", err)
		}
	}
	in.outcomes, err = topicmetrics.New(topicmetrics.Config{
		ClientOpts:      clientOpts,
		DeadLetterTopic: pc.Topic(topology.TopicDeadLetter),
		AlertsTopic:     pc.Topic(topology.TopicDriftAlerts),
		ReviewTopic:     pc.Topic(topology.TopicDriftReview),
		Registerer:      pc.Registerer,
		Logger:          pc.Logger,
	})
	if err != nil {
		in.Close()
		return nil, fmt.Errorf("instance: %w", err)
	}
	return in, nil
}

// Run runs the pipeline and the measurements until ctx ends or the
// pipeline fails. The measurements never stop the pipeline.
func (in *Instance) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{}, 2)
	measuring := 0
	if in.lag != nil {
		measuring++
		go func() { _ = in.lag.Run(ctx); done <- struct{}{} }()
	}
	if in.outcomes != nil {
		measuring++
		go func() { _ = in.outcomes.Run(ctx); done <- struct{}{} }()
	}
	err := in.pipeline.Run(ctx)
	cancel()
	for range measuring {
		<-done
	}
	return err
}

// Ready reports whether the pipeline is ready (catalog and stores
// restored).
func (in *Instance) Ready() bool { return in.pipeline.Ready() }

// Close releases the pipeline and the measurements' clients.
func (in *Instance) Close() error {
	if in.lag != nil {
		in.lag.Close()
	}
	if in.outcomes != nil {
		in.outcomes.Close()
	}
	return in.pipeline.Close()
}
