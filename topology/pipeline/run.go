package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/ledgerline/ledgerline/connectors/lake"
	"github.com/ledgerline/ledgerline/state"
)

// Run runs the drift stage and the lake sink until ctx ends or one fails.
func (p *Pipeline) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 2)
	go func() { errs <- wrap("drift", p.runner.Run(ctx)) }()
	go func() { errs <- wrap("lake sink", p.sink.Run(ctx)) }()
	first := <-errs
	cancel()
	second := <-errs
	if ctx.Err() != nil && first == nil {
		return nil
	}
	return errors.Join(first, second)
}

// Drain processes what the usage topic holds when it is called, then what
// that produced on usage-enriched, and returns: the drift stage first (to
// the end offsets of usage as of the call), then the lake sink (to the end
// offsets of usage-enriched after the drift stage committed).
func (p *Pipeline) Drain(ctx context.Context) (lake.Stats, error) {
	if err := p.runner.Drain(ctx); err != nil {
		return lake.Stats{}, wrap("drift", err)
	}
	st, err := p.sink.Drain(ctx)
	return st, wrap("lake sink", err)
}

// Ready reports whether the catalog and the drift stage's stores are
// ready.
func (p *Pipeline) Ready() bool {
	return p.catalog.Readiness().Phase == state.PhaseReady && p.runner.Ready()
}

// Close releases the catalog table and the sink's clients.
func (p *Pipeline) Close() error {
	p.sink.Close()
	return p.catalog.Close()
}

func wrap(stage string, err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return nil
	}
	return fmt.Errorf("pipeline: %s: %w", stage, err)
}
