package runtime

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/state"
)

// start checks the input topic, creates or grows the changelogs and joins
// the group. It returns the function that cancels the produce context.
func (r *Runner[V]) start(ctx context.Context) (context.CancelFunc, error) {
	admCl, err := kgo.NewClient(r.adminOpts()...)
	if err != nil {
		return nil, opError(OpStart, "", -1, Fatal, fmt.Errorf("admin client: %w", err))
	}
	r.adm = kadm.NewClient(admCl)
	n, err := inputPartitions(ctx, r.adm, r.cfg.InputTopic)
	if err != nil {
		admCl.Close()
		return nil, opError(OpStart, r.cfg.InputTopic, -1, classifyKafka(err), err)
	}
	r.changelogs = newChangelogs(r.adm, r.cfg.App, r.cfg.Stores, r.cfg.ChangelogReplication)
	if err := r.changelogs.ensure(ctx, n); err != nil {
		admCl.Close()
		return nil, opError(OpStart, r.cfg.InputTopic, -1, classifyKafka(err), err)
	}
	prodCtx, cancel := context.WithCancel(context.Background())
	r.prodCtx = prodCtx
	member, err := kgo.NewGroupTransactSession(r.groupOpts()...)
	if err != nil {
		cancel()
		admCl.Close()
		return nil, opError(OpStart, r.cfg.InputTopic, -1, Fatal, fmt.Errorf("group member: %w", err))
	}
	r.member, r.cl = member, member.Client()
	// Initialise the producer id now: with a stable TransactionalID this
	// fences a crashed predecessor and aborts its open transaction, which
	// the restores and the group's offset fetch would otherwise wait for
	// until TransactionTimeout.
	if _, _, err := r.cl.ProducerID(ctx); err != nil {
		member.Close()
		cancel()
		admCl.Close()
		return nil, opError(OpStart, "", -1, classifyKafka(err), fmt.Errorf("init producer id: %w", err))
	}
	return cancel, nil
}

// adminMetadataMinAge bounds how long the admin client trusts cached
// metadata: the runtime creates and grows changelogs and must see the result
// promptly (kgo's default caches for 5s).
const adminMetadataMinAge = 200 * time.Millisecond

// defaultFetchMaxWait is the group member's FetchMaxWait unless GroupOpts
// set one. kgo sends a partition resumed after its stores were restored
// only with the next fetch request, after the one in flight returns: kgo's
// default (5s) would delay every newly assigned partition by up to that.
const defaultFetchMaxWait = 500 * time.Millisecond

// DefaultSessionTimeout is the group member's session timeout unless
// GroupOpts set one (kgo's default is 45s). A transaction that ends while
// the group rebalances waits for the rebalance, and a rebalance after a
// member crashed waits until the crashed member's session expires: the
// session must expire well within TransactionTimeout, or the surviving
// members' transactions time out and they stop. A session timeout set in
// GroupOpts must stay below TransactionTimeout too.
const DefaultSessionTimeout = 15 * time.Second

// adminOpts are the options of the runtime's admin clients.
func (r *Runner[V]) adminOpts() []kgo.Opt {
	return append(append([]kgo.Opt{}, r.clientOpts...), kgo.MetadataMinAge(adminMetadataMinAge))
}

// groupOpts are the options of the transactional group member.
func (r *Runner[V]) groupOpts() []kgo.Opt {
	changelogTopics := make([]string, len(r.cfg.Stores))
	for i, s := range r.cfg.Stores {
		changelogTopics[i] = state.ChangelogTopic(r.cfg.App, s)
	}
	opts := append([]kgo.Opt{}, r.clientOpts...)
	opts = append(opts,
		kgo.WithLogger(kgoLogger{log: r.log}),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchMaxWait(defaultFetchMaxWait),
		kgo.SessionTimeout(DefaultSessionTimeout),
	)
	opts = append(opts, r.cfg.GroupOpts...)
	return append(opts,
		kgo.ConsumerGroup(r.cfg.Group),
		kgo.ConsumeTopics(r.cfg.InputTopic),
		kgo.Balancers(kgo.CooperativeStickyBalancer()),
		kgo.TransactionalID(r.cfg.TransactionalID),
		kgo.TransactionTimeout(r.cfg.TransactionTimeout),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.RecordPartitioner(state.ChangelogPartitioner(nil, changelogTopics...)),
		kgo.OnPartitionsAssigned(r.onAssigned),
		kgo.OnPartitionsRevoked(r.onRevoked),
		kgo.OnPartitionsLost(r.onRevoked),
	)
}

// stopTasks stops the task of every partition the Runner holds.
func (r *Runner[V]) stopTasks() {
	r.mu.Lock()
	live := make([]int32, 0, len(r.tasks))
	for p := range r.tasks {
		live = append(live, p)
	}
	r.mu.Unlock()
	for _, p := range live {
		r.stopTask(p)
	}
}

// shutdown stops every task, leaves the group and closes the stores.
func (r *Runner[V]) shutdown(stopProducing context.CancelFunc) error {
	r.stopTasks()
	r.mu.Lock()
	retired := append([]*task[V](nil), r.retired...)
	r.mu.Unlock()
	for _, t := range retired {
		<-t.done
	}
	// Leaving the group hands the partitions over; the stores are closed
	// after, which is safe because no task runs any more.
	r.member.Close()
	stopProducing()
	err := r.reap(true)
	r.adm.Close()
	return err
}
