package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ledgerline/ledgerline/topology/kafkaconfig"
)

// envSASLPassword holds the SASL password when no password file is
// given. There is deliberately no flag for it: a command line is visible
// to every user of the host.
const envSASLPassword = "LEDGERLINE_SASL_PASSWORD"

// kafkaFlags are the flags of every command that talks to Kafka: the
// brokers and how to reach and authenticate to them.
type kafkaFlags struct {
	e           *env
	brokers     *string
	topicPrefix *string
	cfg         kafkaconfig.Config
	warned      bool // the settings' warnings were printed
}

// addKafkaFlags registers --brokers and the TLS and SASL flags.
func addKafkaFlags(fs *flag.FlagSet, e *env) *kafkaFlags {
	k := &kafkaFlags{e: e, brokers: brokersFlag(fs, e), topicPrefix: topicPrefixFlag(fs)}
	fs.BoolVar(&k.cfg.TLS.Enable, "tls", false, "connect with TLS, verifying brokers with the system's roots (implied by the other --tls-* flags)")
	fs.StringVar(&k.cfg.TLS.CAFile, "tls-ca-file", "", "PEM file of the CA certificates that sign the brokers' certificates")
	fs.StringVar(&k.cfg.TLS.CertFile, "tls-cert-file", "", "PEM client certificate, for mutual TLS (with --tls-key-file)")
	fs.StringVar(&k.cfg.TLS.KeyFile, "tls-key-file", "", "PEM key of the client certificate")
	fs.StringVar(&k.cfg.TLS.ServerName, "tls-server-name", "", "name to verify in the brokers' certificates (default: the host dialled)")
	fs.StringVar(&k.cfg.SASL.Mechanism, "sasl-mechanism", "", "SASL mechanism: "+strings.Join(kafkaconfig.Mechanisms, ", ")+" (empty: no SASL)")
	fs.StringVar(&k.cfg.SASL.Username, "sasl-username", "", "SASL username")
	fs.StringVar(&k.cfg.SASL.PasswordFile, "sasl-password-file", "", "file holding the SASL password (default: $"+envSASLPassword+")")
	return k
}

// topicPrefixFlag registers --topic-prefix.
func topicPrefixFlag(fs *flag.FlagSet) *string {
	return fs.String("topic-prefix", "", "put before the name of every topic but the changelogs (which --app names), e.g. \"royalties.\"")
}

// seeds returns the seed brokers.
func (k *kafkaFlags) seeds() ([]string, error) { return splitBrokers(*k.brokers) }

// security returns the TLS and SASL options, without the seed brokers.
func (k *kafkaFlags) security() ([]kgo.Opt, error) {
	cfg := k.cfg
	if cfg.SASL.PasswordFile == "" {
		cfg.SASL.Password = k.e.getenv(envSASLPassword)
	}
	opts, err := cfg.Options()
	if err == nil && !k.warned {
		k.warned = true
		for _, w := range cfg.Warnings() {
			fmt.Fprintln(k.e.stderr, "ledgerline: warning:", w)
		}
	}
	return opts, err
}

// clientOpts returns the seed brokers and the security options.
func (k *kafkaFlags) clientOpts() ([]kgo.Opt, error) {
	seeds, err := k.seeds()
	if err != nil {
		return nil, err
	}
	sec, err := k.security()
	if err != nil {
		return nil, err
	}
	return append([]kgo.Opt{kgo.SeedBrokers(seeds...)}, sec...), nil
}

// connect returns the client options and checks that the brokers answer
// with them (see ping). With dryRunHint, an error in the settings (a
// missing broker list, say) suggests --dry-run, which needs no Kafka.
func (k *kafkaFlags) connect(ctx context.Context, dryRunHint bool) ([]kgo.Opt, error) {
	opts, err := k.clientOpts()
	if err != nil {
		if dryRunHint {
			return nil, fmt.Errorf("%w (or use --dry-run)", err)
		}
		return nil, err
	}
	if err := ping(ctx, opts); err != nil {
		return nil, err
	}
	return opts, nil
}

// connectUnlessDryRun is connect for a command with --dry-run: a dry run
// needs no Kafka and gets no client options.
func (k *kafkaFlags) connectUnlessDryRun(ctx context.Context, dryRun bool) ([]kgo.Opt, error) {
	if dryRun {
		return nil, nil
	}
	return k.connect(ctx, true)
}

// ping checks that the brokers answer with these settings, so that a
// wrong password or CA stops the command with a message that names it.
func ping(ctx context.Context, opts []kgo.Opt) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := kafkaconfig.Ping(ctx, opts...); err != nil {
		return fmt.Errorf("connect to Kafka: %w", err)
	}
	return nil
}
